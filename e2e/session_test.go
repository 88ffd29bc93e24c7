// Package e2e drives the real cxreports-mcp binary over stdio. The Go tests
// here build it, start it against a sandbox owned by the test (so faults
// can be injected and CxReports' side of every request observed), and
// check what a client sees on stdout and what the process writes on
// stderr. The checks with the official TypeScript peers live beside them
// (run.sh).
package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// binary is the cxreports-mcp executable built once for this test run.
var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "cxreports-mcp-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	binary = filepath.Join(dir, "cxreports-mcp")
	build := exec.Command("go", append(append([]string{"build"}, buildFlags...), "-o", binary, "..")...)
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "build cxreports-mcp:", err)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// message is one JSON-RPC message as read from stdout.
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params"`
	Result  json.RawMessage `json:"result"`
	Error   *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
	line []byte
}

// toolResult is the result of a tools/call.
type toolResult struct {
	Content []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"content"`
	IsError bool `json:"isError"`
}

// text returns the first text block of a tools/call answer, or the error.
func (m *message) text() string {
	if m.Error != nil {
		return fmt.Sprintf("JSON-RPC error %d: %s", m.Error.Code, m.Error.Message)
	}
	var r toolResult
	if json.Unmarshal(m.Result, &r) != nil || len(r.Content) == 0 {
		return ""
	}
	return r.Content[0].Text
}

// isError reports whether a tools/call answer is an isError result.
func (m *message) isError() bool {
	var r toolResult
	return m.Error == nil && json.Unmarshal(m.Result, &r) == nil && r.IsError
}

// session is one running cxreports-mcp speaking MCP over stdio.
type session struct {
	t     *testing.T
	cmd   *exec.Cmd
	stdin io.WriteCloser

	mu        sync.Mutex
	waiting   map[string]chan *message // by id
	answered  map[string]int           // answers per id
	stdout    bytes.Buffer             // everything read from stdout
	malformed []string                 // stdout lines that are not JSON-RPC 2.0
	done      chan struct{}            // closed when stdout ends
	nextID    int
}

// lockedBuffer is a bytes.Buffer safe for the process's writer and the
// test's reader.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// start runs the binary with exactly the given environment (plus PATH and
// a private HOME) and flags.
func start(t *testing.T, env map[string]string, args ...string) (*session, *lockedBuffer) {
	t.Helper()
	cmd := exec.Command(binary, args...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &lockedBuffer{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &session{t: t, cmd: cmd, stdin: stdin, waiting: map[string]chan *message{}, answered: map[string]int{}, done: make(chan struct{})}
	go s.read(stdout)
	t.Cleanup(func() {
		stdin.Close()
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			cmd.Process.Kill()
		}
		cmd.Wait()
	})
	return s, stderr
}

// read parses every stdout line and routes answers to their waiters.
func (s *session) read(stdout io.Reader) {
	defer close(s.done)
	r := bufio.NewReaderSize(stdout, 1<<20)
	for {
		line, err := r.ReadBytes('\n')
		if len(line) > 0 {
			s.take(line)
		}
		if err != nil {
			return
		}
	}
}

func (s *session) take(line []byte) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stdout.Write(line)
	var m message
	dec := json.NewDecoder(bytes.NewReader(line))
	if !bytes.HasSuffix(line, []byte("\n")) || dec.Decode(&m) != nil || dec.More() || m.JSONRPC != "2.0" {
		s.malformed = append(s.malformed, string(line))
		return
	}
	m.line = line
	hasID := len(m.ID) > 0 && string(m.ID) != "null"
	switch {
	case m.Method != "" && !hasID: // a notification
	case m.Method == "" && hasID && (m.Result == nil) != (m.Error == nil): // an answer
		id := string(m.ID)
		s.answered[id]++
		if ch, ok := s.waiting[id]; ok {
			ch <- &m
		}
	case m.Method == "" && !hasID && m.Error != nil: // an error about a message without id
	default:
		s.malformed = append(s.malformed, string(line))
	}
}

// send writes one raw message line and returns a channel for its answer
// (nil for a notification).
func (s *session) send(id string, msg string) chan *message {
	s.t.Helper()
	var ch chan *message
	if id != "" {
		ch = make(chan *message, 2)
		s.mu.Lock()
		s.waiting[id] = ch
		s.mu.Unlock()
	}
	if _, err := io.WriteString(s.stdin, msg+"\n"); err != nil {
		s.t.Fatalf("write to the server: %v", err)
	}
	return ch
}

// request sends a request with a fresh numeric id.
func (s *session) request(method, params string) (string, chan *message) {
	s.mu.Lock()
	s.nextID++
	id := fmt.Sprint(s.nextID)
	s.mu.Unlock()
	msg := fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":%q`, id, method)
	if params != "" {
		msg += `,"params":` + params
	}
	return id, s.send(id, msg+"}")
}

// callParams is the params of a tools/call; rawArgs "" sends none.
func callParams(tool, rawArgs string) string {
	if rawArgs == "" {
		return fmt.Sprintf(`{"name":%q}`, tool)
	}
	return fmt.Sprintf(`{"name":%q,"arguments":%s}`, tool, rawArgs)
}

// wait returns the answer on ch, failing after a generous bound (a hang
// is a failure, not a slow pass).
func (s *session) wait(what string, ch chan *message) *message {
	s.t.Helper()
	select {
	case m := <-ch:
		return m
	case <-s.done:
		s.t.Fatalf("%s: the server closed stdout without answering\nstderr:\n%s", what, s.cmd.Stderr)
	case <-time.After(60 * time.Second):
		s.t.Fatalf("%s: no answer within a minute", what)
	}
	return nil
}

// do sends a request and waits for its answer.
func (s *session) do(method, params string) *message {
	s.t.Helper()
	_, ch := s.request(method, params)
	return s.wait(method, ch)
}

func (s *session) initialize() []string {
	s.t.Helper()
	m := s.do("initialize", `{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"e2e","version":"1"}}`)
	if m.Error != nil {
		s.t.Fatalf("initialize: %s", m.text())
	}
	s.send("", `{"jsonrpc":"2.0","method":"notifications/initialized"}`)
	m = s.do("tools/list", "")
	var list struct {
		Tools []struct {
			Name string `json:"name"`
		} `json:"tools"`
	}
	if err := json.Unmarshal(m.Result, &list); err != nil || len(list.Tools) == 0 {
		s.t.Fatalf("tools/list: %v %s", err, m.line)
	}
	var names []string
	for _, tool := range list.Tools {
		names = append(names, tool.Name)
	}
	return names
}

// ping checks that the server still answers.
func (s *session) ping() {
	s.t.Helper()
	if m := s.do("ping", ""); m.Error != nil || string(m.Result) != "{}" {
		s.t.Fatalf("ping: %s", m.line)
	}
}

// closeAndCheck closes stdin, waits for the server to exit, and checks
// that every request was answered exactly once (except those in noAnswer)
// and that stdout held nothing but JSON-RPC 2.0.
func (s *session) closeAndCheck(noAnswer ...string) {
	s.t.Helper()
	s.stdin.Close()
	select {
	case <-s.done:
	case <-time.After(60 * time.Second):
		s.t.Fatal("the server did not end after stdin closed")
	}
	if err := s.cmd.Wait(); err != nil {
		s.t.Errorf("the server exited with %v", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, line := range s.malformed {
		s.t.Errorf("stdout line is not JSON-RPC 2.0: %.200q", line)
	}
	skip := map[string]bool{}
	for _, id := range noAnswer {
		skip[id] = true
	}
	for id := range s.waiting {
		switch n := s.answered[id]; {
		case skip[id] && n != 0:
			s.t.Errorf("request %s was answered %d times, want none", id, n)
		case !skip[id] && n != 1:
			s.t.Errorf("request %s was answered %d times, want once", id, n)
		}
	}
}

// front serves the sandbox to the binary and lets the test see each
// request to CxReports start and end.
type front struct {
	sb      *sandbox.Server
	hs      *httptest.Server
	started chan string // "METHOD /path" as each request arrives
	ended   chan string // the same when its handler returns
}

func newFront(t *testing.T, token string) *front {
	t.Helper()
	f := &front{
		sb:      sandbox.New(sandbox.Options{Token: token}),
		started: make(chan string, 1024),
		ended:   make(chan string, 1024),
	}
	f.hs = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.Method + " " + r.URL.Path
		notify(f.started, key)
		defer notify(f.ended, key)
		f.sb.ServeHTTP(w, r)
	}))
	t.Cleanup(f.hs.Close)
	return f
}

// notify records an event without ever blocking the sandbox.
func notify(ch chan string, key string) {
	select {
	case ch <- key:
	default:
	}
}

// drain forgets the events seen so far.
func drain(ch chan string) {
	for {
		select {
		case <-ch:
		default:
			return
		}
	}
}

// awaitEvent waits for an event with the given key.
func awaitEvent(t *testing.T, ch chan string, key string) {
	t.Helper()
	timeout := time.After(30 * time.Second)
	for {
		select {
		case got := <-ch:
			if got == key {
				return
			}
		case <-timeout:
			t.Fatalf("no %s within 30s", key)
		}
	}
}
