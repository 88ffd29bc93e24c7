package app

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/internal/stdio"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// BenchmarkStartToInitialize is the part of start-up this program does
// itself, after package initialisation: read the settings, build the MCP
// server with its tools and prompts, and answer initialize. bench/run.sh
// measures the whole of it, from spawning the binary (BENCHMARKS.md);
// profile this one to see what the server builds before it can answer:
//
//	go test -run '^$' -bench StartToInitialize -cpuprofile cpu.prof ./internal/app/
func BenchmarkStartToInitialize(b *testing.B) {
	env := map[string]string{
		config.EnvURL:       "http://127.0.0.1:1",
		config.EnvToken:     "bench-token",
		config.EnvWorkspace: "demo",
		config.EnvOutputDir: b.TempDir(),
	}
	getenv := func(k string) string { return env[k] }
	initialize := []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		cfg, _, err := config.Load(nil, getenv, io.Discard)
		if err != nil {
			b.Fatal(err)
		}
		rt, err := start(ctx, cfg, slog.New(slog.DiscardHandler))
		if err != nil {
			b.Fatal(err)
		}
		resp := rt.server.HandleMessage(ctx, initialize)
		if _, ok := resp.(mcp.JSONRPCResponse); !ok {
			b.Fatalf("initialize answered %#v", resp)
		}
		rt.Close()
	}
}

// BenchmarkStdioListReports is one list_reports call through the stdio
// transport, the MCP server and the tool to the sandbox and back, with the
// sandbox in this process (bench/run.sh measures the same call with the
// sandbox in its own process, next to the bare HTTP request). Profile it to
// see what a call costs the server:
//
//	go test -run '^$' -bench StdioListReports -cpuprofile cpu.prof ./internal/app/
func BenchmarkStdioListReports(b *testing.B) {
	sb := httptest.NewServer(sandbox.New(sandbox.Options{Token: "bench-token"}))
	defer sb.Close()
	env := map[string]string{
		config.EnvURL:       sb.URL,
		config.EnvToken:     "bench-token",
		config.EnvWorkspace: "demo",
		config.EnvOutputDir: b.TempDir(),
	}
	cfg, _, err := config.Load(nil, func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	rt, err := start(ctx, cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		b.Fatal(err)
	}
	defer rt.Close()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	served := make(chan error, 1)
	go func() { served <- stdio.Serve(ctx, rt.server, inR, outW, stdio.Options{}) }()
	out := bufio.NewReader(outR)
	roundTrip := func(msg string) []byte {
		if _, err := io.WriteString(inW, msg+"\n"); err != nil {
			b.Fatal(err)
		}
		line, err := out.ReadBytes('\n')
		if err != nil {
			b.Fatal(err)
		}
		return line
	}
	roundTrip(`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"bench","version":"1"}}}`)
	call := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_reports","arguments":{}}}`
	b.ReportAllocs()
	for b.Loop() {
		if line := roundTrip(call); !bytes.Contains(line, []byte(`"result"`)) || bytes.Contains(line, []byte(`"isError":true`)) {
			b.Fatalf("list_reports failed: %s", line)
		}
	}
	b.StopTimer()
	inW.Close()
	if err := <-served; err != nil {
		b.Fatal(err)
	}
}
