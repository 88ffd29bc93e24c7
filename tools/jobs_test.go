package tools

import (
	"context"
	"errors"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// jobsHarness is a harness whose sandbox runs on a fake clock. Its
// create_review_document waits by advancing that clock, checking at most
// five times a second apart.
type jobsHarness struct {
	*harness
	clock *fakeClock // the sandbox's
	tool  *fakeClock // the tools' (the same as clock unless frozen)
}

type jobsOptions struct {
	sel    Selection // which tools the server offers; zero: every tool
	wrap   func(API) API
	frozen bool // the tools' waits do not advance the sandbox's clock
}

func newJobsHarness(t *testing.T, o jobsOptions) *jobsHarness {
	t.Helper()
	jh := &jobsHarness{clock: &fakeClock{now: time.Date(2026, 5, 30, 8, 0, 0, 0, time.UTC)}}
	jh.tool = jh.clock
	if o.frozen {
		jh.tool = &fakeClock{now: jh.clock.now}
	}
	sb := sandbox.New(sandbox.Options{Now: jh.clock.Now})
	hs := httptest.NewServer(sb)
	t.Cleanup(hs.Close)
	c, err := cxapi.New(cxapi.Config{BaseURL: hs.URL, Token: sandbox.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	var api API = c
	if o.wrap != nil {
		api = o.wrap(c)
	}
	deps := &Deps{
		Client:           func(context.Context) (API, error) { return api, nil },
		DefaultWorkspace: sandbox.DemoWorkspaceCode,
		Timezone:         "UTC",
		OutputDir:        t.TempDir(),
		EmbedLimit:       DefaultEmbedLimit,
	}
	deps.Clock = jh.tool
	all := All()
	if o.sel.Toolsets == nil && o.sel.Tools == nil {
		o.sel.Toolsets, o.sel.EnableDelivery = []string{ToolsetAll}, true
	}
	list, err := Select(all, o.sel)
	if err != nil {
		t.Fatal(err)
	}
	jh.harness = &harness{t: t, sb: sb, url: hs.URL, deps: deps}
	jh.client = connect(t, list, deps)
	return jh
}

// structured returns a result's structuredContent as a map.
func structured(t *testing.T, res *mcp.CallToolResult) map[string]any {
	t.Helper()
	m, ok := res.StructuredContent.(map[string]any)
	if !ok {
		t.Fatalf("structuredContent is %T", res.StructuredContent)
	}
	return m
}

func TestListJobs(t *testing.T) {
	h := newJobsHarness(t, jobsOptions{})
	got, res := h.ok("list_jobs", "")
	want := "3 jobs in workspace demo (id, code, name):\n" +
		"- 42 daily-invoices \"Daily invoices\" (review before delivery): Sends yesterday's invoices to each customer after review\n" +
		"- 43 monthly-statements \"Monthly statements\": Sends each account holder a monthly statement\n" +
		"- 44 weekly-reminders \"Weekly reminders\" (inactive: cannot be run)"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	jobs := structured(t, res)["jobs"].([]any)
	first := jobs[0].(map[string]any)
	if len(jobs) != 3 || first["code"] != "daily-invoices" || first["review_required"] != true || first["active"] != true || first["id"] != float64(42) {
		t.Errorf("structured: %v", jobs)
	}
	if r := h.lastRequest("/api/v1/ws/"); r.Path != "/api/v1/ws/demo/jobs" || r.Method != "GET" {
		t.Errorf("request: %+v", r)
	}

	// A run shows up as the job's last run.
	h.ok("start_job_run", `{"job":"monthly-statements","workspace":"finance"}`)
	got, res = h.ok("list_jobs", `{"workspace":"finance"}`)
	if !strings.Contains(got, "- 43 monthly-statements \"Monthly statements\" (last run 2026-05-30T08:00:00Z): ") {
		t.Errorf("finance:\n%s", got)
	}
	if lr := structured(t, res)["jobs"].([]any)[1].(map[string]any)["last_run_time"]; lr != "2026-05-30T08:00:00Z" {
		t.Errorf("last_run_time %v", lr)
	}

	got, res = h.ok("list_jobs", `{"workspace":"master"}`)
	if got != "No jobs in workspace master." || len(structured(t, res)["jobs"].([]any)) != 0 {
		t.Errorf("master: %q %v", got, res.StructuredContent)
	}
	if got := h.fail("list_jobs", `{"workspace":"nowhere"}`); got != "Workspace \"nowhere\" was not found (404). Call list_workspaces for valid ids and codes.\nWorkspaces this token can use, closest first (id, code, name): 72 master \"Master\"; 1 demo \"Demo\"; 26 finance \"Finance\"." {
		t.Errorf("unknown workspace: %q", got)
	}
}

// TestJobRunWithReview walks a run of a job that needs review from start
// to delivery, with the failures on the way.
func TestJobRunWithReview(t *testing.T) {
	h := newJobsHarness(t, jobsOptions{})
	got, _ := h.ok("start_job_run", `{"job":"daily-invoices","params":{"date":"2026-05-29"},"data":{"note":"x"}}`)
	if got != `Started run 7001 of job daily-invoices in workspace demo. Call get_job_run with job "daily-invoices" and run_id 7001 to follow it; nothing is sent until the run is delivered.` {
		t.Errorf("start: %q", got)
	}
	if r := h.lastRequest("/api/v1/ws/demo/jobs"); r.Method != "POST" || r.Path != "/api/v1/ws/demo/jobs/daily-invoices/runs" || string(r.Body) != `{"params":{"date":"2026-05-29"},"data":{"note":"x"}}` {
		t.Errorf("request %s %s %s", r.Method, r.Path, r.Body)
	}

	// Queued: wait. Review and delivery are refused with what to do.
	got, res := h.ok("get_job_run", `{"job":"daily-invoices","run_id":7001}`)
	if got != "Run 7001 of job daily-invoices in workspace demo is still running: 3 entries: 3 queued.\nWait a few seconds, then call get_job_run again." {
		t.Errorf("queued: %q", got)
	}
	if sc := structured(t, res); sc["next"] != schemas.NextWait || sc["finished"] != false || sc["queued"] != float64(3) || sc["entries"] != float64(3) {
		t.Errorf("queued structured: %v", sc)
	}
	if got := h.fail("create_review_document", `{"job":"daily-invoices","run_id":7001}`); got != "Run 7001 of job daily-invoices is still running (3 entries: 3 queued), so its review document cannot be made yet. Wait a few seconds, then call get_job_run again." {
		t.Errorf("review too early: %q", got)
	}
	if got := h.fail("deliver_job_run", `{"job":"daily-invoices","run_id":7001}`); got != "Run 7001 of job daily-invoices is still running (3 entries: 3 queued); nothing was delivered. Call get_job_run until it has finished." {
		t.Errorf("deliver too early: %q", got)
	}

	// Finished: waiting for review.
	h.clock.advance(time.Second)
	got, res = h.ok("get_job_run", `{"job":"42","run_id":"7001"}`)
	if got != "Run 7001 of job 42 in workspace demo has finished: 3 entries: 3 waiting for review.\nNext: call create_review_document for a person to check; once they approve, deliver_job_run sends the run." {
		t.Errorf("review: %q", got)
	}
	if sc := structured(t, res); sc["next"] != schemas.NextReview || sc["review"] != float64(3) || sc["job"] != "42" || sc["run_id"] != float64(7001) {
		t.Errorf("review structured: %v", sc)
	}

	// The review document is ready one (fake) second after it is asked for.
	got, res = h.ok("create_review_document", `{"job":"daily-invoices","run_id":7001}`)
	path := filepath.Join(h.deps.OutputDir, "Daily invoices - review (run 7001).pdf")
	if !strings.HasPrefix(got, "Saved Daily invoices - review (run 7001).pdf of the review document of run 7001 of job daily-invoices in workspace demo (") ||
		!strings.HasSuffix(got, " KiB, 2 pages).\nPath: "+path+"\nfile://"+h.deps.OutputDir+"/Daily%20invoices%20-%20review%20%28run%207001%29.pdf\n"+remoteNote+"\nShow it to the user: a person should check it before the run is delivered. Once they approve, deliver_job_run sends the run.") {
		t.Errorf("review document:\n%s", got)
	}
	if link, ok := res.Content[1].(mcp.ResourceLink); !ok || link.URI != "cxreports://exports/Daily%20invoices%20-%20review%20%28run%207001%29.pdf" || link.MIMEType != "application/pdf" {
		t.Errorf("resource link: %#v", res.Content[1])
	}
	if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("file: %v %.10q", err, b)
	}
	assertPDFText(t, path, "Daily invoices - review (run 7001)", `date = "2026-05-29"`, "billing@test-enterprises.example", "Waiting for review")
	// The document is ready a (fake) second after it was asked for: the
	// tool checked, waited 0.2, 0.3, 0.45 and 0.675 s, and checked again.
	if n := countRequests(h.sb, "GET", "/api/v1/ws/demo/exports/5001/status"); len(h.tool.sleeps) != 4 || n != 5 {
		t.Errorf("%d waits and %d status checks, want 4 and 5", len(h.tool.sleeps), n)
	}
	if len(h.sb.Deliveries()) != 0 {
		t.Fatal("delivered before deliver_job_run")
	}

	// Delivery happens once.
	got, _ = h.ok("deliver_job_run", `{"job":"daily-invoices","run_id":7001}`)
	if got != "Delivered run 7001 of job daily-invoices in workspace demo: CxReports is sending its 3 entries to the job's recipients. This cannot be undone, and the run cannot be delivered again." {
		t.Errorf("deliver: %q", got)
	}
	assertDeliveries(t, h.sb, sandbox.Delivery{Workspace: 1, JobID: 42, JobCode: "daily-invoices", RunID: 7001,
		Recipients: []string{"billing@test-enterprises.example", "accounts@tech-solutions.example", "finance@innovate-tech.example"}})
	if got := h.fail("deliver_job_run", `{"job":"daily-invoices","run_id":7001}`); got != "CxReports refused the request (409): run 7001 was delivered before. Do not retry: CxReports delivers a run at most once. Call get_job_run to see the run's state." {
		t.Errorf("second delivery: %q", got)
	}
	if n := len(h.sb.Deliveries()); n != 1 {
		t.Fatalf("%d deliveries recorded, want 1", n)
	}
	if n := countRequests(h.sb, "POST", "/api/v1/ws/demo/jobs/daily-invoices/runs/7001/deliver"); n != 2 {
		t.Errorf("%d deliver requests, want 2 (one per call, never retried)", n)
	}
	got, _ = h.ok("get_job_run", `{"job":"daily-invoices","run_id":7001}`)
	if got != "Run 7001 of job daily-invoices in workspace demo has finished: 3 entries: 3 completed.\nNext: unless it was delivered already, deliver_job_run sends it, when the user asks for delivery." {
		t.Errorf("delivered: %q", got)
	}
	if got := h.fail("create_review_document", `{"job":"daily-invoices","run_id":7001}`); got != "Run 7001 of job daily-invoices has no entries waiting for review (3 entries: 3 completed), so there is no review document. Next: unless it was delivered already, deliver_job_run sends it, when the user asks for delivery." {
		t.Errorf("review after delivery: %q", got)
	}
}

func TestJobRunWithoutReview(t *testing.T) {
	h := newJobsHarness(t, jobsOptions{})
	got, _ := h.ok("start_job_run", `{"job":43,"workspace":"finance"}`)
	if !strings.HasPrefix(got, "Started run 7001 of job 43 in workspace finance.") {
		t.Errorf("start: %q", got)
	}
	if r := h.lastRequest("/api/v1/ws/finance/jobs"); string(r.Body) != `{}` {
		t.Errorf("body %s", r.Body)
	}
	h.clock.advance(time.Second)
	_, res := h.ok("get_job_run", `{"job":"43","run_id":7001,"workspace":"finance"}`)
	if sc := structured(t, res); sc["next"] != schemas.NextDeliver || sc["completed"] != float64(5) {
		t.Errorf("structured: %v", sc)
	}
	h.fail("create_review_document", `{"job":"43","run_id":7001,"workspace":"finance"}`)
	if n := countRequests(h.sb, "POST", "/api/v1/ws/finance/jobs/43/runs/7001/generate-review-document"); n != 0 {
		t.Errorf("asked for a review document of a run without review: %d requests", n)
	}
	got, _ = h.ok("deliver_job_run", `{"job":"43","run_id":7001,"workspace":"finance"}`)
	if got != "Delivered run 7001 of job 43 in workspace finance: CxReports is sending its 5 entries to the job's recipients. This cannot be undone, and the run cannot be delivered again." {
		t.Errorf("deliver: %q", got)
	}
	assertDeliveries(t, h.sb, sandbox.Delivery{Workspace: 26, JobID: 43, JobCode: "monthly-statements", RunID: 7001,
		Recipients: []string{"john.doe@example.com", "jane.smith@example.com", "alice.johnson@example.com", "bob.brown@example.com", "carol.white@example.com"}})
}

func TestJobErrors(t *testing.T) {
	h := newJobsHarness(t, jobsOptions{})
	cases := []struct{ tool, args, want string }{
		{"start_job_run", `{"job":"nope"}`, `Job "nope" was not found in workspace "demo" (404). Call list_jobs for valid job ids and codes.`},
		{"get_job_run", `{"job":"nope","run_id":7001}`, `Job "nope" was not found in workspace "demo" (404). Call list_jobs for valid job ids and codes.`},
		{"get_job_run", `{"job":"daily-invoices","run_id":9999}`, `Run 9999 of job "daily-invoices" was not found in workspace "demo" (404). Use the run_id that start_job_run returned for this job.`},
		{"deliver_job_run", `{"job":"daily-invoices","run_id":9999}`, `Run 9999 of job "daily-invoices" was not found in workspace "demo" (404). Use the run_id that start_job_run returned for this job.`},
		{"create_review_document", `{"job":"daily-invoices","run_id":9999}`, `Run 9999 of job "daily-invoices" was not found in workspace "demo" (404). Use the run_id that start_job_run returned for this job.`},
		{"start_job_run", `{"job":"weekly-reminders"}`, `CxReports refused the request (409): job "weekly-reminders" is not active. A job that is not active cannot be run; see list_jobs.`},
		{"start_job_run", `{"job":" "}`, "Job is required: give a job id or code from list_jobs."},
		{"start_job_run", `{}`, `Invalid arguments: missing required argument "job" (a string).`},
		{"get_job_run", `{"job":"daily-invoices","run_id":0}`, `Invalid arguments: argument "run_id" must be at least 1, not 0.`},
	}
	for _, c := range cases {
		if got := h.fail(c.tool, c.args); got != c.want {
			t.Errorf("%s(%s)\n got %q\nwant %q", c.tool, c.args, got, c.want)
		}
	}

	// A run whose every entry failed cannot be reviewed or delivered.
	h.ok("start_job_run", `{"job":"daily-invoices","params":{"fail":true}}`)
	h.clock.advance(time.Second)
	got, res := h.ok("get_job_run", `{"job":"daily-invoices","run_id":7001}`)
	if got != "Run 7001 of job daily-invoices in workspace demo has finished: 3 entries: 3 failed.\nNo entry can be delivered. Check the job's params and data, then start a new run of job daily-invoices." {
		t.Errorf("failed run: %q", got)
	}
	if structured(t, res)["next"] != schemas.NextNothing {
		t.Errorf("next: %v", res.StructuredContent)
	}
	if got := h.fail("deliver_job_run", `{"job":"daily-invoices","run_id":7001}`); got != "Run 7001 of job daily-invoices has no entries that can be delivered (3 entries: 3 failed); nothing was delivered. Check the job's params and data, then start a new run." {
		t.Errorf("deliver failed run: %q", got)
	}
	if len(h.sb.Deliveries()) != 0 {
		t.Error("a failed run was delivered")
	}
}

// TestDeliveryNotConfirmed: when CxReports fails while delivering, the
// model is told the e-mails may have gone out and not to retry.
func TestDeliveryNotConfirmed(t *testing.T) {
	h := newJobsHarness(t, jobsOptions{})
	h.ok("start_job_run", `{"job":"monthly-statements"}`)
	h.clock.advance(time.Second)
	h.sb.SetFault(sandbox.RouteDeliver, sandbox.Fault{Status: 502})
	got := h.fail("deliver_job_run", `{"job":"monthly-statements","run_id":7001}`)
	if got != "CxReports did not confirm the request (server error 502). The run may have been delivered: do not call deliver_job_run again; ask the user to check run 7001 in CxReports." {
		t.Errorf("502: %q", got)
	}
	if n := countRequests(h.sb, "POST", "/api/v1/ws/demo/jobs/monthly-statements/runs/7001/deliver"); n != 1 {
		t.Errorf("%d deliver requests, want exactly 1", n)
	}
}

func TestReviewDocumentWaits(t *testing.T) {
	t.Run("not ready in time", func(t *testing.T) {
		h := newJobsHarness(t, jobsOptions{frozen: true})
		h.ok("start_job_run", `{"job":"daily-invoices"}`)
		h.clock.advance(time.Second)
		got, _ := h.ok("create_review_document", `{"job":"daily-invoices","run_id":7001}`)
		if !strings.HasPrefix(got, "Export 5001 of the review document of run 7001 of job daily-invoices in workspace demo is still rendering after 25 s; it goes on in the background on CxReports. To collect it, call export_pdf again with {\"export_id\":5001,\"workspace\":\"demo\"}") ||
			strings.Contains(got, "Show it to the user") {
			t.Errorf("timeout: %q", got)
		}
		if n := countRequests(h.sb, "GET", "/api/v1/ws/demo/exports/5001/status"); n != len(h.tool.sleeps)+1 {
			t.Errorf("%d waits between %d checks", len(h.tool.sleeps), n)
		}
		if entries, _ := os.ReadDir(h.deps.OutputDir); len(entries) != 0 {
			t.Errorf("files left: %v", entries)
		}
	})
	t.Run("failed", func(t *testing.T) {
		h := newJobsHarness(t, jobsOptions{wrap: func(a API) API { return failedExports{a} }})
		h.ok("start_job_run", `{"job":"daily-invoices"}`)
		h.clock.advance(time.Second)
		got := h.fail("create_review_document", `{"job":"daily-invoices","run_id":7001}`)
		if got != "Export 5001 of the review document of run 7001 of job daily-invoices failed on CxReports: out of paper. Check params and data, then export again." {
			t.Errorf("failed: %q", got)
		}
	})
}

// failedExports reports every temporary file as failed.
type failedExports struct{ API }

func (failedExports) ExportStatus(context.Context, string, int64) (*cxapi.ExportStatus, error) {
	msg := "out of paper"
	return &cxapi.ExportStatus{ID: 5001, Status: cxapi.ExportFailed, ErrorMessage: &msg}, nil
}

// TestJobAdviceNamesOnlyOfferedTools: without delivery, or in read-only
// mode, results never send the model to a tool it cannot call, and such a
// tool is unknown when called.
func TestJobAdviceNamesOnlyOfferedTools(t *testing.T) {
	t.Run("without delivery", func(t *testing.T) {
		h := newJobsHarness(t, jobsOptions{sel: Selection{Toolsets: []string{ToolsetJobs}}})
		h.ok("start_job_run", `{"job":"daily-invoices"}`)
		h.clock.advance(time.Second)
		got, _ := h.ok("get_job_run", `{"job":"daily-invoices","run_id":7001}`)
		if !strings.HasSuffix(got, "\nNext: call create_review_document for a person to check. This server does not deliver runs (an administrator can allow it with --enable-delivery); a person can deliver the run in CxReports.") {
			t.Errorf("get_job_run: %q", got)
		}
		got, _ = h.ok("create_review_document", `{"job":"daily-invoices","run_id":7001}`)
		if !strings.HasSuffix(got, "\nShow it to the user: a person should check it before the run is delivered. This server does not deliver runs (an administrator can allow it with --enable-delivery); a person can deliver the run in CxReports.") {
			t.Errorf("create_review_document: %q", got)
		}
		assertUnknownTool(t, h.harness, "deliver_job_run", `{"job":"daily-invoices","run_id":7001}`)
		if len(h.sb.Deliveries()) != 0 {
			t.Error("delivered without --enable-delivery")
		}
	})
	t.Run("read-only", func(t *testing.T) {
		h := newJobsHarness(t, jobsOptions{sel: Selection{Toolsets: []string{ToolsetAll}, ReadOnly: true, EnableDelivery: true}})
		for _, tool := range []string{"start_job_run", "create_review_document", "deliver_job_run"} {
			assertUnknownTool(t, h.harness, tool, `{"job":"daily-invoices","run_id":7001}`)
		}
		got, _ := h.ok("list_jobs", "")
		if !strings.HasPrefix(got, "3 jobs in workspace demo") {
			t.Errorf("list_jobs: %q", got)
		}
		if countRequests(h.sb, "POST", "/api/v1/ws/demo/jobs/daily-invoices/runs") != 0 {
			t.Error("a run was started in read-only mode")
		}
	})
}

// assertUnknownTool checks that calling tool is a JSON-RPC -32602 "not
// found" error, as for a tool that never existed.
func assertUnknownTool(t *testing.T, h *harness, tool, args string) {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = tool
	req.Params.Arguments = []byte(args)
	res, err := h.client.CallTool(context.Background(), req)
	if err == nil {
		t.Fatalf("%s: called a hidden tool: %v", tool, res)
	}
	if !errors.Is(err, mcp.ErrInvalidParams) || !strings.Contains(err.Error(), "tool '"+tool+"' not found") {
		t.Errorf("%s: %v, want -32602 tool not found", tool, err)
	}
}

// assertDeliveries checks that the sandbox recorded exactly want.
func assertDeliveries(t *testing.T, sb *sandbox.Server, want sandbox.Delivery) {
	t.Helper()
	got := sb.Deliveries()
	if len(got) != 1 {
		t.Fatalf("%d deliveries recorded, want 1: %+v", len(got), got)
	}
	d := got[0]
	if d.Workspace != want.Workspace || d.JobID != want.JobID || d.JobCode != want.JobCode || d.RunID != want.RunID || !slices.Equal(d.Recipients, want.Recipients) {
		t.Errorf("delivery %+v\nwant %+v", d, want)
	}
}

func countRequests(sb *sandbox.Server, method, path string) int {
	n := 0
	for _, r := range sb.Requests() {
		if r.Method == method && r.Path == path {
			n++
		}
	}
	return n
}
