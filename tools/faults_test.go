package tools

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// validArgs are arguments that succeed against the sandbox, per tool. A
// tool missing here is still called by the fault matrix, with {}, and
// then only has to give a well-formed result: add it here to hold it to
// the same standard as the others.
var validArgs = map[string]string{
	"list_workspaces":     `{}`,
	"list_report_types":   `{}`,
	"list_reports":        `{}`,
	"export_pdf":          `{"report_id":1627,"params":{"month":"2026-03"}}`,
	"push_temporary_data": `{"content":{"account":"123"}}`,
	"create_preview_link": `{"report_id":1628,"params":{"dateFrom":"2026-03-01"}}`,
	"list_report_options": `{"report_id":1627}`,
	"export_batch":        `{"items":[{"report_type":"invoice","params":{"month":"2026-04"}}]}`,
	"list_jobs":           `{}`,
	"start_job_run":       `{"job":"daily-invoices"}`,
	// get_job_run, create_review_document and deliver_job_run need a run
	// that a fresh sandbox does not have: they take the {} fallback.
}

// faultToken is the sandbox token of the fault matrix; no message may
// contain it.
const faultToken = "fault-matrix-token-5b1e"

// fault is one way CxReports fails, and the phrases every tool's message
// must then contain.
type fault struct {
	name string
	// setup breaks the fixture: installs a sandbox fault, or points the
	// client somewhere else.
	setup func(fx *faultFixture)
	want  []string
}

// faultFixture is a sandbox and the client settings the tools get.
type faultFixture struct {
	sb   *sandbox.Server
	cfg  cxapi.Config
	deps *Deps
}

// faults are the sandbox faults of issue 5, each expected to give every
// tool an isError result with an actionable message.
func faults(t *testing.T) []fault {
	return []fault{
		{"latency past the deadline", func(fx *faultFixture) {
			fx.sb.SetFault(sandbox.RouteAny, sandbox.Fault{Latency: time.Hour})
			fx.cfg.Timeout = 100 * time.Millisecond
			fx.deps.CallTimeout = 100 * time.Millisecond
		}, []string{"did not answer within the deadline", "CXREPORTS_TIMEOUT"}},
		{"401", status(401), []string{"401", "CXREPORTS_TOKEN"}},
		{"403", status(403), []string{"403 Forbidden", "token"}},
		{"404", status(404), []string{"404", "list"}},
		{"429 with Retry-After, retries exhausted", func(fx *faultFixture) {
			fx.sb.SetFault(sandbox.RouteAny, sandbox.Fault{Status: 429, RetryAfter: time.Second})
		}, []string{"429", "Wait 1s and try again"}},
		{"500", status(500), []string{"server error (500", "try again later"}},
		{"502", status(502), []string{"server error (502", "try again later"}},
		{"connection refused", func(fx *faultFixture) {
			fx.cfg.BaseURL = closedServerURL(t)
		}, []string{"Cannot reach CxReports", "CXREPORTS_URL"}},
		{"DNS failure", func(fx *faultFixture) {
			fx.cfg.BaseURL = "http://nonexistent.invalid"
			fx.cfg.HTTPClient = noDNSClient()
		}, []string{"Cannot reach CxReports", "nonexistent.invalid", "CXREPORTS_URL"}},
		{"HTML error page", func(fx *faultFixture) {
			fx.sb.SetFault(sandbox.RouteAny, sandbox.Fault{HTMLBody: true})
		}, []string{"CXREPORTS_URL"}},
		{"wrong content type", func(fx *faultFixture) {
			fx.sb.SetFault(sandbox.RouteAny, sandbox.Fault{WrongContentType: true})
		}, []string{"CXREPORTS_URL"}},
		{"truncated body", func(fx *faultFixture) {
			fx.sb.SetFault(sandbox.RouteAny, sandbox.Fault{TruncateBody: true})
		}, []string{"cut off", "try again"}},
		{"huge body", func(fx *faultFixture) {
			fx.cfg.MaxJSONBytes = 16
			fx.cfg.MaxDocumentBytes = 16
		}, []string{"larger than this server accepts"}},
	}
}

func status(code int) func(fx *faultFixture) {
	return func(fx *faultFixture) { fx.sb.SetFault(sandbox.RouteAny, sandbox.Fault{Status: code}) }
}

// closedServerURL returns the URL of a server that no longer listens.
func closedServerURL(t *testing.T) string {
	hs := httptest.NewServer(http.NotFoundHandler())
	hs.Close()
	return hs.URL
}

// noDNSClient resolves names as a machine without a reachable DNS server
// does, so the DNS case does not depend on the test machine's network.
func noDNSClient() *http.Client {
	r := &net.Resolver{PreferGo: true, Dial: func(context.Context, string, string) (net.Conn, error) {
		return nil, errors.New("no DNS server reachable")
	}}
	return &http.Client{Transport: &http.Transport{DialContext: (&net.Dialer{Resolver: r}).DialContext}}
}

// newFaultFixture serves the tools against a fresh sandbox, broken by f.
func newFaultFixture(t *testing.T, f *fault) (*faultFixture, *client.Client) {
	t.Helper()
	sb := sandbox.New(sandbox.Options{Token: faultToken})
	hs := httptest.NewServer(sb)
	t.Cleanup(hs.Close)
	fx := &faultFixture{
		sb:  sb,
		cfg: cxapi.Config{BaseURL: hs.URL, Token: faultToken, Timeout: 5 * time.Second, MaxRetries: 1},
		deps: &Deps{
			DefaultWorkspace: sandbox.DemoWorkspaceCode,
			Timezone:         "UTC",
			OutputDir:        t.TempDir(),
			EmbedLimit:       DefaultEmbedLimit,
			CallTimeout:      10 * time.Second,
		},
	}
	if f != nil {
		f.setup(fx)
	}
	api, err := cxapi.New(fx.cfg)
	if err != nil {
		t.Fatal(err)
	}
	fx.deps.Client = func(context.Context) (API, error) { return api, nil }
	return fx, connect(t, All(), fx.deps)
}

// publishedTools returns the names tools/list gives the client.
func publishedTools(t *testing.T, c *client.Client) []string {
	t.Helper()
	res, err := c.ListTools(context.Background(), mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range res.Tools {
		names = append(names, tool.Name)
	}
	if len(names) == 0 {
		t.Fatal("tools/list is empty")
	}
	return names
}

// argsFor returns the valid arguments of a tool, or {} for a tool the
// table does not know.
func argsFor(tool string) (args string, known bool) {
	if a, ok := validArgs[tool]; ok {
		return a, true
	}
	return `{}`, false
}

// TestValidArgsSucceed keeps the table honest: without a fault, every
// tool it names succeeds with its arguments.
func TestValidArgsSucceed(t *testing.T) {
	_, c := newFaultFixture(t, nil)
	for _, tool := range publishedTools(t, c) {
		args, known := argsFor(tool)
		res := callTool(t, c, tool, args)
		if known && res.IsError {
			t.Errorf("%s(%s) failed without a fault: %s", tool, args, text(res))
		}
	}
}

// TestFaultMatrix calls every tool that tools/list publishes under every
// sandbox fault: each call must end in an isError result whose text says
// what happened and what to do, names no token, URL query or Go
// internals, and leaves no file behind; the server keeps answering.
func TestFaultMatrix(t *testing.T) {
	for _, f := range faults(t) {
		t.Run(f.name, func(t *testing.T) {
			t.Parallel()
			fx, c := newFaultFixture(t, &f)
			for _, tool := range publishedTools(t, c) {
				args, known := argsFor(tool)
				res := callTool(t, c, tool, args)
				msg := text(res)
				t.Logf("%s: %s", tool, msg)
				checkWellFormed(t, tool, res)
				if !known {
					continue
				}
				if !res.IsError {
					t.Errorf("%s succeeded under %q: %s", tool, f.name, msg)
					continue
				}
				for _, phrase := range f.want {
					if !strings.Contains(msg, phrase) {
						t.Errorf("%s: %q lacks %q", tool, msg, phrase)
					}
				}
			}
			if entries, _ := os.ReadDir(fx.deps.OutputDir); len(entries) != 0 {
				t.Errorf("files left in the output folder: %v", entries)
			}
			// The server still answers.
			if err := c.Ping(context.Background()); err != nil {
				t.Errorf("ping after %q: %v", f.name, err)
			}
			publishedTools(t, c)
		})
	}
}

// checkWellFormed holds any result to what every client can show: a text
// block first, a sentence, bounded, and free of secrets, query strings and
// Go internals.
func checkWellFormed(t *testing.T, tool string, res *mcp.CallToolResult) {
	t.Helper()
	if res == nil || len(res.Content) == 0 {
		t.Fatalf("%s: empty result", tool)
	}
	msg := text(res)
	if msg == "" {
		t.Fatalf("%s: the first content block is not text: %#v", tool, res.Content[0])
	}
	if !res.IsError {
		return
	}
	if !strings.HasSuffix(msg, ".") || len(msg) > 600 {
		t.Errorf("%s: message is not one short sentence or two: %q", tool, msg)
	}
	for _, bad := range []string{faultToken, "Bearer", "?params", "params=", "nonce=", "%7B", "&{", "%!", "<nil>", "context deadline exceeded"} {
		if strings.Contains(msg, bad) {
			t.Errorf("%s: message contains %q: %q", tool, bad, msg)
		}
	}
}
