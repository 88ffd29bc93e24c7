package app

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/internal/httpserver"
	"github.com/cxreports-mcp/cxreports-mcp/internal/logging"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

const (
	serverToken  = "server-own-token-7f3a"
	limitedToken = "limited-user-token-91c2"
)

// tokenLog wraps the sandbox and counts the bearer tokens it receives.
type tokenLog struct {
	mu     sync.Mutex
	counts map[string]int
}

func (l *tokenLog) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, _ := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		l.mu.Lock()
		l.counts[tok]++
		l.mu.Unlock()
		h.ServeHTTP(w, r)
	})
}

// startHTTP starts the app's runtime against a sandbox with known tokens
// and serves it over the network transport; it returns the base URL.
func startHTTP(t *testing.T, transportName string, args []string, logs io.Writer) (string, *tokenLog) {
	return startHTTPToken(t, transportName, args, logs, serverToken)
}

func startHTTPToken(t *testing.T, transportName string, args []string, logs io.Writer, token string) (string, *tokenLog) {
	t.Helper()
	tl := &tokenLog{counts: map[string]int{}}
	sb := sandbox.New(sandbox.Options{Token: serverToken, LimitedToken: limitedToken})
	sbs := httptest.NewServer(tl.wrap(sb))
	t.Cleanup(sbs.Close)
	env := map[string]string{config.EnvToken: token, config.EnvURL: sbs.URL, config.EnvOutputDir: t.TempDir(), config.EnvWorkspace: "demo"}
	cfg, _, err := config.Load(append([]string{"--transport", transportName, "--log-level", "debug"}, args...), func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	log := logging.New(logs, cfg.LogLevel, cfg.Token.Reveal())
	rt, err := start(t.Context(), cfg, log)
	if err != nil {
		t.Fatal(err)
	}
	hs, err := httpserver.New(rt.server, httpOptions(cfg, log))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(hs)
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
		rt.Close()
	})
	return srv.URL, tl
}

func dialHTTP(t *testing.T, base, transportName string, headers map[string]string) (*client.Client, error) {
	t.Helper()
	var tr transport.Interface
	var err error
	if transportName == "sse" {
		tr, err = transport.NewSSE(base+"/sse", transport.WithHeaders(headers))
	} else {
		tr, err = transport.NewStreamableHTTP(base+"/mcp", transport.WithHTTPHeaders(headers))
	}
	if err != nil {
		return nil, err
	}
	c := client.NewClient(tr, client.WithProtocolVersion(mcp.ProtocolVersion20251125))
	if err := c.Start(t.Context()); err != nil {
		return nil, err
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	req.Params.ClientInfo = mcp.Implementation{Name: "app-test", Version: "1"}
	if _, err := c.Initialize(t.Context(), req); err != nil {
		c.Close()
		return nil, err
	}
	t.Cleanup(func() { c.Close() })
	return c, nil
}

func callText(t *testing.T, c *client.Client, name, args string) (string, bool, string) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = json.RawMessage(args)
	res, err := c.CallTool(t.Context(), req)
	if err != nil {
		return "", false, err.Error()
	}
	raw, _ := json.Marshal(res)
	tc, _ := res.Content[0].(mcp.TextContent)
	return tc.Text, res.IsError, string(raw)
}

// Two users on one team server, at the same time: each call acts with its
// own caller's token; a caller without one gets the server's; the
// server's token never reaches a client.
func TestPerUserTokens(t *testing.T) {
	for _, transportName := range []string{"http", "sse"} {
		t.Run(transportName, func(t *testing.T) {
			var logs bytes.Buffer
			base, tl := startHTTP(t, transportName, nil, &syncWriter{w: &logs})
			limited, err := dialHTTP(t, base, transportName, map[string]string{httpserver.UserTokenHeader: limitedToken})
			if err != nil {
				t.Fatal(err)
			}
			own, err := dialHTTP(t, base, transportName, nil)
			if err != nil {
				t.Fatal(err)
			}
			const rounds = 15
			var wg sync.WaitGroup
			var mu sync.Mutex
			var problems, bodies []string
			check := func(c *client.Client, name, args string, want func(text string, isErr bool) bool) {
				defer wg.Done()
				text, isErr, raw := callText(t, c, name, args)
				mu.Lock()
				defer mu.Unlock()
				bodies = append(bodies, raw)
				if !want(text, isErr) {
					problems = append(problems, fmt.Sprintf("%s %s: %v %q", name, args, isErr, text))
				}
			}
			// Warm each user's name cache (workspaces, report types), so
			// that the rounds below make exactly one CxReports call each.
			callText(t, limited, "list_reports", `{"workspace":"demo","limit":1}`)
			callText(t, own, "list_reports", `{"workspace":"demo","limit":1}`)
			tl.mu.Lock()
			clear(tl.counts)
			tl.mu.Unlock()
			for range rounds {
				wg.Add(4)
				go check(limited, "list_workspaces", `{}`, func(s string, e bool) bool {
					return !e && strings.HasSuffix(s, "(id, code, name):\n- 26 finance \"Finance\"")
				})
				go check(limited, "list_reports", `{"workspace":"demo","limit":1}`, func(s string, e bool) bool {
					return e && strings.Contains(s, "403")
				})
				go check(own, "list_workspaces", `{}`, func(s string, e bool) bool {
					return !e && strings.HasPrefix(s, "3 workspaces (id, code, name):\n")
				})
				go check(own, "list_reports", `{"workspace":"demo","limit":1}`, func(s string, e bool) bool {
					return !e && strings.Contains(s, "1627 \"Invoice\"")
				})
			}
			wg.Wait()
			for _, p := range problems {
				t.Error(p)
			}
			tl.mu.Lock()
			counts := fmt.Sprint(tl.counts)
			if tl.counts[limitedToken] != 2*rounds || tl.counts[serverToken] != 2*rounds || len(tl.counts) != 2 {
				t.Errorf("tokens seen by CxReports: %s, want %d of each", counts, 2*rounds)
			}
			tl.mu.Unlock()
			for _, b := range bodies {
				if strings.Contains(b, serverToken) || strings.Contains(b, limitedToken) {
					t.Fatalf("a token reached a client: %s", b)
				}
			}
			if strings.Contains(logs.String(), serverToken) || strings.Contains(logs.String(), limitedToken) {
				t.Errorf("a token is in the log")
			}
		})
	}
}

// A team server with no CxReports token of its own.
func TestUserTokensOnly(t *testing.T) {
	var logs bytes.Buffer
	base, _ := startHTTPToken(t, "http", nil, &syncWriter{w: &logs}, "")
	c, err := dialHTTP(t, base, "http", nil)
	if err != nil {
		t.Fatal(err)
	}
	if text, isErr, _ := callText(t, c, "list_workspaces", `{}`); !isErr || !strings.Contains(text, "send your personal access token in the X-CxReports-Token header") {
		t.Errorf("without any token: %v %s", isErr, text)
	}

	base, _ = startHTTPToken(t, "http", []string{"--require-user-token"}, &syncWriter{w: &logs}, "")
	if _, err := dialHTTP(t, base, "http", nil); err == nil || !strings.Contains(err.Error(), "authorization required") {
		t.Errorf("a client without a user token connected: %v", err)
	}
	c, err = dialHTTP(t, base, "http", map[string]string{httpserver.UserTokenHeader: limitedToken})
	if err != nil {
		t.Fatal(err)
	}
	if text, isErr, _ := callText(t, c, "list_report_types", `{"workspace":"finance"}`); isErr || !strings.HasPrefix(text, "5 report types in workspace finance") {
		t.Errorf("with a user token: %v %s", isErr, text)
	}
}

type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (s *syncWriter) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.w.Write(p)
}

// The real process, a real SIGTERM during a slow export: the export
// finishes, the process exits 0.
func TestSIGTERMDuringSlowExport(t *testing.T) {
	if os.Getenv("CXR_SIGTERM_HELPER") == "1" {
		os.Exit(sigtermHelper())
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSIGTERMDuringSlowExport$")
	cmd.Env = append(os.Environ(), "CXR_SIGTERM_HELPER=1", "CXR_OUT="+t.TempDir())
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cmd.Process.Kill() })
	lines := make(chan string, 100)
	var all strings.Builder
	go func() {
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	next := func(re *regexp.Regexp) []string {
		for line := range lines {
			all.WriteString(line + "\n")
			if m := re.FindStringSubmatch(line); m != nil {
				return m
			}
		}
		t.Fatalf("the server ended without a line matching %s:\n%s", re, all.String())
		return nil
	}
	url := next(regexp.MustCompile(`serving MCP over the network .*url=(http://127\.0\.0\.1:\d+)/mcp`))[1]
	c, err := dialHTTP(t, url, "http", nil)
	if err != nil {
		t.Fatal(err)
	}
	type result struct {
		text  string
		isErr bool
		raw   string
	}
	done := make(chan result, 1)
	go func() {
		text, isErr, raw := callText(t, c, "export_pdf", `{"report_type":"invoice"}`)
		done <- result{text, isErr, raw}
	}()
	next(regexp.MustCompile(`^pdf request arrived$`))
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	r := <-done
	if r.isErr || !strings.HasPrefix(r.text, "Saved Invoice.pdf of the default \"invoice\" report") {
		t.Errorf("export during shutdown: %s", r.raw)
	}
	next(regexp.MustCompile(`shutting down: finishing requests in flight .*in_flight=1`))
	next(regexp.MustCompile(`shut down`))
	for line := range lines {
		all.WriteString(line + "\n")
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("exit: %v\n%s", err, all.String())
	}
}

// sigtermHelper is the child process of TestSIGTERMDuringSlowExport: a
// sandbox that holds PDF requests until the app has logged that it is
// shutting down, and the app serving Streamable HTTP in front of it.
func sigtermHelper() int {
	shuttingDown := make(chan struct{})
	stderr := &watchWriter{w: os.Stderr, needle: []byte("shutting down: finishing requests in flight"), seen: shuttingDown}
	sb := sandbox.New(sandbox.Options{})
	sbs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/pdf") {
			fmt.Fprintln(os.Stderr, "pdf request arrived")
			<-shuttingDown
		}
		sb.ServeHTTP(w, r)
	}))
	defer sbs.Close()
	env := map[string]string{config.EnvToken: sandbox.DefaultToken, config.EnvOutputDir: os.Getenv("CXR_OUT")}
	return Run(context.Background(), []string{"--transport", "http", "--addr", "127.0.0.1:0", "--url", sbs.URL, "--workspace", "demo"},
		IO{Stdin: strings.NewReader(""), Stdout: os.Stdout, Stderr: stderr, Getenv: func(k string) string { return env[k] }})
}

// watchWriter passes writes on and closes seen once needle was written.
type watchWriter struct {
	mu     sync.Mutex
	w      io.Writer
	needle []byte
	seen   chan struct{}
	done   bool
}

func (ww *watchWriter) Write(p []byte) (int, error) {
	n, err := ww.w.Write(p)
	ww.mu.Lock()
	defer ww.mu.Unlock()
	if !ww.done && bytes.Contains(p, ww.needle) {
		ww.done = true
		close(ww.seen)
	}
	return n, err
}
