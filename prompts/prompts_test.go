package prompts

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// coreTools are the tools a default server offers.
var coreTools = []string{"list_workspaces", "list_report_types", "list_reports", "describe_report", "export_pdf", "push_temporary_data", "create_preview_link"}

// jobTools are the job tools, served by the jobs toolset.
var jobTools = []string{"list_jobs", "start_job_run", "get_job_run", "create_review_document", "deliver_job_run"}

// connect serves the prompts for the given tools, completing against a
// sandbox, to an in-process client pinned to 2025-11-25.
func connect(t *testing.T, served []string, defaultWorkspace string) *client.Client {
	t.Helper()
	hs := httptest.NewServer(sandbox.New(sandbox.Options{}))
	t.Cleanup(hs.Close)
	api, err := cxapi.New(cxapi.Config{BaseURL: hs.URL, Token: sandbox.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	deps := &tools.Deps{
		Client:           func(context.Context) (tools.API, error) { return api, nil },
		DefaultWorkspace: defaultWorkspace,
	}
	// As internal/mcpserver builds it.
	s := server.NewMCPServer("test", "1",
		server.WithPromptCapabilities(false),
		server.WithCompletions(),
		server.WithPromptCompletionProvider(Completions(deps, served)),
	)
	Register(s, served, deps)
	c, err := client.NewInProcessClientWithOptions(s, client.WithProtocolVersion(mcp.ProtocolVersion20251125))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	req.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	init, err := c.Initialize(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if init.Capabilities.Prompts == nil || init.Capabilities.Completions == nil {
		t.Fatalf("capabilities: %+v", init.Capabilities)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func listPrompts(t *testing.T, c *client.Client) []mcp.Prompt {
	t.Helper()
	res, err := c.ListPrompts(context.Background(), mcp.ListPromptsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return res.Prompts
}

func getPrompt(t *testing.T, c *client.Client, name string, args map[string]string) string {
	t.Helper()
	req := mcp.GetPromptRequest{}
	req.Params.Name = name
	req.Params.Arguments = args
	res, err := c.GetPrompt(context.Background(), req)
	if err != nil {
		t.Fatalf("prompts/get %s: %v", name, err)
	}
	if len(res.Messages) != 1 || res.Messages[0].Role != mcp.RoleUser {
		t.Fatalf("prompts/get %s: messages %+v", name, res.Messages)
	}
	text, ok := res.Messages[0].Content.(mcp.TextContent)
	if !ok {
		t.Fatalf("prompts/get %s: content %T", name, res.Messages[0].Content)
	}
	return text.Text
}

func complete(t *testing.T, c *client.Client, prompt, arg, value string, given map[string]string) mcp.Completion {
	t.Helper()
	req := mcp.CompleteRequest{}
	req.Params.Ref = mcp.PromptReference{Type: "ref/prompt", Name: prompt}
	req.Params.Argument = mcp.CompleteArgument{Name: arg, Value: value}
	req.Params.Context = mcp.CompleteContext{Arguments: given}
	res, err := c.Complete(context.Background(), req)
	if err != nil {
		t.Fatalf("complete %s.%s: %v", prompt, arg, err)
	}
	return res.Completion
}

func TestPromptsList(t *testing.T) {
	c := connect(t, coreTools, "demo")
	got, err := json.MarshalIndent(listPrompts(t, c), "", " ")
	if err != nil {
		t.Fatal(err)
	}
	// Sorted by name; the job prompt is missing: no job tools are served.
	want := `[
 {
  "name": "export_report",
  "title": "Export a report with my data",
  "description": "Fill a CxReports report with your data and save it as a PDF, then check what it says.",
  "arguments": [
   {
    "name": "report",
    "title": "Report",
    "description": "Report type code (e.g. invoice) or report id; leave empty to choose from a list."
   },
   {
    "name": "data",
    "title": "Data",
    "description": "The data for the report: JSON, a file path, or a description."
   },
   {
    "name": "workspace",
    "title": "Workspace",
    "description": "Workspace id, code or name; empty for the default."
   }
  ]
 },
 {
  "name": "integrate_cxreports",
  "title": "Integrate CxReports into my app",
  "description": "A guide for developers: embed report previews and serve PDFs from your own backend, with the token kept on the server.",
  "arguments": [
   {
    "name": "language",
    "title": "Language",
    "description": "Backend language of the samples: typescript or python; empty for both."
   },
   {
    "name": "report",
    "title": "Report",
    "description": "Report id or type code to use in the samples."
   }
  ]
 },
 {
  "name": "share_report_preview",
  "title": "Find a report and share a preview link",
  "description": "Find the report you describe and make a browser link that shows it rendered.",
  "arguments": [
   {
    "name": "what",
    "title": "Which report",
    "description": "What the report is, e.g. \"March invoice\" or \"bank statement for account 987654321\"."
   },
   {
    "name": "workspace",
    "title": "Workspace",
    "description": "Workspace id, code or name; empty for the default."
   }
  ]
 }
]`
	if string(got) != want {
		t.Errorf("prompts/list:\n%s\nwant:\n%s", got, want)
	}
}

func TestPromptsFollowServedTools(t *testing.T) {
	names := func(ps []mcp.Prompt) []string {
		var out []string
		for _, p := range ps {
			out = append(out, p.Name)
		}
		return out
	}
	for _, tc := range []struct {
		served []string
		want   []string
	}{
		{append(slices.Clone(coreTools), jobTools...), []string{"export_report", "integrate_cxreports", "review_job_run", "share_report_preview"}},
		// Without delivery (the default), a person delivers in CxReports.
		{append(slices.Clone(coreTools), jobTools[:4]...), []string{"export_report", "integrate_cxreports", "review_job_run", "share_report_preview"}},
		{append(slices.Clone(coreTools), jobTools[:3]...), []string{"export_report", "integrate_cxreports", "share_report_preview"}},
		{[]string{"list_workspaces", "list_report_types", "list_reports", "export_pdf"}, []string{"export_report", "integrate_cxreports"}},
		{nil, []string{"integrate_cxreports"}},
	} {
		if got := names(listPrompts(t, connect(t, tc.served, ""))); !slices.Equal(got, tc.want) {
			t.Errorf("serving %v: prompts %v, want %v", tc.served, got, tc.want)
		}
	}
}

func TestExportReportPrompt(t *testing.T) {
	c := connect(t, coreTools, "demo")
	got := getPrompt(t, c, "export_report", map[string]string{"report": "invoice", "data": `{"customer":"ACME","items":[{"name":"Widget","price":9.5}]}`})
	want := "Export a CxReports report as a PDF, filled with my data.\n\n" +
		"Workspace: the default workspace (demo).\n" +
		"Report: invoice (a number is a report_id; a type code such as invoice is a report_type; anything else a report_name).\n" +
		"Data:\n{\"customer\":\"ACME\",\"items\":[{\"name\":\"Widget\",\"price\":9.5}]}\n\n" +
		"Steps:\n" +
		"1. Shape the data as the report expects: values that choose what is shown (a month, a customer) go in params, the records it lists go in data. Call describe_report for the params and data it takes. If it documents none, export the report once without data with include_text: true and read which parameters and data it shows, or ask me.\n" +
		"2. Pass small data inline as data. For large data (more than a few KB, long lists) call push_temporary_data with it first and pass the temp_data_id it returns instead.\n" +
		"3. Call export_pdf with include_text: true. Tell me where the file is, and check in the returned text that my data is in the document; summarize what it says. If export_pdf reports an error, follow what it says and try again before asking me.\n"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}

	// No arguments, no default workspace, and no push_temporary_data (as
	// with --read-only): the text adapts.
	c = connect(t, []string{"list_workspaces", "list_report_types", "list_reports", "export_pdf"}, "")
	got = getPrompt(t, c, "export_report", nil)
	for _, phrase := range []string{
		"Workspace: the workspace I name; if I named none, call list_workspaces and ask me.\n",
		"Report: not chosen yet. Call list_report_types (each type has a default report) and, if needed, list_reports, then ask me which one.\n",
		"Data: ask me for it.\n",
		"2. Pass the data inline as data.\n",
		"If you do not know the shape, export the report once without data with include_text: true",
	} {
		if !strings.Contains(got, phrase) {
			t.Errorf("text lacks %q:\n%s", phrase, got)
		}
	}
	if strings.Contains(got, "push_temporary_data") {
		t.Errorf("text names a tool the server does not serve:\n%s", got)
	}
}

func TestSharePreviewPrompt(t *testing.T) {
	c := connect(t, coreTools, "demo")
	got := getPrompt(t, c, "share_report_preview", map[string]string{"what": "March invoice", "workspace": "finance"})
	want := "Find a CxReports report and give me a preview link to share.\n\n" +
		"Workspace: workspace \"finance\" (pass workspace: \"finance\" to each tool).\n" +
		"The report I mean: March invoice\n\n" +
		"Steps:\n" +
		"1. Find it: call list_report_types and list_reports (page with offset when it says more follow). If several reports could match, list them and ask me; do not guess.\n" +
		"2. If my description names values (a month, an account, a customer), pass them as params or data, named as the report expects.\n" +
		"3. Call create_preview_link and give me the link with its report's name. Tell me: it opens once, in one browser, and keeps working there; for another person or browser, ask for a new link. If I want to put it in a web page, call it again with iframe: true for an HTML snippet.\n"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
}

func TestReviewJobRunPrompt(t *testing.T) {
	c := connect(t, append(slices.Clone(coreTools), jobTools...), "demo")
	got := getPrompt(t, c, "review_job_run", map[string]string{"job": "daily-invoices", "params": `{"date":"2026-05-29"}`})
	for _, phrase := range []string{
		"Run a CxReports job and let me review it before anything is delivered.\n\nWorkspace: the default workspace (demo).\nJob: daily-invoices.\nParameters: {\"date\":\"2026-05-29\"}\n",
		"1. Call list_jobs to check the job exists, is active, and whether it requires review.\n",
		"2. Call start_job_run with the parameters, then get_job_run until the run is finished.",
		"3. If entries wait for review, call create_review_document and read it;",
		"4. Stop and ask me whether to deliver. Call deliver_job_run only after I answer yes in this conversation: delivery sends e-mails to people and cannot be undone.",
	} {
		if !strings.Contains(got, phrase) {
			t.Errorf("text lacks %q:\n%s", phrase, got)
		}
	}
	// The delivery step comes after the review step.
	if strings.Index(got, "deliver_job_run") < strings.Index(got, "create_review_document") {
		t.Errorf("delivery before review:\n%s", got)
	}
}

func TestIntegrationGuidePrompt(t *testing.T) {
	c := connect(t, coreTools, "demo")
	py := getPrompt(t, c, "integrate_cxreports", map[string]string{"language": "python", "report": "1628"})
	for _, phrase := range []string{
		"Never put it in browser code, HTML, a URL, a log line or the repository.",
		"POST {base}/api/v1/nonce-tokens (no body; answers {\"nonce\":\"…\"})",
		"{base}/ws/{workspace}/reports/{report id or type code}/preview?params=<JSON>&tempDataId=<id>&timezone=<IANA zone>&nonce=<nonce>",
		"iframe.contentWindow.postMessage(\"print\", \"*\")",
		"GET {base}/api/v1/ws/{workspace}/reports/{report}/pdf?params=<JSON>&tempDataId=<id>&timezone=<zone> with the Bearer token",
		"POST {base}/api/v1/ws/{workspace}/temporary-data and body {\"content\":{…},\"expiryDate\":\"<ISO 8601, optional>\"}",
		"call create_preview_link with iframe: true",
		"Backend, Python (Flask and requests):\n```python\n",
		`cx.headers["Authorization"] = f"Bearer {TOKEN}"`,
		`nonce = call("POST", "/nonce-tokens").json()["nonce"]`,
		`return jsonify(url=preview_url("1628", {"month": request.args["month"]}))`,
		`r = call("GET", f"/ws/{quote(WS)}/reports/{quote('1628')}/pdf", params=report_query({"month": request.args["month"]}))`,
		"Browser (no token here, only your backend's routes):",
	} {
		if !strings.Contains(py, phrase) {
			t.Errorf("python guide lacks %q", phrase)
		}
	}
	if strings.Contains(py, "```ts") || strings.Contains(py, `"{report}"`) || strings.Contains(py, `'{report}'`) {
		t.Errorf("python guide has TypeScript or an unfilled sample report:\n%s", py)
	}
	ts := getPrompt(t, c, "integrate_cxreports", map[string]string{"language": "TypeScript"})
	for _, phrase := range []string{
		"Backend, TypeScript (Node 18+, Express):\n```ts\n",
		"headers: { Authorization: `Bearer ${TOKEN}`,",
		`const { nonce } = await (await cx("/nonce-tokens", { method: "POST" })).json();`,
		`res.json({ url: await previewUrl("invoice", { month: String(req.query.month) }) });`,
	} {
		if !strings.Contains(ts, phrase) {
			t.Errorf("typescript guide lacks %q", phrase)
		}
	}
	if strings.Contains(ts, "```python") {
		t.Error("typescript guide has the Python sample")
	}
	if both := getPrompt(t, c, "integrate_cxreports", nil); !strings.Contains(both, "```ts") || !strings.Contains(both, "```python") {
		t.Error("without a language the guide should have both samples")
	}
}

func TestGetUnknownPrompt(t *testing.T) {
	c := connect(t, coreTools, "demo")
	req := mcp.GetPromptRequest{}
	req.Params.Name = "review_job_run" // not served: no job tools
	_, err := c.GetPrompt(context.Background(), req)
	if err == nil || !strings.Contains(err.Error(), "prompt 'review_job_run' not found") {
		t.Fatalf("err = %v", err)
	}
}

func TestCompletions(t *testing.T) {
	c := connect(t, append(slices.Clone(coreTools), jobTools...), "demo")
	for _, tc := range []struct {
		prompt, arg, value string
		given              map[string]string
		want               []string
	}{
		{"export_report", "workspace", "", nil, []string{"demo", "finance", "master"}},
		{"export_report", "workspace", "F", nil, []string{"finance"}},
		{"export_report", "report", "", nil, []string{"invoice", "bank-statement", "sales-summary", "other", "showcase", "large-document", "failing"}},
		{"export_report", "report", "s", map[string]string{"workspace": "finance"}, []string{"sales-summary", "showcase"}},
		{"integrate_cxreports", "report", "inv", nil, []string{"invoice"}},
		{"integrate_cxreports", "language", "", nil, []string{"python", "typescript"}},
		{"integrate_cxreports", "language", "Ty", nil, []string{"typescript"}},
		{"review_job_run", "job", "", nil, []string{"daily-invoices", "monthly-statements", "weekly-reminders"}},
		{"review_job_run", "job", "m", map[string]string{"workspace": "finance"}, []string{"monthly-statements"}},
		// Free text, unknown workspaces, prompts and arguments: nothing, no error.
		{"export_report", "data", "{", nil, []string{}},
		{"export_report", "report", "", map[string]string{"workspace": "nope"}, []string{}},
		{"export_report", "nope", "", nil, []string{}},
		{"test_prompt_with_arguments", "arg1", "test", nil, []string{}},
	} {
		got := complete(t, c, tc.prompt, tc.arg, tc.value, tc.given)
		if !slices.Equal(got.Values, tc.want) || got.Total != 0 || got.HasMore {
			t.Errorf("complete %s.%s %q %v = %+v, want %v", tc.prompt, tc.arg, tc.value, tc.given, got, tc.want)
		}
	}
	// Without job tools the job prompt is not listed, nor completed.
	c = connect(t, coreTools, "demo")
	if got := complete(t, c, "review_job_run", "job", "", nil); len(got.Values) != 0 {
		t.Errorf("job completion without job tools: %v", got.Values)
	}
}

func TestCompletionCap(t *testing.T) {
	many := make([]string, 150)
	for i := range many {
		many[i] = fmt.Sprintf("ws-%03d", i)
	}
	got := completion(matching(many, "WS-"))
	if len(got.Values) != 100 || got.Values[99] != "ws-099" || got.Total != 150 || !got.HasMore {
		t.Errorf("150 values: %d kept, last %q, total %d, hasMore %v", len(got.Values), got.Values[len(got.Values)-1], got.Total, got.HasMore)
	}
	if got := completion(nil); got.Values == nil || len(got.Values) != 0 || got.HasMore {
		t.Errorf("no values: %+v", got)
	}
	// A server without a CxReports client completes nothing, without error.
	cp := Completions(&tools.Deps{}, coreTools)
	res, err := cp.CompletePromptArgument(context.Background(), "export_report", mcp.CompleteArgument{Name: "workspace"}, mcp.CompleteContext{})
	if err != nil || res.Values == nil || len(res.Values) != 0 {
		t.Fatalf("%+v, %v", res, err)
	}
}
