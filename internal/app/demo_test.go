package app

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
)

// A preview link made by a --demo server still opens after that server
// restarts on the same address.
func TestDemoPreviewLinkSurvivesARestart(t *testing.T) {
	log := slog.New(slog.DiscardHandler)
	first := &config.Config{Demo: true, DemoAddr: "127.0.0.1:0", Token: demoToken, Problems: map[string]string{}}
	stop, err := startDemo(first, log)
	if err != nil {
		t.Fatal(err)
	}
	api, err := cxapi.New(cxapi.Config{BaseURL: first.URL, Token: first.Token.Reveal()})
	if err != nil {
		t.Fatal(err)
	}
	link, err := api.NewPreviewURL(context.Background(), "demo", cxapi.ReportByID(1628), nil)
	stop()
	if err != nil {
		t.Fatal(err)
	}

	// The restart: a new demo sandbox on the same address.
	second := &config.Config{Demo: true, DemoAddr: strings.TrimPrefix(first.URL, "http://"), Token: demoToken, Problems: map[string]string{}}
	stop, err = startDemo(second, log)
	if err != nil {
		t.Fatal(err)
	}
	defer stop()
	if second.URL != first.URL {
		t.Fatalf("the demo moved from %s to %s", first.URL, second.URL)
	}
	for i, want := range []int{200, 401} { // it opens, once
		resp, err := http.Get(link)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != want || (want == 200 && !strings.Contains(string(body), "<title>Bank Account Statement</title>")) {
			t.Errorf("open %d: %d %.200s", i+1, resp.StatusCode, body)
		}
	}
}
