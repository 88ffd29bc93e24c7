package app_test

import (
	"bufio"
	"encoding/json"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// buildBinary builds cxreports-mcp once per test binary.
func buildBinary(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	bin := filepath.Join(t.TempDir(), "cxreports-mcp")
	cmd := exec.Command("go", "build", "-o", bin, "../..")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build: %v", err)
	}
	return bin
}

// rpc is a JSON-RPC conversation with a server subprocess over stdio.
type rpc struct {
	t      *testing.T
	in     io.WriteCloser
	out    *bufio.Scanner
	nextID int
}

func (r *rpc) request(method string, params any) map[string]any {
	r.t.Helper()
	r.nextID++
	msg, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": r.nextID, "method": method, "params": params})
	if _, err := r.in.Write(append(msg, '\n')); err != nil {
		r.t.Fatal(err)
	}
	for r.out.Scan() {
		var m map[string]any
		if err := json.Unmarshal(r.out.Bytes(), &m); err != nil {
			r.t.Fatalf("stdout carried a line that is not JSON: %q", r.out.Text())
		}
		if m["jsonrpc"] != "2.0" {
			r.t.Fatalf("not JSON-RPC 2.0: %s", r.out.Text())
		}
		if id, ok := m["id"].(float64); ok && int(id) == r.nextID {
			return m
		}
	}
	r.t.Fatalf("no answer to %s: %v", method, r.out.Err())
	return nil
}

func (r *rpc) call(tool string, args any) (string, bool) {
	r.t.Helper()
	m := r.request("tools/call", map[string]any{"name": tool, "arguments": args})
	res, ok := m["result"].(map[string]any)
	if !ok {
		r.t.Fatalf("%s: no result: %v", tool, m)
	}
	text := res["content"].([]any)[0].(map[string]any)["text"].(string)
	return text, res["isError"] == true
}

// TestStdioSubprocess drives the real binary over stdio through
// initialize, tools/list and every tool, against the built-in sandbox.
func TestStdioSubprocess(t *testing.T) {
	bin := buildBinary(t)
	out := t.TempDir()
	cmd := exec.Command(bin, "--demo", "--demo-addr", "127.0.0.1:0", "--log-level", "debug")
	cmd.Env = append(os.Environ(), "CXREPORTS_OUTPUT_DIR="+out, "CXREPORTS_TIMEZONE=UTC")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	r := &rpc{t: t, in: stdin, out: sc}

	init := r.request("initialize", map[string]any{
		"protocolVersion": "2025-11-25", "capabilities": map[string]any{},
		"clientInfo": map[string]any{"name": "e2e", "version": "1"},
	})
	info := init["result"].(map[string]any)["serverInfo"].(map[string]any)
	if info["name"] != "cxreports-mcp" {
		t.Fatalf("serverInfo %v", info)
	}
	stdin.Write([]byte(`{"jsonrpc":"2.0","method":"notifications/initialized"}` + "\n"))

	list := r.request("tools/list", map[string]any{})
	var names []string
	for _, tool := range list["result"].(map[string]any)["tools"].([]any) {
		names = append(names, tool.(map[string]any)["name"].(string))
	}
	if got := strings.Join(names, ","); got != "create_preview_link,describe_report,export_pdf,list_report_types,list_reports,list_workspaces,push_temporary_data" {
		t.Fatalf("tools: %s", got)
	}

	steps := []struct {
		tool string
		args any
		want string
	}{
		{"list_workspaces", nil, `- 1 demo "Demo" (default)`},
		{"list_report_types", map[string]any{}, `- invoice "Invoice", default report 1627 "Invoice"`},
		{"list_reports", map[string]any{"limit": 2}, "More reports follow: call again with offset 2."},
		// --demo loads the sandbox's report hints.
		{"describe_report", map[string]any{"report_name": "bank account statement"}, "\n- dateFrom (string): First day of the statement, YYYY-MM-DD. Example: 2026-03-01\n"},
		{"export_pdf", map[string]any{"report_type": "invoice", "params": map[string]any{"month": "2026-03"}}, "Saved Invoice.pdf of the default \"invoice\" report in workspace demo"},
		{"push_temporary_data", map[string]any{"content": map[string]any{"account": "987654321"}}, "Stored the data in workspace demo as temp_data_id "},
		{"create_preview_link", map[string]any{"report_id": 1628}, "/ws/demo/reports/1628/preview?timezone=UTC&nonce="},
	}
	for _, s := range steps {
		text, isErr := r.call(s.tool, s.args)
		if isErr || !strings.Contains(text, s.want) {
			t.Errorf("%s: isError=%v text:\n%s\nwant it to contain %q", s.tool, isErr, text, s.want)
		}
	}
	if b, err := os.ReadFile(filepath.Join(out, "Invoice.pdf")); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("Invoice.pdf: %v", err)
	}
	if text, isErr := r.call("export_pdf", map[string]any{}); !isErr || !strings.HasPrefix(text, "A report is required") {
		t.Errorf("error path: %v %q", isErr, text)
	}
	if m := r.request("ping", nil); m["result"] == nil {
		t.Errorf("ping: %v", m)
	}

	// Closing stdin ends the server cleanly.
	stdin.Close()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("exit: %v\nstderr:\n%s", err, stderr.String())
		}
	case <-time.After(15 * time.Second):
		cmd.Process.Kill()
		t.Fatal("the server did not exit after stdin closed")
	}
	// The demo token is logged nowhere, even at debug level.
	if strings.Contains(stderr.String(), sandbox.DefaultToken) {
		t.Errorf("stderr shows the demo token %s", sandbox.DefaultToken)
	}
	if !strings.Contains(stderr.String(), "demo sandbox running") {
		t.Errorf("stderr lacks the start-up log:\n%s", stderr.String())
	}
}
