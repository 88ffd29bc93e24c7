package tools

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// startSandboxProcess runs the standalone sandbox in its own process, so
// that a benchmark measures only this process's work and memory.
func startSandboxProcess(b *testing.B) string {
	b.Helper()
	bin := filepath.Join(b.TempDir(), "cxreports-mcp")
	if out, err := exec.Command("go", "build", "-o", bin, "..").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	cmd := exec.Command(bin, "sandbox", "--addr", addr, "--token", sandbox.DefaultToken, "--log-level", "warn")
	stderr, _ := cmd.StderrPipe()
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	go bufio.NewReader(stderr).WriteTo(os.Stderr)
	for i := 0; i < 100; i++ {
		if c, err := net.Dial("tcp", addr); err == nil {
			c.Close()
			return "http://" + addr
		}
		time.Sleep(20 * time.Millisecond) // waiting for another process to listen; nothing to select on
	}
	b.Fatalf("sandbox did not start on %s", addr)
	return ""
}

// BenchmarkExportPDFLarge exports the sandbox's large document through
// export_pdf's whole path (client, streaming checks, file writing) with the
// sandbox in another process. Allocated bytes per op stay flat as the
// document grows: the body is streamed, never held.
func BenchmarkExportPDFLarge(b *testing.B) {
	url := startSandboxProcess(b)
	api, err := cxapi.New(cxapi.Config{BaseURL: url, Token: sandbox.DefaultToken, Timeout: time.Minute})
	if err != nil {
		b.Fatal(err)
	}
	for _, mb := range []int{5, 50} {
		b.Run(fmt.Sprintf("%dMB", mb), func(b *testing.B) {
			out := b.TempDir()
			deps := &Deps{Client: func(context.Context) (API, error) { return api, nil }, DefaultWorkspace: "demo", Timezone: "UTC", OutputDir: out}
			tool := exportPDF()
			st, err := tool.serverTool(deps, map[string]bool{tool.Name: true})
			if err != nil {
				b.Fatal(err)
			}
			// The first call compiles the argument validator; make it a
			// quick one that fails validation, outside the timing.
			if res, _ := st.Handler(context.Background(), callRequest(`{"sizeMB":1}`)); !res.IsError {
				b.Fatalf("a call with an unknown argument succeeded: %s", text(res))
			}
			args := fmt.Sprintf(`{"report_type":"large-document","params":{"sizeMB":%d}}`, mb)
			b.SetBytes(int64(mb) << 20)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				res, err := st.Handler(context.Background(), callRequest(args))
				if err != nil || res.IsError {
					b.Fatalf("export: %v %s", err, text(res))
				}
				b.StopTimer()
				files, _ := os.ReadDir(out)
				for _, f := range files {
					os.Remove(filepath.Join(out, f.Name()))
				}
				b.StartTimer()
			}
		})
	}
}
