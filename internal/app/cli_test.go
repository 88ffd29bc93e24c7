package app

import (
	"bytes"
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// runCLI runs the command line with env as the whole environment (plus an
// output folder in a temporary directory) and returns stdout, stderr and
// the exit code.
func runCLI(t *testing.T, args []string, env map[string]string) (string, string, int) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := Run(context.Background(), args, IO{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr, Getenv: testEnv(t, env)})
	return stdout.String(), stderr.String(), code
}

func testEnv(t *testing.T, env map[string]string) func(string) string {
	out := t.TempDir()
	return func(k string) string {
		if k == "CXREPORTS_OUTPUT_DIR" {
			return out
		}
		return env[k]
	}
}

// syncBuffer is a writer safe for concurrent use that signals when its
// content first contains a wanted string.
type syncBuffer struct {
	mu    sync.Mutex
	buf   bytes.Buffer
	want  string
	found chan struct{}
}

func newSyncBuffer(want string) *syncBuffer {
	return &syncBuffer{want: want, found: make(chan struct{})}
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	had := b.want != "" && strings.Contains(b.buf.String(), b.want)
	n, err := b.buf.Write(p)
	if !had && b.want != "" && strings.Contains(b.buf.String(), b.want) {
		close(b.found)
	}
	return n, err
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func (b *syncBuffer) wait(t *testing.T) {
	t.Helper()
	select {
	case <-b.found:
	case <-time.After(20 * time.Second):
		t.Fatalf("never printed %q; got:\n%s", b.want, b.String())
	}
}

func TestHelpShowsSubcommands(t *testing.T) {
	for _, args := range [][]string{{"--help"}, {"-h"}, {"help"}} {
		out, _, code := runCLI(t, args, nil)
		if code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
		for _, s := range []string{
			"  cxreports-mcp call TOOL ['{json args}']  run one tool",
			"  cxreports-mcp tools                      list the tools",
			"  cxreports-mcp doctor                     check the settings",
			"  cxreports-mcp sandbox [--addr A] [--token T]",
			"  cxreports-mcp version                    print the version and commit",
			"\nFlags (most read an environment variable too, shown as $NAME):\n",
			"\n  -demo\n",
			"  -url string\n    \tCxReports base URL, e.g. https://tenant.cx-reports.app ($CXREPORTS_URL)\n",
		} {
			if !strings.Contains(out, s) {
				t.Errorf("%v: help lacks %q:\n%s", args, s, out)
			}
		}
	}
	for cmd, first := range map[string]string{
		"call":    "Usage: cxreports-mcp call TOOL ['{json arguments}'] [--json] [flags]\n",
		"tools":   "Usage: cxreports-mcp tools [--json] [flags]\n",
		"doctor":  "Usage: cxreports-mcp doctor [flags]\n",
		"sandbox": "Usage: cxreports-mcp sandbox [--addr A] [--token T] [--async-delay D] [--log-level L]\n",
	} {
		for _, args := range [][]string{{cmd, "--help"}, {"help", cmd}} {
			out, errOut, code := runCLI(t, args, nil)
			if code != 0 || !strings.HasPrefix(out, first) || errOut != "" {
				t.Errorf("%v: exit %d, stdout %q, stderr %q", args, code, out, errOut)
			}
		}
	}
	out, _, _ := runCLI(t, []string{"sandbox", "-h"}, nil)
	if !strings.Contains(out, "  -addr string\n    \taddress to listen on (port 0: a free port) (default \"127.0.0.1:8089\")\n") {
		t.Errorf("sandbox help:\n%s", out)
	}
	_, errOut, code := runCLI(t, []string{"help", "nope"}, nil)
	if code != 2 || !strings.HasPrefix(errOut, "cxreports-mcp: no help for \"nope\"\n") {
		t.Errorf("help nope: exit %d, %q", code, errOut)
	}
}

func TestSandboxLogsItsRealAddressOnce(t *testing.T) {
	stderr := newSyncBuffer("listening")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"sandbox", "--addr", "127.0.0.1:0", "--token", "t0k"}, IO{Stdout: io.Discard, Stderr: stderr, Getenv: func(string) string { return "" }})
	}()
	stderr.wait(t)
	m := regexp.MustCompile(`url=http://127\.0\.0\.1:(\d+)`).FindStringSubmatch(stderr.String())
	if m == nil || m[1] == "0" {
		t.Errorf("no real address in %q", stderr.String())
	} else {
		req, _ := http.NewRequest("GET", "http://127.0.0.1:"+m[1]+"/api/v1/workspaces", nil)
		req.Header.Set("Authorization", "Bearer t0k")
		resp, err := http.DefaultClient.Do(req)
		if err != nil || resp.StatusCode != 200 {
			t.Errorf("the logged address does not serve: %v %v", resp, err)
		} else {
			resp.Body.Close()
		}
	}
	cancel()
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}
	if n := strings.Count(stderr.String(), "listening"); n != 1 {
		t.Errorf("%d listening lines:\n%s", n, stderr.String())
	}
}

func TestDoctorCommand(t *testing.T) {
	ts := httptest.NewServer(sandbox.New(sandbox.Options{Token: "right-token"}))
	defer ts.Close()
	env := map[string]string{"CXREPORTS_URL": ts.URL, "CXREPORTS_TOKEN": "right-token", "CXREPORTS_WORKSPACE": "demo"}

	out, _, code := runCLI(t, []string{"doctor"}, env)
	if code != 0 || !strings.HasPrefix(out, VersionString()+"\n") || !strings.HasSuffix(out, "All checks passed.\n") {
		t.Errorf("sandbox: exit %d\n%s", code, out)
	}

	env["CXREPORTS_TOKEN"] = "wrong-token"
	out, _, code = runCLI(t, []string{"doctor"}, env)
	if code != 1 || !strings.Contains(out, "✗ CXREPORTS_TOKEN is not accepted: CxReports answered 401 Unauthorized\n    Fix: Set CXREPORTS_TOKEN to a valid personal access token") {
		t.Errorf("wrong token: exit %d\n%s", code, out)
	}
	if strings.Contains(out, "wrong-token") {
		t.Errorf("the token is printed:\n%s", out)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	closed := "http://" + ln.Addr().String()
	ln.Close()
	env["CXREPORTS_URL"], env["CXREPORTS_TOKEN"] = closed, "right-token"
	out, _, code = runCLI(t, []string{"doctor"}, env)
	if code != 1 || !strings.Contains(out, "✗ CxReports does not answer at "+closed+": ") || !strings.Contains(out, "    Fix: Check CXREPORTS_URL: ") {
		t.Errorf("closed port: exit %d\n%s", code, out)
	}

	// Flags win over the environment, as for the server.
	out, _, code = runCLI(t, []string{"doctor", "--url", ts.URL}, env)
	if code != 0 {
		t.Errorf("--url: exit %d\n%s", code, out)
	}

	out, _, code = runCLI(t, []string{"doctor", "--demo", "--demo-addr", "127.0.0.1:0"}, nil)
	if code != 0 || !strings.Contains(out, "Checking the built-in demo sandbox at http://127.0.0.1:") || !strings.HasSuffix(out, "All checks passed.\n") {
		t.Errorf("--demo: exit %d\n%s", code, out)
	}
	if strings.Contains(out, sandbox.DefaultToken) {
		t.Errorf("the demo token is printed:\n%s", out)
	}
}

func TestCallShowsProgressOnStderr(t *testing.T) {
	// A background export that takes 2 s: the first status poll finds it
	// running even on a busy machine.
	ts := httptest.NewServer(sandbox.New(sandbox.Options{Token: "t", AsyncExportDelay: 2 * time.Second}))
	defer ts.Close()
	env := map[string]string{"CXREPORTS_URL": ts.URL, "CXREPORTS_TOKEN": "t", "CXREPORTS_WORKSPACE": "demo"}
	out, errOut, code := runCLI(t, []string{"call", "export_pdf", `{"report_type":"invoice","async":true}`}, env)
	if code != 0 || !strings.HasPrefix(out, "Saved Invoice.pdf of the default \"invoice\" report in workspace demo (") {
		t.Fatalf("exit %d\nstdout:\n%s\nstderr:\n%s", code, out, errOut)
	}
	if !regexp.MustCompile(`(?m)^… Export 5001 is rendering on CxReports: [01]\.[0-9] s so far\.$`).MatchString(errOut) {
		t.Errorf("no progress on stderr:\n%s", errOut)
	}
	if strings.Contains(out, "…") {
		t.Errorf("progress on stdout:\n%s", out)
	}
}

func TestProgressPrinter(t *testing.T) {
	var buf bytes.Buffer
	p := newProgressPrinter(&buf, "tok")
	note := func(method string, fields map[string]any) {
		n := mcpNotification(method, fields)
		p.handle(n)
	}
	note("notifications/progress", map[string]any{"progressToken": "tok", "progress": 1, "message": "Rendering: 0.2 s so far."})
	note("notifications/progress", map[string]any{"progressToken": "other", "progress": 2, "message": "not ours"})
	note("notifications/message", map[string]any{"level": "info", "data": "a log"})
	note("notifications/progress", map[string]any{"progressToken": "tok", "progress": 3, "total": 10})
	p.stop()
	note("notifications/progress", map[string]any{"progressToken": "tok", "progress": 4, "message": "too late"})
	if got, want := buf.String(), "… Rendering: 0.2 s so far.\n… 3 of 10\n"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestCallDemoKeepsServingAPreviewLink(t *testing.T) {
	stdout := newSyncBuffer("")
	stderr := newSyncBuffer("The demo sandbox keeps serving so that the link opens; press Ctrl-C to stop.")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan int, 1)
	go func() {
		done <- Run(ctx, []string{"call", "create_preview_link", "--demo", "--demo-addr", "127.0.0.1:0", `{"report_id":1628}`},
			IO{Stdout: stdout, Stderr: stderr, Getenv: testEnv(t, nil)})
	}()
	stderr.wait(t)
	link := regexp.MustCompile(`http://127\.0\.0\.1:\d+/ws/\S+/preview\?\S+`).FindString(stdout.String())
	if link == "" {
		t.Fatalf("no link in:\n%s", stdout.String())
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatalf("the link does not open: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), "<title>Bank Account Statement</title>") {
		t.Errorf("preview: %d\n%s", resp.StatusCode, body)
	}
	select {
	case code := <-done:
		t.Fatalf("call returned %d before Ctrl-C", code)
	default:
	}
	cancel() // Ctrl-C
	if code := <-done; code != 0 {
		t.Errorf("exit %d", code)
	}

	// A result without a link returns at once.
	_, errOut, code := runCLI(t, []string{"call", "list_workspaces", "--demo", "--demo-addr", "127.0.0.1:0"}, nil)
	if code != 0 || strings.Contains(errOut, "keeps serving") {
		t.Errorf("list_workspaces: exit %d, stderr %q", code, errOut)
	}
}

func mcpNotification(method string, fields map[string]any) mcp.JSONRPCNotification {
	return mcp.JSONRPCNotification{JSONRPC: mcp.JSONRPC_VERSION, Notification: mcp.Notification{Method: method, Params: mcp.NotificationParams{AdditionalFields: fields}}}
}
