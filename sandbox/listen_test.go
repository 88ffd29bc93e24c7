package sandbox

import (
	"context"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestServeAndShutdown(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- serve(ctx, ln, Options{}) }()
	req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/api/v1/workspaces", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("status %d", resp.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve returned %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no shutdown")
	}
}

func TestListenAndServe(t *testing.T) {
	if err := ListenAndServe(context.Background(), "256.0.0.1:bad", Options{}, nil); err == nil {
		t.Fatal("bad address accepted")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := ListenAndServe(ctx, "127.0.0.1:0", Options{}, nil); err != nil {
		t.Fatalf("cancelled server returned %v", err)
	}
}
