package tools

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/internal/stdio"
)

// TestExportProgressOverStdio drives a background export through the
// stdio transport byte for byte: the progress token comes back with its
// JSON type (an integer stays an integer, a string a string), progress
// counts up, and every notification precedes the call's result.
func TestExportProgressOverStdio(t *testing.T) {
	h, _ := newClockHarness(t, 2*time.Second)
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false))
	if err := Register(s, All(), h.deps); err != nil {
		t.Fatal(err)
	}
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	go func() {
		stdio.Serve(context.Background(), s, inR, outW, stdio.Options{})
		outW.Close()
	}()
	t.Cleanup(func() { inW.Close() })
	lines := bufio.NewScanner(outR)
	lines.Buffer(make([]byte, 1<<20), 16<<20)
	send := func(msg string) {
		if _, err := io.WriteString(inW, msg+"\n"); err != nil {
			t.Fatal(err)
		}
	}
	next := func() string {
		if !lines.Scan() {
			t.Fatalf("the server closed its output: %v", lines.Err())
		}
		return lines.Text()
	}
	send(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`)
	next()
	send(`{"jsonrpc":"2.0","method":"notifications/initialized"}`)

	for i, token := range []string{`7`, `"tok-7"`, `1e3`} {
		id := i + 1
		send(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"export_pdf","arguments":{"report_id":1627,"async":true},"_meta":{"progressToken":%s}}}`, id, token))
		echoed := token
		if token == `1e3` {
			echoed = `1000` // the same JSON number, written the way Go writes it
		}
		for step := 1; step <= 5; step++ {
			line := next()
			want := fmt.Sprintf(`{"jsonrpc":"2.0","method":"notifications/progress","params":{"message":"Export %d is rendering on CxReports: `, 5000+id)
			if !strings.HasPrefix(line, want) || !strings.HasSuffix(line, fmt.Sprintf(`","progress":%d,"progressToken":%s}}`, step, echoed)) {
				t.Fatalf("call %d, message %d:\n%s\nwant progress %d with token %s", id, step, line, step, echoed)
			}
		}
		var res struct {
			ID     int `json:"id"`
			Result struct {
				IsError bool `json:"isError"`
				Content []struct {
					Text string `json:"text"`
				} `json:"content"`
			} `json:"result"`
		}
		line := next()
		if err := json.Unmarshal([]byte(line), &res); err != nil || res.ID != id || res.Result.IsError || !strings.HasPrefix(res.Result.Content[0].Text, "Saved Invoice") {
			t.Fatalf("call %d: want the result, got %s", id, line)
		}
	}
}
