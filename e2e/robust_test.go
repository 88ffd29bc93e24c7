package e2e

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// validArgs are arguments that succeed against the sandbox. A published
// tool missing here is still called, with {}, and must answer well-formed.
var validArgs = map[string]string{
	"list_workspaces":     `{}`,
	"list_report_types":   `{}`,
	"list_reports":        `{"limit":5}`,
	"export_pdf":          `{"report_id":1627,"params":{"month":"2026-03"}}`,
	"push_temporary_data": `{"content":{"account":"123"}}`,
	"create_preview_link": `{"report_id":1628}`,
}

func argsFor(tool string) (string, bool) {
	if a, ok := validArgs[tool]; ok {
		return a, true
	}
	return `{}`, false
}

// CXREPORTS_TIMEOUT in these sessions: short, so that the latency fault
// costs little, yet far above a sandbox call, and for the session that
// pushes 5 MiB above what that takes under the race detector (about 5s).
const (
	timeout        = 3 * time.Second
	bigCallTimeout = 15 * time.Second
)

// sandboxFault is a fault the test injects on CxReports' side, with the
// phrases each tool's message must then contain.
type sandboxFault struct {
	name  string
	fault sandbox.Fault
	want  []string
}

var sandboxFaults = []sandboxFault{
	{"latency past the deadline", sandbox.Fault{Latency: time.Hour}, []string{"did not answer within the deadline", "CXREPORTS_TIMEOUT"}},
	{"401", sandbox.Fault{Status: 401}, []string{"401", "CXREPORTS_TOKEN"}},
	{"403", sandbox.Fault{Status: 403}, []string{"403 Forbidden"}},
	{"404", sandbox.Fault{Status: 404}, []string{"404"}},
	{"429", sandbox.Fault{Status: 429}, []string{"429", "try again"}},
	{"500", sandbox.Fault{Status: 500}, []string{"server error (500"}},
	{"502", sandbox.Fault{Status: 502}, []string{"server error (502"}},
	{"HTML error page", sandbox.Fault{HTMLBody: true}, []string{"CXREPORTS_URL"}},
	{"wrong content type", sandbox.Fault{WrongContentType: true}, []string{"CXREPORTS_URL"}},
	{"truncated body", sandbox.Fault{TruncateBody: true}, []string{"cut off"}},
}

// throwFaults calls every tool under every sandbox fault, each fault as
// one burst of parallel calls, and checks the answers.
func throwFaults(t *testing.T, s *session, f *front, tools []string) {
	t.Helper()
	for _, sf := range sandboxFaults {
		f.sb.SetFault(sandbox.RouteAny, sf.fault)
		ids := map[string]chan *message{}
		for _, tool := range tools {
			args, _ := argsFor(tool)
			_, ch := s.request("tools/call", callParams(tool, args))
			ids[tool] = ch
		}
		for tool, ch := range ids {
			m := s.wait(tool, ch)
			_, known := argsFor(tool)
			checkAnswer(t, tool, m)
			if !known {
				continue
			}
			if !m.isError() {
				t.Errorf("%s under %s: not an isError result: %s", tool, sf.name, m.line)
				continue
			}
			for _, phrase := range sf.want {
				if !strings.Contains(m.text(), phrase) {
					t.Errorf("%s under %s: %q lacks %q", tool, sf.name, m.text(), phrase)
				}
			}
		}
		f.sb.ClearFaults()
	}
}

// checkAnswer holds every tools/call answer to the error channel rule:
// a result (never a JSON-RPC error) with text first.
func checkAnswer(t *testing.T, what string, m *message) {
	t.Helper()
	if m.Error != nil {
		t.Errorf("%s: JSON-RPC error %d %q where an isError result belongs", what, m.Error.Code, m.Error.Message)
		return
	}
	if m.text() == "" {
		t.Errorf("%s: no text first: %.300s", what, m.line)
	}
}

// badArguments are argument shapes real clients send, each with the text
// its isError result must start with ("" when the call may succeed).
func badArguments(tool string, huge bool) []struct{ args, want string } {
	valid, _ := argsFor(tool)
	withExtra := func(member string) string {
		if valid == `{}` {
			return "{" + member + "}"
		}
		return strings.TrimSuffix(valid, "}") + "," + member + "}"
	}
	cases := []struct{ args, want string }{
		{``, ""},     // no arguments at all
		{`null`, ""}, // null
		{`[]`, "Invalid arguments: arguments must be a JSON object"},
		{`"x"`, "Invalid arguments: arguments must be a JSON object"},
		{withExtra(`"unknown_key":1`), `Invalid arguments: unknown argument "unknown_key"`},
		{withExtra(`"huge":1e309`), `Invalid arguments: `},
	}
	if tool != "list_workspaces" {
		cases = append(cases, struct{ args, want string }{withExtra(`"workspace":{"id":1}`), `Invalid arguments: argument "workspace" must be a string, not an object.`})
		if huge {
			cases = append(cases, struct{ args, want string }{withExtra(`"workspace":"` + strings.Repeat("w", 1<<20) + `"`), `Invalid arguments: argument "workspace" is too long: 1048576 characters`})
		}
	}
	return cases
}

// throwBadArguments sends every bad shape to every tool plus typed cases;
// huge adds a 1 MiB string for each tool.
func throwBadArguments(t *testing.T, s *session, tools []string, huge bool) {
	t.Helper()
	for _, tool := range tools {
		for _, c := range badArguments(tool, huge) {
			m := s.do("tools/call", callParams(tool, c.args))
			checkAnswer(t, tool, m)
			if c.want != "" && (!m.isError() || !strings.HasPrefix(m.text(), c.want)) {
				t.Errorf("%s(%.60s): %q, want %q…", tool, c.args, m.text(), c.want)
			}
		}
	}
	for _, c := range []struct{ tool, args, want string }{
		{"list_reports", `{"limit":1e309}`, `Invalid arguments: argument "limit" must be an integer; 1e309 is out of range.`},
		{"list_reports", `{"limit":-1e400,"offset":"x"}`, `Invalid arguments: argument "limit" must be an integer; -1e400 is out of range.`},
		{"export_pdf", `{"report_id":1627,"params":{"n":[1e309]}}`, `Invalid arguments: argument "params.n.0" holds the number 1e309, which is out of range.`},
		{"push_temporary_data", `{}`, `Invalid arguments: missing required argument "content" (an object).`},
		{"list_reports", `{"limit":"5"}`, ``},
		{"export_pdf", `{"report_id":"1627","embed":"maybe"}`, `Invalid arguments: argument "embed" must be a boolean, not a string.`},
		{"nope", `{}`, `JSON-RPC error -32602`},
	} {
		m := s.do("tools/call", callParams(c.tool, c.args))
		if c.tool != "nope" {
			checkAnswer(t, c.tool, m)
		}
		if c.want == "" && m.isError() || c.want != "" && m.text() != c.want && !strings.HasPrefix(m.text(), c.want) {
			t.Errorf("%s(%s): %q, want %q", c.tool, c.args, m.text(), c.want)
		}
	}
}

// TestOneSessionSurvivesEverything throws everything of issue 5 at one
// stdio session of the real binary: bad arguments of every shape, every
// CxReports fault for every tool, a cancelled export, a slow export next
// to ping, parallel calls, messages of megabytes, and finally a burst
// followed at once by the end of stdin. The session answers a final ping,
// answers every request exactly once (the cancelled one never), and
// writes nothing but JSON-RPC 2.0 to stdout.
func TestOneSessionSurvivesEverything(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary for tens of seconds; not in -short mode")
	}
	const token = "canary-one-session-6f0c2e"
	f := newFront(t, token)
	out := t.TempDir()
	s, stderr := start(t, map[string]string{
		"CXREPORTS_URL":        f.hs.URL,
		"CXREPORTS_TOKEN":      token,
		"CXREPORTS_WORKSPACE":  "demo",
		"CXREPORTS_OUTPUT_DIR": out,
		"CXREPORTS_TIMEOUT":    bigCallTimeout.String(),
		"CXREPORTS_LOG_LEVEL":  "debug",
	})
	tools := s.initialize()

	throwBadArguments(t, s, tools, true)
	throwFaults(t, s, f, tools)

	// A slow export holds up neither ping nor a quick call; then
	// notifications/cancelled ends its CxReports request at once, and the
	// cancelled call gets no answer.
	f.sb.SetFault(sandbox.RoutePDF, sandbox.Fault{Latency: time.Hour})
	drain(f.started)
	drain(f.ended)
	cancelledID, slow := s.request("tools/call", callParams("export_pdf", `{"report_id":1627}`))
	awaitEvent(t, f.started, "GET /api/v1/ws/demo/reports/1627/pdf")
	s.ping()
	if m := s.do("tools/call", callParams("list_workspaces", `{}`)); m.isError() {
		t.Errorf("a quick call next to a slow one: %s", m.text())
	}
	select {
	case m := <-slow:
		t.Fatalf("the slow export ended early: %s", m.line)
	default:
	}
	sent := time.Now()
	s.send("", fmt.Sprintf(`{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":%s,"reason":"user"}}`, cancelledID))
	awaitEvent(t, f.ended, "GET /api/v1/ws/demo/reports/1627/pdf")
	t.Logf("the CxReports request ended %s after notifications/cancelled", time.Since(sent))
	f.sb.ClearFaults()

	// Parallel calls on one connection are all answered.
	var parallel []chan *message
	for i := range 20 {
		tool := []string{"export_pdf", "list_reports", "create_preview_link", "list_report_types"}[i%4]
		args, _ := argsFor(tool)
		_, ch := s.request("tools/call", callParams(tool, args))
		parallel = append(parallel, ch)
	}
	_, pingCh := s.request("ping", "")
	for i, ch := range parallel {
		if m := s.wait(fmt.Sprint("parallel call ", i), ch); m.isError() {
			t.Errorf("parallel call %d: %s", i, m.text())
		}
	}
	s.wait("ping among parallel calls", pingCh)

	// Megabytes in: a 5 MiB object pushed as temporary data.
	big := fmt.Sprintf(`{"content":{"blob":%q}}`, strings.Repeat("x", 5<<20))
	pushed := time.Now()
	if m := s.do("tools/call", callParams("push_temporary_data", big)); m.isError() {
		t.Errorf("5 MiB push: %s", m.text())
	}
	t.Logf("5 MiB push took %s", time.Since(pushed))

	// CxReports unreachable: the server stays up and says what to check.
	f.hs.Close()
	if m := s.do("tools/call", callParams("list_workspaces", "")); !m.isError() || !strings.Contains(m.text(), "CXREPORTS_URL") {
		t.Errorf("unreachable: %q", m.text())
	}

	// The final ping, then a burst, and stdin closes right after it.
	s.ping()
	for i := range 30 {
		switch i % 3 {
		case 0:
			s.request("ping", "")
		case 1:
			s.request("tools/list", "")
		default:
			s.request("tools/call", callParams("list_reports", `{"limit":"3"}`))
		}
	}
	s.closeAndCheck(cancelledID)

	checkNoSecret(t, token, s.stdout.String(), stderr.String())
	checkNoPartialFiles(t, out)
	if !strings.Contains(stderr.String(), "DBG") {
		t.Error("no debug lines on stderr at log level debug; the secret check would prove nothing")
	}
}

// TestCanaryTokenNeverLeaks runs every tool under every fault and every
// bad argument shape at every log level, with the token from the
// environment and from CXREPORTS_TOKEN_FILE, and searches stdout and
// stderr (which hold every result and error text) for the token in any
// common encoding. It also checks that no query string shows in errors.
func TestCanaryTokenNeverLeaks(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the real binary for tens of seconds; not in -short mode")
	}
	// The sessions mostly wait (deadlines, backoff): run them all at once.
	var wg sync.WaitGroup
	for _, source := range []string{"env", "file"} {
		for _, level := range []string{"debug", "info", "warn", "error"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				t.Run(source+"/"+level, func(t *testing.T) { canarySession(t, source, level) })
			}()
		}
	}
	wg.Wait()
}

func canarySession(t *testing.T, source, level string) {
	token := "canary-" + source + "-" + level + "-9d41c7e2"
	f := newFront(t, token)
	out := t.TempDir()
	env := map[string]string{
		"CXREPORTS_URL":        f.hs.URL,
		"CXREPORTS_WORKSPACE":  "demo",
		"CXREPORTS_OUTPUT_DIR": out,
		"CXREPORTS_TIMEOUT":    timeout.String(),
		"CXREPORTS_LOG_LEVEL":  level,
	}
	if source == "env" {
		env["CXREPORTS_TOKEN"] = token
	} else {
		file := filepath.Join(t.TempDir(), "token")
		if err := os.WriteFile(file, []byte(" "+token+"\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		env["CXREPORTS_TOKEN_FILE"] = file
	}
	s, stderr := start(t, env)
	tools := s.initialize()
	for _, tool := range tools {
		args, known := argsFor(tool)
		if m := s.do("tools/call", callParams(tool, args)); known && m.isError() {
			t.Errorf("%s without a fault: %s", tool, m.text())
		}
	}
	throwBadArguments(t, s, tools, false)
	throwFaults(t, s, f, tools)
	// Errors never show a query string (params, data, nonces).
	f.sb.SetFault(sandbox.RouteAny, sandbox.Fault{Status: 500})
	m := s.do("tools/call", callParams("export_pdf", `{"report_id":1627,"params":{"secret":"p4r4m"},"data":{"d":"d4t4"}}`))
	if txt := m.text(); strings.Contains(txt, "p4r4m") || strings.Contains(txt, "d4t4") || strings.Contains(txt, "?") {
		t.Errorf("a query string shows in %q", txt)
	}
	f.sb.ClearFaults()
	s.ping()
	s.closeAndCheck()
	checkNoSecret(t, token, s.stdout.String(), stderr.String())
	checkNoPartialFiles(t, out)
	if level == "debug" && !strings.Contains(stderr.String(), "DBG") {
		t.Error("no debug lines on stderr at log level debug; the search would prove little")
	}
}

// TestDNSFailure: a CXREPORTS_URL whose host does not resolve is reported
// for every tool, naming the host and the setting. It uses the machine's
// resolver as a user's server would; the calls go out at once, so that even
// a resolver that times out instead of answering costs one wait.
func TestDNSFailure(t *testing.T) {
	const token = "canary-dns-1b7a"
	s, stderr := start(t, map[string]string{
		"CXREPORTS_URL":       "http://nonexistent.invalid",
		"CXREPORTS_TOKEN":     token,
		"CXREPORTS_WORKSPACE": "demo",
		"CXREPORTS_TIMEOUT":   "50s",
		"CXREPORTS_LOG_LEVEL": "debug",
	})
	answers := map[string]chan *message{}
	for _, tool := range s.initialize() {
		args, _ := argsFor(tool)
		_, answers[tool] = s.request("tools/call", callParams(tool, args))
	}
	for tool, ch := range answers {
		m := s.wait(tool, ch)
		checkAnswer(t, tool, m)
		if _, known := argsFor(tool); known && (!m.isError() || !strings.Contains(m.text(), "nonexistent.invalid") || !strings.Contains(m.text(), "CXREPORTS_URL")) {
			t.Errorf("%s: %q", tool, m.text())
		}
	}
	s.ping()
	s.closeAndCheck()
	checkNoSecret(t, token, s.stdout.String(), stderr.String())
}

// checkNoSecret searches texts for the token as is and as commonly
// encoded (base64 of "Bearer …", URL-escaped, JSON-escaped).
func checkNoSecret(t *testing.T, token string, texts ...string) {
	t.Helper()
	forms := []string{
		token,
		base64.StdEncoding.EncodeToString([]byte(token)),
		base64.StdEncoding.EncodeToString([]byte("Bearer " + token)),
		url.QueryEscape(token),
		token[:len(token)/2] + "\\u", // split by an escape
	}
	for i, text := range texts {
		for _, form := range forms {
			if strings.Contains(text, form) {
				t.Errorf("output %d contains the token (as %q)", i, form)
			}
		}
	}
}

// checkNoPartialFiles fails when a download left a temporary file.
func checkNoPartialFiles(t *testing.T, dir string) {
	t.Helper()
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") || strings.HasSuffix(e.Name(), ".part") {
			t.Errorf("partial file left in the output folder: %s", e.Name())
		}
	}
}
