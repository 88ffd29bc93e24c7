package tools

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// count returns how many requests the sandbox saw with this method and path.
func (h *harness) count(method, path string) int { return countRequests(h.sb, method, path) }

func TestWorkspaceNames(t *testing.T) {
	clock := newFakeClock()
	h := newHarness(t, withDeps(func(d *Deps) { d.Names = NewNameCache(NameCacheOptions{Clock: clock}) }))
	for _, c := range []struct{ arg, path string }{
		{"finance", "/api/v1/ws/finance/report-types"}, // an exact code
		{"FINANCE", "/api/v1/ws/finance/report-types"}, // a code in another case
		{"Finance", "/api/v1/ws/finance/report-types"}, // the name (and the code in another case)
		{"master", "/api/v1/ws/master/report-types"},
		{"mASTER", "/api/v1/ws/master/report-types"},
		{" Demo ", "/api/v1/ws/demo/report-types"},
		{"26", "/api/v1/ws/26/report-types"}, // an id goes as it is
	} {
		got, _ := h.ok("list_report_types", fmt.Sprintf(`{"workspace":%q}`, c.arg))
		if r := h.lastRequest("/api/v1/ws/"); r.Path != c.path {
			t.Errorf("workspace %q: request %s, want %s", c.arg, r.Path, c.path)
		}
		if want := strings.TrimPrefix(strings.TrimSuffix(c.path, "/report-types"), "/api/v1/ws/"); !strings.Contains(got, "in workspace "+want+" ") {
			t.Errorf("workspace %q: text %q", c.arg, got)
		}
	}
	// One list of workspaces served all of them, within the TTL.
	if n := h.count("GET", "/api/v1/workspaces"); n != 1 {
		t.Errorf("%d workspace list requests, want 1", n)
	}
	clock.advance(DefaultNameTTL - time.Second)
	h.ok("list_reports", `{"workspace":"Finance"}`)
	if n := h.count("GET", "/api/v1/workspaces"); n != 1 {
		t.Errorf("%d workspace list requests before the TTL, want 1", n)
	}
	clock.advance(time.Second)
	h.ok("list_reports", `{"workspace":"Finance"}`)
	if n := h.count("GET", "/api/v1/workspaces"); n != 2 {
		t.Errorf("%d workspace list requests after the TTL, want 2", n)
	}
	// list_workspaces refreshes the cache with what the model was shown.
	h.ok("list_workspaces", "")
	h.ok("list_reports", `{"workspace":"Finance"}`)
	if n := h.count("GET", "/api/v1/workspaces"); n != 3 {
		t.Errorf("%d workspace list requests, want 3 (list_workspaces only)", n)
	}
}

func TestDefaultWorkspaceByName(t *testing.T) {
	h := newHarness(t, withDeps(func(d *Deps) { d.DefaultWorkspace = "Finance" }))
	got, _ := h.ok("list_report_types", "")
	if !strings.HasPrefix(got, "5 report types in workspace finance ") {
		t.Errorf("text %q", got)
	}
}

func TestWorkspaceUnknownOrAmbiguous(t *testing.T) {
	h := newHarness(t)
	got := h.fail("list_reports", `{"workspace":"fnance"}`)
	want := "Workspace \"fnance\" was not found (404). Call list_workspaces for valid ids and codes.\n" +
		"Workspaces this token can use, closest first (id, code, name): 26 finance \"Finance\"; 72 master \"Master\"; 1 demo \"Demo\"."
	if got != want {
		t.Errorf("unknown:\n%s\nwant\n%s", got, want)
	}
	// The unknown value went to CxReports unchanged, which said 404.
	if r := h.lastRequest("/api/v1/ws/"); r.Path != "/api/v1/ws/fnance/reports" {
		t.Errorf("request %s", r.Path)
	}
	// An unknown id goes to CxReports without a list, and gets no note.
	n := h.count("GET", "/api/v1/workspaces")
	if got := h.fail("list_reports", `{"workspace":"999"}`); got != `Workspace "999" was not found (404). Call list_workspaces for valid ids and codes.` {
		t.Errorf("unknown id: %s", got)
	}
	if h.count("GET", "/api/v1/workspaces") != n {
		t.Error("an id needed the workspace list")
	}

	h2 := newHarness(t)
	h2.deps.Client = moreData(t, h2.url, sandbox.DefaultToken)
	got = h2.fail("list_reports", `{"workspace":"archive"}`)
	want = `Workspace "archive" is ambiguous: it names 2 workspaces (id, code, name): 90 archive-2025 "Archive"; 91 archive-2026 "Archive". Pass the id or code of the one meant.`
	if got != want {
		t.Errorf("ambiguous:\n%s\nwant\n%s", got, want)
	}
	if n := h2.count("GET", "/api/v1/ws/archive/reports"); n != 0 {
		t.Error("an ambiguous workspace was sent to CxReports")
	}
}

func TestReportNames(t *testing.T) {
	h := newHarness(t)
	got, _ := h.ok("export_pdf", `{"report_name":"march INVOICE"}`)
	if !strings.HasPrefix(got, `Saved March invoice.pdf of report 1629 "March invoice" in workspace demo (`) {
		t.Errorf("text:\n%s", got)
	}
	if r := h.lastRequest("/api/v1/ws/demo/reports/"); r.Path != "/api/v1/ws/demo/reports/1629/pdf" {
		t.Errorf("request %s", r.Path)
	}
	got, _ = h.ok("create_preview_link", `{"report_name":" Relevé de compte ","workspace":"Demo"}`)
	if !strings.HasPrefix(got, `Preview of report 1635 "Relevé de compte" in workspace demo:`) {
		t.Errorf("preview text:\n%s", got)
	}
	// The catalog was read once, with paging, and reused.
	if n := h.count("GET", "/api/v1/ws/demo/reports"); n != 1 {
		t.Errorf("%d catalog requests, want 1", n)
	}
	for _, r := range h.sb.Requests() {
		if r.Path == "/api/v1/ws/demo/reports" && r.RawQuery != "limit=100" {
			t.Errorf("catalog query %q, want limit=100", r.RawQuery)
		}
	}
	// Another workspace has its own reports.
	got, _ = h.ok("create_preview_link", `{"report_name":"showcase","workspace":"finance"}`)
	if !strings.HasPrefix(got, `Preview of report 160 "Showcase" in workspace finance:`) {
		t.Errorf("finance text:\n%s", got)
	}

	// An unknown name: never a guess, the closest names with their ids.
	got = h.fail("export_pdf", `{"report_name":"Invoice compact"}`)
	want := `No report in workspace demo is named "Invoice compact". Closest (id, name, type): ` +
		`1630 "Invoice (compact)", invoice; 1627 "Invoice", invoice; 1635 "Relevé de compte", bank-statement; 1633 "Sample report", other; 9002 "Failing report", failing. ` +
		`Pass report_id, or report_name exactly.`
	if got != want {
		t.Errorf("unknown:\n%s\nwant\n%s", got, want)
	}
	got = h.fail("describe_report", `{"report_name":"bank"}`)
	if !strings.HasPrefix(got, `No report in workspace demo is named "bank". Closest (id, name, type): 1628 "Bank Account Statement", bank-statement; `) {
		t.Errorf("prefix match first:\n%s", got)
	}

	// Two reports of one name: an error listing both.
	h.deps.Client = moreData(t, h.url, sandbox.DefaultToken)
	got = h.fail("export_pdf", `{"report_name":"Invoice","workspace":"master"}`)
	want = `The report name "Invoice" is ambiguous in workspace master: 2 reports have that name (id, name, type): 497 "Invoice", invoice; 4970 "invoice", invoice. Pass report_id instead.`
	if got != want {
		t.Errorf("ambiguous:\n%s\nwant\n%s", got, want)
	}
}

// TestNamesPerUser: two users with different rights never see each
// other's cached names, though they share one cache.
func TestNamesPerUser(t *testing.T) {
	h := newHarness(t)
	main, err := cxapi.New(cxapi.Config{BaseURL: h.url, Token: sandbox.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	limited := main.WithToken(sandbox.DefaultLimitedToken)
	var current atomic.Pointer[cxapi.Client]
	h.deps.Client = func(context.Context) (API, error) { return current.Load(), nil }

	current.Store(main)
	h.ok("list_report_types", `{"workspace":"Master"}`)
	got, _ := h.ok("describe_report", `{"workspace":"master","report_name":"Showcase"}`)
	if !strings.HasPrefix(got, `Report 501 "Showcase" in workspace master:`) {
		t.Errorf("main user:\n%s", got)
	}

	// The limited user's "Master" is resolved against its own list (only
	// finance), so it goes to CxReports as given, which refuses it; the
	// note lists only what this user can see.
	current.Store(limited)
	got = h.fail("list_report_types", `{"workspace":"Master"}`)
	want := "The token has no access to workspace \"Master\" (403 Forbidden). Call list_workspaces to see the workspaces it can use.\n" +
		"Workspaces this token can use, closest first (id, code, name): 26 finance \"Finance\"."
	if got != want {
		t.Errorf("limited user:\n%s\nwant\n%s", got, want)
	}
	// Nor does the main user's catalog of master answer the limited
	// user's report names.
	got = h.fail("describe_report", `{"workspace":"master","report_name":"Showcase"}`)
	if !strings.HasPrefix(got, `The token has no access to workspace "master" (403 Forbidden).`) {
		t.Errorf("limited user, report name:\n%s", got)
	}
	got, _ = h.ok("describe_report", `{"workspace":"Finance","report_name":"showcase"}`)
	if !strings.HasPrefix(got, `Report 160 "Showcase" in workspace finance:`) {
		t.Errorf("limited user in finance:\n%s", got)
	}

	// Back to the main user: its own names still work, from its cache.
	current.Store(main)
	lists := h.count("GET", "/api/v1/workspaces")
	got, _ = h.ok("describe_report", `{"workspace":"Master","report_name":"showcase"}`)
	if !strings.HasPrefix(got, `Report 501 "Showcase" in workspace master:`) || h.count("GET", "/api/v1/workspaces") != lists {
		t.Errorf("main user again:\n%s", got)
	}
	// Each user has its own lists: main's workspaces, master's types and
	// reports; limited's workspaces, finance's types and reports.
	if n := h.deps.Names.Len(); n != 6 {
		t.Errorf("%d cached lists, want 6", n)
	}
}

func TestNameCache(t *testing.T) {
	clock := newFakeClock()
	c := NewNameCache(NameCacheOptions{TTL: time.Minute, MaxEntries: 2, Clock: clock})
	fetches := 0
	fetch := func(v string) func() (string, error) {
		return func() (string, error) { fetches++; return v, nil }
	}
	a, b, x := nameKey{user: "u1", kind: kindWorkspaces}, nameKey{user: "u2", kind: kindWorkspaces}, nameKey{user: "u1", kind: kindReports, ws: "demo"}
	if v, _ := cached(c, a, fetch("a1")); v != "a1" || fetches != 1 {
		t.Fatal(v, fetches)
	}
	if v, _ := cached(c, a, fetch("a2")); v != "a1" || fetches != 1 {
		t.Error("a live entry was fetched again", v)
	}
	if v, _ := cached(c, b, fetch("b1")); v != "b1" {
		t.Error("another user got", v)
	}
	clock.advance(time.Minute)
	if v, _ := cached(c, a, fetch("a3")); v != "a3" {
		t.Error("an expired entry was used:", v)
	}
	// Bounded: a third list evicts the least recently used (b).
	cached(c, x, fetch("x1"))
	if c.Len() != 2 {
		t.Errorf("len %d, want 2", c.Len())
	}
	if _, ok := c.get(b); ok {
		t.Error("the least recently used entry is still there")
	}
	// Errors are not cached; no user means no caching; nil caches nothing.
	if _, err := cached(c, b, func() (string, error) { return "", fmt.Errorf("boom") }); err == nil {
		t.Error("no error")
	}
	if _, ok := c.get(b); ok {
		t.Error("an error was cached")
	}
	noUser := nameKey{kind: kindWorkspaces}
	cached(c, noUser, fetch("n"))
	if _, ok := c.get(noUser); ok {
		t.Error("a list without a user was cached")
	}
	var none *NameCache
	if v, _ := cached(none, a, fetch("z")); v != "z" || none.Len() != 0 {
		t.Error("nil cache")
	}
}

// TestNameCacheConcurrent runs name resolutions of two users at once
// (go test -race checks the cache).
func TestNameCacheConcurrent(t *testing.T) {
	h := newHarness(t)
	main, _ := cxapi.New(cxapi.Config{BaseURL: h.url, Token: sandbox.DefaultToken})
	limited := main.WithToken(sandbox.DefaultLimitedToken)
	var wg sync.WaitGroup
	errs := make(chan string, 40)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			api, ws, want := main, "Master", "in workspace master"
			if i%2 == 1 {
				api, ws, want = limited, "Finance", "in workspace finance"
			}
			env := &Env{deps: h.deps, api: api}
			got, err := env.workspace(context.Background(), ws)
			if err != nil || !strings.Contains("in workspace "+got, want) {
				errs <- fmt.Sprintf("%s: %q %v", ws, got, err)
			}
			if _, err := env.reportNamed(context.Background(), strings.ToLower(ws), "Showcase"); err != nil {
				errs <- err.Error()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
}

func TestClosest(t *testing.T) {
	items := []string{"Sales summary", "Invoice (compact)", "March invoice", "Invoices", "invoice", "Bank"}
	got := closest(items, "Invoice", 5, func(s string) []string { return []string{s} })
	// Equal, then prefixes, then containing, then by edit distance ("bank"
	// is 6 edits from "invoice", "sales summary" 12).
	want := []string{"invoice", "Invoices", "Invoice (compact)", "March invoice", "Bank"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("got %q\nwant %q", got, want)
	}
	// Containing before edit distance; an item ranks by its best key, and
	// empty keys count for nothing.
	got = closest([]string{"ab", "the sum report", "sum", "xsumx"}, "SUM", 3, func(s string) []string { return []string{"", s} })
	if fmt.Sprint(got) != "[sum xsumx the sum report]" {
		t.Errorf("got %q", got)
	}
	if got := closest([]string{}, "x", 5, func(s string) []string { return []string{s} }); len(got) != 0 {
		t.Error(got)
	}
}

// moreDataAPI is the sandbox with more data than its seed: two workspaces
// named "Archive" and, in master, a second report named "invoice".
type moreDataAPI struct{ *cxapi.Client }

func (a moreDataAPI) ListWorkspaces(ctx context.Context) ([]cxapi.Workspace, error) {
	list, err := a.Client.ListWorkspaces(ctx)
	return append(list, cxapi.Workspace{ID: 90, Code: "archive-2025", Name: "Archive"}, cxapi.Workspace{ID: 91, Code: "archive-2026", Name: "Archive"}), err
}

func (a moreDataAPI) ListReports(ctx context.Context, ws string, opt *cxapi.ListReportsOptions) ([]cxapi.Report, error) {
	list, err := a.Client.ListReports(ctx, ws, opt)
	if err == nil && ws == sandbox.MasterWorkspaceCode && opt.Offset == 0 {
		list = append(list, cxapi.Report{ID: 4970, Name: "invoice", ReportTypeID: list[0].ReportTypeID, ReportTypeName: list[0].ReportTypeName})
	}
	return list, err
}

// moreData serves moreDataAPI with the given token.
func moreData(t *testing.T, url, token string) ClientSource {
	t.Helper()
	c, err := cxapi.New(cxapi.Config{BaseURL: url, Token: token})
	if err != nil {
		t.Fatal(err)
	}
	return func(context.Context) (API, error) { return moreDataAPI{c}, nil }
}
