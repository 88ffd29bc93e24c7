package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// fakeClock is a Clock whose Sleep advances time at once; the sandbox
// shares it, so a background export becomes ready as the tool "waits".
type fakeClock struct {
	mu     sync.Mutex
	now    time.Time
	sleeps []time.Duration
}

func newFakeClock() *fakeClock {
	return &fakeClock{now: time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC)}
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.sleeps = append(c.sleeps, d)
	return nil
}

func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// takeSleeps returns the pauses so far and forgets them.
func (c *fakeClock) takeSleeps() []time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	s := c.sleeps
	c.sleeps = nil
	return s
}

// newClockHarness is newHarness with a sandbox and tools on a fake clock,
// background exports taking delay.
func newClockHarness(t *testing.T, delay time.Duration, opts ...harnessOption) (*harness, *fakeClock) {
	t.Helper()
	clock := newFakeClock()
	return harnessOn(t, sandbox.Options{Now: clock.Now, AsyncExportDelay: delay}, clock, opts...), clock
}

// requestsTo lists "METHOD path" of the sandbox's requests under prefix.
func (h *harness) requestsTo(prefix string) []string {
	var out []string
	for _, r := range h.sb.Requests() {
		if strings.HasPrefix(r.Path, prefix) {
			out = append(out, r.Method+" "+r.Path)
		}
	}
	return out
}

func TestExportFormats(t *testing.T) {
	h := newHarness(t)
	for _, c := range []struct{ format, file, mime, label, magic string }{
		{"docx", "Invoice.docx", cxapi.ContentTypeDOCX, "Word document", "PK\x03\x04"},
		{"xlsx", "Invoice.xlsx", cxapi.ContentTypeXLSX, "Excel workbook", "PK\x03\x04"},
		{"pptx", "Invoice.pptx", cxapi.ContentTypePPTX, "PowerPoint presentation", "PK\x03\x04"},
		{"html", "Invoice.html", cxapi.ContentTypeHTML, "HTML page", "<!DOCTYPE html>"},
	} {
		got, res := h.ok("export_pdf", `{"report_id":1627,"format":"`+c.format+`","embed":true}`)
		path := filepath.Join(h.deps.OutputDir, c.file)
		if !strings.HasPrefix(got, "Saved "+c.file+" of report 1627 in workspace demo (") || !strings.HasSuffix(got, ").\nPath: "+path+"\nfile://"+path+"\n"+remoteNote) || strings.Contains(got, "pages") {
			t.Errorf("%s text:\n%s", c.format, got)
		}
		r := h.lastRequest("/api/v1/ws/demo/reports/1627/pdf")
		if r.Method != "POST" || r.RawQuery != "" || string(r.Body) != `{"timezone":"Europe/Belgrade","format":"`+c.format+`"}` {
			t.Errorf("%s request: %s ?%s %s", c.format, r.Method, r.RawQuery, r.Body)
		}
		b, err := os.ReadFile(path)
		if err != nil || !strings.HasPrefix(string(b), c.magic) {
			t.Errorf("%s file: %v %.12q", c.format, err, b)
		}
		link, _ := res.Content[1].(mcp.ResourceLink)
		if link.URI != "cxreports://exports/"+c.file || link.MIMEType != c.mime || link.Description != c.label+" exported from CxReports" {
			t.Errorf("%s link: %#v", c.format, res.Content[1])
		}
		blob := res.Content[2].(mcp.EmbeddedResource).Resource.(mcp.BlobResourceContents)
		if blob.MIMEType != c.mime || blob.URI != link.URI {
			t.Errorf("%s embedded: %s %s", c.format, blob.MIMEType, blob.URI)
		}
	}
	// "pdf" said out loud is still the plain GET.
	h.ok("export_pdf", `{"report_id":1627,"format":"pdf"}`)
	if r := h.lastRequest("/api/v1/ws/demo/reports/1627/pdf"); r.Method != "GET" || r.RawQuery != "timezone=Europe%2FBelgrade" {
		t.Errorf("plain pdf: %s ?%s", r.Method, r.RawQuery)
	}
}

func TestExportUnknownFormat(t *testing.T) {
	h := newHarness(t)
	got := h.fail("export_pdf", `{"report_id":1627,"format":"odt"}`)
	if want := `Invalid arguments: argument "format" must be one of pdf, docx, xlsx, pptx, html, not "odt".`; got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if n := len(h.requestsTo("/api/v1/")); n != 0 {
		t.Errorf("%d requests reached CxReports", n)
	}
}

func TestExportThemeTemplateLangAttachments(t *testing.T) {
	h := newHarness(t)
	got, _ := h.ok("export_pdf", `{"report_type":"invoice","theme":"corporate","template":"5","lang":"de","include_attachments":true,"params":{"month":"2026-03"}}`)
	if !strings.HasPrefix(got, "Saved Invoice.pdf of the default \"invoice\" report in workspace demo (") {
		t.Errorf("text:\n%s", got)
	}
	r := h.lastRequest("/api/v1/ws/demo/reports/invoice/pdf")
	want := `{"params":{"month":"2026-03"},"lang":"de","timezone":"Europe/Belgrade","format":"pdf","theme":"corporate","template":"5","includeAttachments":true}`
	if r.Method != "POST" || string(r.Body) != want {
		t.Errorf("request: %s %s\nwant body %s", r.Method, r.Body, want)
	}
	assertPDFText(t, filepath.Join(h.deps.OutputDir, "Invoice.pdf"), "Theme: Corporate | Template: Compact", "Language: de", "month = \"2026-03\"")
}

func TestExportLongParamsGoInABody(t *testing.T) {
	h := newHarness(t)
	long := strings.Repeat("x", maxGETQuery)
	h.ok("export_pdf", `{"report_id":1627,"params":{"customer":"`+long+`"}}`)
	r := h.lastRequest("/api/v1/ws/demo/reports/1627/pdf")
	if r.Method != "POST" || r.RawQuery != "" || string(r.Body) != `{"params":{"customer":"`+long+`"},"timezone":"Europe/Belgrade","format":"pdf"}` {
		t.Errorf("request: %s ?%.40s %.60s", r.Method, r.RawQuery, r.Body)
	}
}

func TestExportBackgroundWithProgress(t *testing.T) {
	h, clock := newClockHarness(t, 2*time.Second)
	notes := collectProgress(h.client)
	req := mcp.CallToolRequest{}
	req.Params.Name = "export_pdf"
	req.Params.Arguments = json.RawMessage(`{"report_id":1627,"async":true,"format":"docx"}`)
	req.Params.Meta = &mcp.Meta{ProgressToken: "tok-1"}
	res, err := h.client.CallTool(context.Background(), req)
	if err != nil || res.IsError {
		t.Fatalf("call: %v %s", err, text(res))
	}
	path := filepath.Join(h.deps.OutputDir, "Invoice.docx")
	if got := text(res); !strings.HasPrefix(got, "Saved Invoice.docx of report 1627 in workspace demo (") || !strings.Contains(got, "\nPath: "+path+"\n") {
		t.Errorf("text:\n%s", got)
	}
	if link, _ := res.Content[1].(mcp.ResourceLink); link.MIMEType != cxapi.ContentTypeDOCX {
		t.Errorf("link: %#v", res.Content[1])
	}
	if r := h.lastRequest("/api/v1/ws/demo/reports/1627/export"); r.Method != "POST" || string(r.Body) != `{"timezone":"Europe/Belgrade","format":"docx"}` {
		t.Errorf("start: %s %s", r.Method, r.Body)
	}
	status := "GET /api/v1/ws/demo/exports/5001/status"
	wantReqs := []string{status, status, status, status, status, status, "GET /api/v1/ws/demo/exports/5001/content"}
	if got := h.requestsTo("/api/v1/ws/demo/exports/"); fmt.Sprint(got) != fmt.Sprint(wantReqs) {
		t.Errorf("requests:\n%v\nwant\n%v", got, wantReqs)
	}
	ms := time.Millisecond
	if got, want := clock.takeSleeps(), []time.Duration{200 * ms, 300 * ms, 450 * ms, 675 * ms, 1012500 * time.Microsecond}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("pauses %v, want %v", got, want)
	}
	var got []string
	for _, n := range notes.wait(t, 5) {
		got = append(got, fmt.Sprintf("%v %v %v", n["progressToken"], n["progress"], n["message"]))
	}
	want := []string{
		"tok-1 1 Export 5001 is rendering on CxReports: 0.0 s so far.",
		"tok-1 2 Export 5001 is rendering on CxReports: 0.2 s so far.",
		"tok-1 3 Export 5001 is rendering on CxReports: 0.5 s so far.",
		"tok-1 4 Export 5001 is rendering on CxReports: 0.9 s so far.",
		"tok-1 5 Export 5001 is rendering on CxReports: 1.6 s so far.",
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("progress:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// Without a progressToken: the same wait, no notifications. A third
	// call with an integer token follows; notifications arrive in order,
	// so any of the second call's would come before the third's.
	h.ok("export_pdf", `{"report_id":1627,"async":true}`)
	if len(clock.takeSleeps()) != 5 {
		t.Error("the second export did not wait the same way")
	}
	req.Params.Arguments = json.RawMessage(`{"report_id":1627,"async":true}`)
	req.Params.Meta = &mcp.Meta{ProgressToken: 7}
	if res, err := h.client.CallTool(context.Background(), req); err != nil || res.IsError {
		t.Fatalf("third call: %v %s", err, text(res))
	}
	all := notes.wait(t, 10)
	for i, n := range all[5:] {
		if fmt.Sprint(n["progressToken"], n["progress"]) != fmt.Sprint(7, i+1) {
			t.Errorf("notification %d after the untokened call: %v", i+6, n)
		}
	}
}

func TestExportBackgroundStillRunningThenCollected(t *testing.T) {
	h, clock := newClockHarness(t, time.Hour)
	got, res := h.ok("export_pdf", `{"report_id":9001,"async":true,"params":{"sizeMB":1}}`)
	want := `Export 5001 of report 9001 in workspace demo is still rendering after 25 s; it goes on in the background on CxReports. ` +
		`To collect it, call export_pdf again with {"export_id":5001,"workspace":"demo"} (it is kept until 2026-03-31T12:00:00Z).`
	if got != want || res.IsError || len(res.Content) != 1 {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	var waited time.Duration
	for _, d := range clock.takeSleeps() {
		waited += d
	}
	if waited != DefaultExportWait {
		t.Errorf("waited %s, want %s", waited, DefaultExportWait)
	}
	if entries, _ := os.ReadDir(h.deps.OutputDir); len(entries) != 0 {
		t.Errorf("files before the export finished: %v", entries)
	}

	// Collected later, from a call that names no report.
	clock.advance(time.Hour)
	got, _ = h.ok("export_pdf", `{"export_id":5001,"workspace":"demo"}`)
	path := filepath.Join(h.deps.OutputDir, "Large document.pdf")
	if !strings.HasPrefix(got, "Saved Large document.pdf of export 5001 in workspace demo (1.0 MiB, ") || !strings.HasSuffix(got, ").\nPath: "+path+"\n"+fileURL(path)+"\n"+remoteNote) {
		t.Errorf("collected:\n%s", got)
	}
	if r := h.lastRequest("/api/v1/ws/demo/exports/5001/content"); r.Method != "GET" {
		t.Errorf("download: %+v", r)
	}
	if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Errorf("file: %v %.8q", err, b)
	}
	// A handle can be collected again while it lives; then it expires.
	h.ok("export_pdf", `{"export_id":5001}`)
	clock.advance(time.Hour)
	expired := `Export 5001 was not found in workspace "demo" (404): background exports expire, and each belongs to the workspace it was started in. Export the report again without export_id.`
	if got := h.fail("export_pdf", `{"export_id":5001}`); got != expired {
		t.Errorf("expired:\n got %q\nwant %q", got, expired)
	}
	unknown := strings.ReplaceAll(expired, "5001", "424242")
	if got := h.fail("export_pdf", `{"export_id":424242}`); got != unknown {
		t.Errorf("unknown:\n got %q\nwant %q", got, unknown)
	}
}

func TestExportBackgroundFailed(t *testing.T) {
	h, _ := newClockHarness(t, 2*time.Second)
	got := h.fail("export_pdf", `{"report_type":"failing","async":true}`)
	want := `Export 5001 of the default "failing" report failed on CxReports: Rendering failed: the report type "failing" always fails. Check params and data, then export again.`
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	// exclude_pages alone makes an export run in the background.
	got = h.fail("export_pdf", `{"report_id":1627,"exclude_pages":[1],"params":{"fail":true}}`)
	want = `Export 5002 of report 1627 failed on CxReports: Rendering failed: the report was asked to fail (params.fail = true). Check params and data, then export again.`
	if got != want {
		t.Errorf("got  %q\nwant %q", got, want)
	}
	if entries, _ := os.ReadDir(h.deps.OutputDir); len(entries) != 0 {
		t.Errorf("failed exports left files: %v", entries)
	}
}

func TestExportExcludePages(t *testing.T) {
	h, _ := newClockHarness(t, time.Second)
	got, _ := h.ok("export_pdf", `{"report_id":1634,"exclude_pages":[1,3]}`)
	if !strings.HasPrefix(got, "Saved Showcase.pdf of report 1634 in workspace demo (") || !strings.Contains(got, ", 1 page).") {
		t.Errorf("text:\n%s", got)
	}
	if r := h.lastRequest("/api/v1/ws/demo/reports/1634/export"); string(r.Body) != `{"timezone":"Europe/Belgrade","format":"pdf","excludePages":[1,3]}` {
		t.Errorf("body %s", r.Body)
	}
	assertPDFText(t, filepath.Join(h.deps.OutputDir, "Showcase.pdf"), "Content")
	got = h.fail("export_pdf", `{"report_id":1634,"exclude_pages":[0]}`)
	if want := `Invalid arguments: argument "exclude_pages.0" must be at least 1, not 0.`; got != want {
		t.Errorf("page 0: %q", got)
	}
}

func TestExportTempDataWithOptionsRunsInBackground(t *testing.T) {
	h, _ := newClockHarness(t, time.Second)
	h.ok("push_temporary_data", `{"content":{"account":{"number":"987654321","holder":"Jane Smith"}}}`)
	h.ok("export_pdf", `{"report_type":"bank-statement","temp_data_id":1001,"theme":"plain"}`)
	r := h.lastRequest("/api/v1/ws/demo/reports/bank-statement/export")
	if string(r.Body) != `{"timezone":"Europe/Belgrade","format":"pdf","theme":"plain","tempDataId":1001}` {
		t.Errorf("body %s", r.Body)
	}
	assertPDFText(t, filepath.Join(h.deps.OutputDir, "Bank Account Statement.pdf"), "Jane Smith", "Theme: Plain")
	// Plain, it stays a GET with tempDataId in the query.
	h.ok("export_pdf", `{"report_type":"bank-statement","temp_data_id":1001}`)
	if r := h.lastRequest("/api/v1/ws/demo/reports/bank-statement/pdf"); r.Method != "GET" || r.RawQuery != "tempDataId=1001&timezone=Europe%2FBelgrade" {
		t.Errorf("plain: %s ?%s", r.Method, r.RawQuery)
	}
}

func TestExportTimeoutSuggestsAsync(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	sb.SetFault(sandbox.RoutePDF, sandbox.Fault{Latency: time.Minute})
	url := newServer(t, sb)
	api, _ := cxapi.New(cxapi.Config{BaseURL: url, Token: sandbox.DefaultToken, Timeout: 20 * time.Millisecond, MaxRetries: -1})
	c := connect(t, All(), &Deps{Client: func(context.Context) (API, error) { return api, nil }, DefaultWorkspace: "demo", OutputDir: t.TempDir()})
	res := callTool(t, c, "export_pdf", `{"report_id":1627}`)
	want := `CxReports did not answer within the deadline (CXREPORTS_TIMEOUT). The report may be slow or the server overloaded; try again later or with less data, or raise CXREPORTS_TIMEOUT. ` +
		`For a slow report, call export_pdf again with "async": true: it renders in the background and returns an export_id to collect later if it takes long. No file was saved.`
	if !res.IsError || text(res) != want {
		t.Errorf("got %q", text(res))
	}
}

func TestExportOnAServerWithoutTheNewEndpoints(t *testing.T) {
	h := newHarness(t)
	h.sb.SetFault(sandbox.RoutePostPDF, sandbox.Fault{Status: http.StatusMethodNotAllowed})
	h.sb.SetFault(sandbox.RouteExport, sandbox.Fault{Status: http.StatusNotFound})
	for args, want := range map[string]string{
		`{"report_id":1627,"format":"docx"}`: "This CxReports server has no POST endpoint for exports (405), so it cannot export with format, theme, template, lang, include_attachments or long params. Export a plain PDF with short params, or update CxReports.",
		`{"report_id":1627,"async":true}`:    "This CxReports server has no background exports (404), which async, exclude_pages and temp_data_id with options need. Export without them, or update CxReports.",
	} {
		if got := h.fail("export_pdf", args); got != want {
			t.Errorf("%s:\n got %q\nwant %q", args, got, want)
		}
	}
	// The plain GET still works.
	h.ok("export_pdf", `{"report_id":1627}`)
}

func TestListReportOptions(t *testing.T) {
	h := newHarness(t)
	got, res := h.ok("list_report_options", `{"report_id":1627}`)
	want := `Export options in workspace demo.
Pages of report 1627 (number: id, name, type); pass numbers as exclude_pages:
- 1: 16271 "Summary", page
- 2: 16272 "Items", page
- 3: 16273 "Terms", subreport
Themes (id, code, name); pass an id or code as theme:
- 3 corporate "Corporate"
- 4 plain "Plain"
Templates (id, code, name); pass an id or code as template:
- 2 default "Default"
- 5 compact "Compact"`
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	var sc schemas.ListReportOptionsOutput
	if err := json.Unmarshal(raw, &sc); err != nil {
		t.Fatal(err)
	}
	wantSC := schemas.ListReportOptionsOutput{
		Workspace: "demo",
		Pages:     []schemas.PageItem{{Number: 1, ID: 16271, Name: "Summary", Type: "page"}, {Number: 2, ID: 16272, Name: "Items", Type: "page"}, {Number: 3, ID: 16273, Name: "Terms", Type: "subreport"}},
		Themes:    []schemas.OptionItem{{ID: 3, Code: "corporate", Name: "Corporate"}, {ID: 4, Code: "plain", Name: "Plain"}},
		Templates: []schemas.OptionItem{{ID: 2, Code: "default", Name: "Default"}, {ID: 5, Code: "compact", Name: "Compact"}},
	}
	if !reflect.DeepEqual(sc, wantSC) {
		t.Errorf("structured:\n%+v\nwant\n%+v", sc, wantSC)
	}

	// Without a report: themes and templates only.
	got, _ = h.ok("list_report_options", `{"workspace":"finance"}`)
	if !strings.HasPrefix(got, "Export options in workspace finance.\nThemes (id, code, name)") {
		t.Errorf("no report:\n%s", got)
	}
	if r := h.lastRequest("/api/v1/ws/"); r.Path != "/api/v1/ws/finance/templates" {
		t.Errorf("last request %s", r.Path)
	}

	for args, want := range map[string]string{
		`{"report_type":"nope"}`: `The default "nope" report was not found in workspace "demo" (404). Call list_report_types for valid codes.`,
		`{"workspace":"nowhere"}`: "Workspace \"nowhere\" was not found (404). Call list_workspaces for valid ids and codes." +
			"\nWorkspaces this token can use, closest first (id, code, name): 72 master \"Master\"; 1 demo \"Demo\"; 26 finance \"Finance\".",
		`{"report_id":1627,"report_type":"x"}`: `Give only one of report_id, report_type and report_name.`,
	} {
		if got := h.fail("list_report_options", args); got != want {
			t.Errorf("%s:\n got %q\nwant %q", args, got, want)
		}
	}

	// A server without the themes endpoint still lists the rest.
	h.sb.SetFault(sandbox.RouteThemes, sandbox.Fault{Status: http.StatusNotFound})
	got, _ = h.ok("list_report_options", "")
	if !strings.Contains(got, "\nThemes: this CxReports server does not list them; theme takes an id or code you know.\nTemplates (id, code, name)") {
		t.Errorf("no themes endpoint:\n%s", got)
	}
	h.sb.SetFault(sandbox.RouteTemplates, sandbox.Fault{Status: http.StatusInternalServerError})
	if got := h.fail("list_report_options", ""); !strings.HasPrefix(got, "CxReports failed with a server error (500") {
		t.Errorf("500: %q", got)
	}
}

// progressNotes collects the progress notifications a client receives.
type progressNotes struct {
	mu    sync.Mutex
	got   []map[string]any
	added chan struct{}
}

func collectProgress(c *client.Client) *progressNotes {
	p := &progressNotes{added: make(chan struct{}, 1000)}
	c.OnNotification(func(n mcp.JSONRPCNotification) {
		if n.Method != string(mcp.MethodNotificationProgress) {
			return
		}
		p.mu.Lock()
		p.got = append(p.got, n.Params.AdditionalFields)
		p.mu.Unlock()
		p.added <- struct{}{}
	})
	return p
}

// wait returns the first n notifications. The in-process transport may
// deliver them after the result, so it waits for them (bounded, never a
// fixed sleep).
func (p *progressNotes) wait(t *testing.T, n int) []map[string]any {
	t.Helper()
	deadline := time.After(5 * time.Second)
	for p.count() < n {
		select {
		case <-p.added:
		case <-deadline:
			t.Fatalf("got %d progress notifications, want %d", p.count(), n)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.got[:n]
}

func (p *progressNotes) count() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.got)
}

// TestPendingHandleKeepsExtras: a pending export's result says to ask for
// the text and the inline copy again when collecting it.
func TestPendingHandleKeepsExtras(t *testing.T) {
	h, _ := newClockHarness(t, time.Hour)
	got, _ := h.ok("export_pdf", `{"report_id":9001,"async":true,"embed":true,"include_text":true,"params":{"sizeMB":1}}`)
	if !strings.HasSuffix(got, "\nWhen collecting it, pass \"embed\": true and \"include_text\": true again.") {
		t.Errorf("got %q", got)
	}
}
