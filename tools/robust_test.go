package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/logging"
	"github.com/cxreports-mcp/cxreports-mcp/internal/stdio"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// requestsTo counts the requests the sandbox saw for one method and path.
func requestsTo(sb *sandbox.Server, method, path string) []sandbox.RecordedRequest {
	var out []sandbox.RecordedRequest
	for _, r := range sb.Requests() {
		if r.Method == method && r.Path == path {
			out = append(out, r)
		}
	}
	return out
}

// TestRetriesThroughTools: reads retry on 429, 502, 503 and 504 and then
// succeed; writes are sent once; a Retry-After is waited for, and one too
// long for a tool call is not.
func TestRetriesThroughTools(t *testing.T) {
	cases := []struct {
		tool, args    string
		route         sandbox.Route
		fault         sandbox.Fault
		method, path  string
		requests      int
		wantOK        bool
		want          string // exact error text, when !wantOK
		minRetryAfter time.Duration
	}{
		{"list_reports", `{}`, sandbox.RouteReports, sandbox.Fault{Status: 503, Times: 2},
			"GET", "/api/v1/ws/demo/reports", 3, true, "", 0},
		{"list_workspaces", `{}`, sandbox.RouteWorkspaces, sandbox.Fault{Status: 504, Times: 1},
			"GET", "/api/v1/workspaces", 2, true, "", 0},
		{"export_pdf", `{"report_id":1627}`, sandbox.RoutePDF, sandbox.Fault{Status: 502, Times: 1},
			"GET", "/api/v1/ws/demo/reports/1627/pdf", 2, true, "", 0},
		{"list_report_types", `{}`, sandbox.RouteReportTypes, sandbox.Fault{Status: 429, RetryAfter: time.Second, Times: 1},
			"GET", "/api/v1/ws/demo/report-types", 2, true, "", time.Second},
		{"list_reports", `{}`, sandbox.RouteReports, sandbox.Fault{Status: 503, Times: 5},
			"GET", "/api/v1/ws/demo/reports", 3, false, "CxReports failed with a server error (503: Service Unavailable). This is not caused by the arguments; try again later.", 0},
		{"list_reports", `{}`, sandbox.RouteReports, sandbox.Fault{Status: 429, RetryAfter: time.Minute, Times: 1},
			"GET", "/api/v1/ws/demo/reports", 1, false, "CxReports is limiting requests (429 Too Many Requests). Wait 1m0s and try again.", 0},
		{"push_temporary_data", `{"content":{"a":1}}`, sandbox.RouteTempData, sandbox.Fault{Status: 503, Times: 1},
			"POST", "/api/v1/ws/demo/temporary-data", 1, false, "CxReports failed with a server error (503: Service Unavailable). This is not caused by the arguments; try again later.", 0},
		{"create_preview_link", `{"report_id":1627}`, sandbox.RouteNonce, sandbox.Fault{Status: 429, RetryAfter: time.Second, Times: 1},
			"POST", "/api/v1/nonce-tokens", 1, false, "CxReports is limiting requests (429 Too Many Requests). Wait 1s and try again.", 0},
	}
	for _, c := range cases {
		t.Run(fmt.Sprintf("%s %d %s", c.tool, c.fault.Status, c.fault.RetryAfter), func(t *testing.T) {
			t.Parallel()
			h := newHarness(t)
			h.sb.SetFault(c.route, c.fault)
			res := h.call(c.tool, c.args)
			if res.IsError == c.wantOK || (!c.wantOK && text(res) != c.want) {
				t.Errorf("got isError=%v %q", res.IsError, text(res))
			}
			reqs := requestsTo(h.sb, c.method, c.path)
			if len(reqs) != c.requests {
				t.Fatalf("%d requests to %s %s, want %d", len(reqs), c.method, c.path, c.requests)
			}
			if c.minRetryAfter > 0 {
				if gap := reqs[1].At.Sub(reqs[0].At); gap < c.minRetryAfter {
					t.Errorf("retried after %s, before the Retry-After of %s", gap, c.minRetryAfter)
				}
			}
		})
	}
}

// documentServer answers every document request with h and everything
// else as the sandbox would not: these are faults the sandbox does not
// model (empty, mislabelled and slowly streamed documents).
func documentTools(t *testing.T, h http.HandlerFunc, callTimeout time.Duration) (*Deps, func(args string) *mcp.CallToolResult) {
	t.Helper()
	url := newServer(t, h)
	api, err := cxapi.New(cxapi.Config{BaseURL: url, Token: faultToken, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	deps := &Deps{
		Client:           func(context.Context) (API, error) { return api, nil },
		DefaultWorkspace: "demo",
		Timezone:         "UTC",
		OutputDir:        t.TempDir(),
		CallTimeout:      callTimeout,
	}
	c := connect(t, All(), deps)
	return deps, func(args string) *mcp.CallToolResult { return callTool(t, c, "export_pdf", args) }
}

func pdfAnswer(contentType, body string, length int) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", contentType)
		if length >= 0 {
			w.Header().Set("Content-Length", strconv.Itoa(length))
		}
		w.WriteHeader(200)
		w.Write([]byte(body))
	}
}

// TestBrokenDocumentsLeaveNoFile: a document that is empty, not a PDF,
// without its end, shorter than announced or arriving too slowly is
// reported as such, and nothing is left in the output folder.
func TestBrokenDocumentsLeaveNoFile(t *testing.T) {
	const pdf = "%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
	cases := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"empty", pdfAnswer("application/pdf", "", 0),
			"The answer from CxReports was cut off (the document is empty); try again. No file was saved."},
		{"empty without length", pdfAnswer("application/pdf", "", -1),
			"The answer from CxReports was cut off (the document is empty); try again. No file was saved."},
		{"not a PDF", pdfAnswer("application/pdf", "<html>Sign in</html>", -1),
			"CxReports answered with something other than the requested document (the body does not start with %PDF-). Check that CXREPORTS_URL points at CxReports itself, not a proxy or login page. No file was saved."},
		{"no %%EOF", pdfAnswer("application/pdf", "%PDF-1.4\n1 0 obj\n", -1),
			"The answer from CxReports was cut off (the PDF has no %%EOF marker at its end); try again. No file was saved."},
		{"shorter than its Content-Length", pdfAnswer("application/pdf", pdf, len(pdf)+100),
			fmt.Sprintf("The answer from CxReports was cut off (the connection closed after %d of %d bytes); try again. No file was saved.", len(pdf), len(pdf)+100)},
		{"octet-stream", pdfAnswer("application/octet-stream", pdf, -1),
			`CxReports answered with something other than the requested document (expected content type application/pdf, got "application/octet-stream"). Check that CXREPORTS_URL points at CxReports itself, not a proxy or login page. No file was saved.`},
		{"HTML page", pdfAnswer("text/html; charset=utf-8", "<html>Sign in</html>", -1),
			"CxReports answered with an HTML page (a login or proxy page) instead of data. Check that CXREPORTS_URL is the address of CxReports itself and that CXREPORTS_TOKEN is valid. No file was saved."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			deps, export := documentTools(t, c.handler, 0)
			res := export(`{"report_id":1627}`)
			if !res.IsError || text(res) != c.want {
				t.Errorf("got isError=%v\n%q\nwant\n%q", res.IsError, text(res), c.want)
			}
			if entries, _ := os.ReadDir(deps.OutputDir); len(entries) != 0 {
				t.Errorf("left in the output folder: %v", entries)
			}
		})
	}
}

// TestSlowDocumentMeetsTheCallDeadline: a document whose headers come at
// once but whose bytes stall is cut off by the call's deadline
// (CXREPORTS_TIMEOUT), reported as a timeout, and leaves no file.
func TestSlowDocumentMeetsTheCallDeadline(t *testing.T) {
	stalled := make(chan struct{})
	deps, export := documentTools(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", "100000")
		w.WriteHeader(200)
		w.Write([]byte("%PDF-1.4\n"))
		w.(http.Flusher).Flush()
		<-r.Context().Done()
		close(stalled)
	}, 200*time.Millisecond)
	res := export(`{"report_id":1627}`)
	want := "CxReports did not answer within the deadline (CXREPORTS_TIMEOUT). The report may be slow or the server overloaded; try again later or with less data, or raise CXREPORTS_TIMEOUT. " +
		`For a slow report, call export_pdf again with "async": true: it renders in the background and returns an export_id to collect later if it takes long. No file was saved.`
	if !res.IsError || text(res) != want {
		t.Errorf("got %q", text(res))
	}
	<-stalled // the download's request was ended, not left running
	if entries, _ := os.ReadDir(deps.OutputDir); len(entries) != 0 {
		t.Errorf("left in the output folder: %v", entries)
	}
}

// TestPanickingToolIsAnIsError: a handler that panics gives an isError
// result, the panic (even one holding the token) reaches only the log,
// redacted, and the server goes on.
func TestPanickingToolIsAnIsError(t *testing.T) {
	var logs bytes.Buffer
	deps := &Deps{
		Client: func(context.Context) (API, error) { return nil, nil },
		Logger: logging.New(&logs, slog.LevelDebug, faultToken),
	}
	boom := define(Tool{Name: "list_workspaces", Title: "Boom", Description: "Panics, for the test.", Toolset: ToolsetCore, Hints: ReadOnly},
		func(ctx context.Context, env *Env, in schemas.ListWorkspacesInput) (*mcp.CallToolResult, error) {
			panic("boom with token " + faultToken)
		})
	c := connect(t, []Tool{boom}, deps)
	for range 3 {
		res := callTool(t, c, "list_workspaces", "")
		if want := "Internal error in list_workspaces; the server is still running. Try again, and report this if it repeats."; !res.IsError || text(res) != want {
			t.Fatalf("got isError=%v %q", res.IsError, text(res))
		}
	}
	if err := c.Ping(context.Background()); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(logs.String(), "tool panicked") || !strings.Contains(logs.String(), "boom with token [redacted]") {
		t.Errorf("the panic was not logged, redacted:\n%s", logs.String())
	}
	if strings.Contains(logs.String(), faultToken) {
		t.Error("the token reached the log")
	}
}

// TestPanicOverStdio: over the stdio transport, at every log level, a
// panicking tool is answered with an isError result and stdout carries
// nothing but JSON-RPC; the log (stderr) gets the panic, redacted.
func TestPanicOverStdio(t *testing.T) {
	for _, level := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
		var logs, out bytes.Buffer
		log := logging.New(&logs, level, faultToken)
		// Named after a committed schema without arguments.
		boom := define(Tool{Name: "list_workspaces", Title: "Boom", Description: "Panics, for the test.", Toolset: ToolsetCore, Hints: ReadOnly},
			func(ctx context.Context, env *Env, in schemas.ListWorkspacesInput) (*mcp.CallToolResult, error) {
				panic("boom with token " + faultToken)
			})
		s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false))
		if err := Register(s, []Tool{boom}, &Deps{Client: func(context.Context) (API, error) { return nil, nil }, Logger: log}); err != nil {
			t.Fatal(err)
		}
		in := strings.Join([]string{
			`{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`,
			`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"list_workspaces"}}`,
			`{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"list_workspaces","arguments":{}}}`,
			`{"jsonrpc":"2.0","id":3,"method":"ping"}`,
		}, "\n") + "\n"
		if err := stdio.Serve(context.Background(), s, strings.NewReader(in), &out, stdio.Options{Logger: log}); err != nil {
			t.Fatal(err)
		}
		answers := map[float64]map[string]any{}
		for _, line := range strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n") {
			var m map[string]any
			if err := json.Unmarshal([]byte(line), &m); err != nil || m["jsonrpc"] != "2.0" {
				t.Fatalf("%v: stdout line is not JSON-RPC 2.0: %q", level, line)
			}
			answers[m["id"].(float64)] = m
		}
		for _, id := range []float64{1, 2} {
			res, _ := answers[id]["result"].(map[string]any)
			if res["isError"] != true {
				t.Errorf("%v: call %v: %v", level, id, answers[id])
			}
		}
		if len(answers) != 4 || answers[3]["result"] == nil {
			t.Errorf("%v: answers %v", level, answers)
		}
		if strings.Contains(out.String()+logs.String(), faultToken) {
			t.Errorf("%v: the token leaked", level)
		}
		if !strings.Contains(logs.String(), "tool panicked") {
			t.Errorf("%v: the panic was not logged:\n%s", level, logs.String())
		}
	}
}

// TestBadArgumentShapes: every malformed shape of arguments gets an
// isError result naming the field and what it expects, for every tool
// tools/list publishes; none reaches CxReports.
func TestBadArgumentShapes(t *testing.T) {
	h := newHarness(t)
	for _, tool := range publishedTools(t, h.client) {
		valid, known := argsFor(tool)
		if !known {
			continue
		}
		var fields map[string]any
		if err := json.Unmarshal([]byte(valid), &fields); err != nil {
			t.Fatal(err)
		}
		before := len(h.sb.Requests())
		for _, c := range []struct{ args, want string }{
			{`[]`, "Invalid arguments: arguments must be a JSON object such as {"},
			{`"x"`, "Invalid arguments: arguments must be a JSON object such as {"},
			{`42`, "Invalid arguments: arguments must be a JSON object such as {"},
			{merge(fields, `"no_such_argument":1`), `Invalid arguments: unknown argument "no_such_argument": this tool takes `},
			{merge(fields, `"workspace":["demo"]`), `Invalid arguments: argument "workspace" must be a string, not an array.`},
			{merge(fields, `"workspace":"`+strings.Repeat("w", 1<<20)+`"`), `Invalid arguments: argument "workspace" is too long: 1048576 characters, at most 512 allowed.`},
		} {
			if tool == "list_workspaces" && strings.Contains(c.args, "workspace") {
				continue
			}
			res := h.call(tool, c.args)
			if !res.IsError || !strings.HasPrefix(text(res), c.want) {
				t.Errorf("%s(%.60s): got isError=%v %q, want %q…", tool, c.args, res.IsError, text(res), c.want)
			}
			checkWellFormed(t, tool, res)
		}
		if after := len(h.sb.Requests()); after != before {
			t.Errorf("%s: bad arguments reached CxReports (%d requests)", tool, after-before)
		}
	}
	// Typed fields, one case each kind.
	for _, c := range []struct{ tool, args, want string }{
		{"push_temporary_data", `{}`, `Invalid arguments: missing required argument "content" (an object).`},
		{"push_temporary_data", `{"content":[1]}`, `Invalid arguments: argument "content" must be an object, not an array.`},
		{"list_reports", `{"limit":"ten"}`, `Invalid arguments: argument "limit" must be an integer, not a string.`},
		// A bare 1e309 cannot pass mcp-go's parsing in-process; the stdio
		// transport's toolargs.Guard lets it through (see e2e). As text:
		{"list_reports", `{"limit":"1e309"}`, `Invalid arguments: argument "limit" must be an integer; 1e309 is out of range.`},
		{"list_reports", `{"limit":0}`, `Invalid arguments: argument "limit" must be at least 1, not 0.`},
		{"export_pdf", `{"report_id":1627,"embed":"yes"}`, `Invalid arguments: argument "embed" must be a boolean, not a string.`},
		{"export_pdf", `{"report_id":1627,"params":{"n":1e-400}}`, `Invalid arguments: argument "params.n" holds the number 1e-400, which is out of range.`},
	} {
		if got := h.fail(c.tool, c.args); got != c.want {
			t.Errorf("%s(%s)\n got %q\nwant %q", c.tool, c.args, got, c.want)
		}
	}
}

// merge adds one "key":value member to a JSON object's members.
func merge(fields map[string]any, member string) string {
	b, _ := json.Marshal(fields)
	if len(fields) == 0 {
		return "{" + member + "}"
	}
	return strings.TrimSuffix(string(b), "}") + "," + member + "}"
}

// TestOversizedReportValues: params and data too large for a request line
// are refused before anything is sent, pointing at push_temporary_data;
// a server with a lower limit gets the same advice.
func TestOversizedReportValues(t *testing.T) {
	h := newHarness(t)
	big := `{"report_id":1627,"data":{"x":"` + strings.Repeat("a", 1<<20) + `"}}`
	// export_pdf sends large data in a request body.
	h.ok("export_pdf", big)
	if r := h.lastRequest("/api/v1/ws/demo/reports/1627/pdf"); r.Method != "POST" || r.RawQuery != "" {
		t.Errorf("large data went as %s ?%.40s", r.Method, r.RawQuery)
	}
	// create_preview_link pushes it as temporary data and links to that.
	got, _ := h.ok("create_preview_link", big)
	link := regexp.MustCompile(`http://\S+`).FindString(got)
	if len(link) > maxQueryBytes || !strings.Contains(link, "tempDataId=1001&") || strings.Contains(link, "data=") {
		t.Errorf("link of %d bytes: %.200s", len(link), link)
	}
	// Where push_temporary_data is not offered (read-only), it refuses.
	ro := connect(t, readOnlyTools(t), h.deps)
	want := "Params and data are too large for a link: 1.0 MiB encoded, at most 8.0 KiB; keep params and data small, or save the report with export_pdf instead."
	before := len(h.sb.Requests())
	if res := callTool(t, ro, "create_preview_link", big); !res.IsError || text(res) != want {
		t.Errorf("read-only: %q", text(res))
	}
	if len(h.sb.Requests()) != before {
		t.Error("the read-only call sent a request")
	}

	for _, status := range []int{413, 414, 431} {
		h.sb.SetFault(sandbox.RoutePDF, sandbox.Fault{Status: status, Times: 1})
		want := fmt.Sprintf("CxReports refused the request as too large (%d %s). Send less: push large data with push_temporary_data and pass its temp_data_id, and keep params small.", status, http.StatusText(status))
		if got := h.fail("export_pdf", `{"report_id":1627}`); got != want {
			t.Errorf("%d: %q", status, got)
		}
	}
}

// readOnlyTools is the tool set of --read-only.
func readOnlyTools(t *testing.T) []Tool {
	t.Helper()
	list, err := Select(All(), Selection{Toolsets: []string{ToolsetAll}, ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	return list
}
