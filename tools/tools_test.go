package tools

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

func TestListWorkspaces(t *testing.T) {
	h := newHarness(t)
	got, res := h.ok("list_workspaces", "")
	want := "3 workspaces (id, code, name):\n" +
		"- 1 demo \"Demo\" (default): Sample reports for trying cxreports-mcp\n" +
		"- 26 finance \"Finance\"\n" +
		"- 72 master \"Master\": Examples of the vendor's master tenant"
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	sc := res.StructuredContent.(map[string]any)["workspaces"].([]any)
	if len(sc) != 3 || sc[0].(map[string]any)["code"] != "demo" || sc[0].(map[string]any)["default"] != true {
		t.Errorf("structured: %v", sc)
	}
	// Omitted, null and empty arguments all work for a tool without any.
	for _, args := range []string{"", "null", "{}"} {
		h.ok("list_workspaces", args)
	}
}

func TestListReportTypes(t *testing.T) {
	h := newHarness(t)
	got, _ := h.ok("list_report_types", `{"workspace":"finance"}`)
	if !strings.HasPrefix(got, "5 report types in workspace finance (code, name, default report):\n- invoice \"Invoice\", default report 161 \"Invoice\"\n") {
		t.Errorf("text:\n%s", got)
	}
	if r := h.lastRequest("/api/v1/ws/"); r.Path != "/api/v1/ws/finance/report-types" || r.Method != "GET" || !r.HasAuthorization {
		t.Errorf("request: %+v", r)
	}
}

func TestListReportsPaging(t *testing.T) {
	h := newHarness(t)
	got, res := h.ok("list_reports", `{"limit":2,"offset":1}`)
	want := "Reports 2–3 in workspace demo (id, name, type code and name):\n" +
		"- 1628 \"Bank Account Statement\", bank-statement \"Bank statement\" (default)\n" +
		"- 1629 \"March invoice\", invoice \"Invoice\"\n" +
		"More reports follow: call again with offset 3."
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if r := h.lastRequest("/api/v1/ws/demo/reports"); r.RawQuery != "offset=1&limit=3" {
		t.Errorf("query %q, want offset=1&limit=3", r.RawQuery)
	}
	sc := res.StructuredContent.(map[string]any)
	if sc["next_offset"].(float64) != 3 || len(sc["reports"].([]any)) != 2 {
		t.Errorf("structured: %v", sc)
	}
	got, _ = h.ok("list_reports", `{"report_type":"invoice","limit":"10"}`)
	if !strings.Contains(got, "in workspace demo, type invoice") || strings.Contains(got, "More reports") || strings.Contains(got, "Bank") {
		t.Errorf("filtered text:\n%s", got)
	}
	if r := h.lastRequest("/api/v1/ws/demo/reports"); r.RawQuery != "type=invoice&limit=11" {
		t.Errorf("query %q", r.RawQuery)
	}
	got, _ = h.ok("list_reports", `{"report_type":"nope"}`)
	if got != "No reports in workspace demo, type nope. Call list_report_types for valid type codes." {
		t.Errorf("empty: %q", got)
	}
}

func TestExportPDF(t *testing.T) {
	h := newHarness(t)
	got, res := h.ok("export_pdf", `{"report_type":"invoice","params":{"month":"2026-03","customer":"ACME d.o.o."}}`)
	path := filepath.Join(h.deps.OutputDir, "Invoice.pdf")
	want := fmt.Sprintf("Saved Invoice.pdf of the default \"invoice\" report in workspace demo (")
	if !strings.HasPrefix(got, want) || !strings.Contains(got, "3 pages).\nPath: "+path+"\nfile://"+path) {
		t.Errorf("text:\n%s", got)
	}
	b, err := os.ReadFile(path)
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") {
		t.Fatalf("file: %v %.10q", err, b)
	}
	link, ok := res.Content[1].(mcp.ResourceLink)
	if !ok || link.URI != "cxreports://exports/Invoice.pdf" || link.MIMEType != "application/pdf" || link.Name != "Invoice.pdf" {
		t.Errorf("resource link: %#v", res.Content[1])
	}
	if len(res.Content) != 2 {
		t.Errorf("embedded without being asked: %d content items", len(res.Content))
	}
	r := h.lastRequest("/api/v1/ws/demo/reports/invoice/pdf")
	if r.RawQuery != "params=%7B%22customer%22%3A%22ACME%20d.o.o.%22%2C%22month%22%3A%222026-03%22%7D&timezone=Europe%2FBelgrade" {
		t.Errorf("query %q", r.RawQuery)
	}
	assertPDFText(t, path, "month = \"2026-03\"", "ACME d.o.o.", "Europe/Belgrade")

	// A second export never overwrites the first.
	h.ok("export_pdf", `{"report_id":1627}`)
	if _, err := os.Stat(filepath.Join(h.deps.OutputDir, "Invoice-2.pdf")); err != nil {
		t.Error(err)
	}
}

func TestExportPDFEmbed(t *testing.T) {
	h := newHarness(t)
	_, res := h.ok("export_pdf", `{"report_id":1628,"embed":true,"data":{"account":"123456789"}}`)
	if len(res.Content) != 3 {
		t.Fatalf("content: %d items", len(res.Content))
	}
	emb := res.Content[2].(mcp.EmbeddedResource)
	blob := emb.Resource.(mcp.BlobResourceContents)
	b, err := base64.StdEncoding.DecodeString(blob.Blob)
	if err != nil || !strings.HasPrefix(string(b), "%PDF-") || blob.MIMEType != "application/pdf" {
		t.Fatalf("blob: %v %.8q %s", err, b, blob.MIMEType)
	}
	onDisk, _ := os.ReadFile(filepath.Join(h.deps.OutputDir, "Bank Account Statement.pdf"))
	if string(onDisk) != string(b) {
		t.Error("embedded bytes differ from the file")
	}
	// Over the limit: a note instead of the blob.
	h2 := newHarness(t, withDeps(func(d *Deps) { d.EmbedLimit = 100 }))
	got, res := h2.ok("export_pdf", `{"report_id":1628,"embed":true}`)
	if len(res.Content) != 2 || !strings.Contains(got, "Not embedded: ") {
		t.Errorf("over the limit: %d items, %s", len(res.Content), got)
	}
}

func TestPushThenExportWithTempData(t *testing.T) {
	h := newHarness(t)
	got, _ := h.ok("push_temporary_data", `{"content":{"account":{"number":"987654321","holder":"Jane Smith"}}}`)
	m := regexp.MustCompile(`temp_data_id (\d+)`).FindStringSubmatch(got)
	if m == nil || !strings.HasPrefix(got, "Stored the data in workspace demo as temp_data_id ") {
		t.Fatalf("text: %s", got)
	}
	if r := h.lastRequest("/api/v1/ws/demo/temporary-data"); string(r.Body) != `{"content":{"account":{"holder":"Jane Smith","number":"987654321"}}}` || r.Method != "POST" {
		t.Errorf("body %s", r.Body)
	}
	h.ok("export_pdf", `{"report_type":"bank-statement","temp_data_id":`+m[1]+`}`)
	assertPDFText(t, filepath.Join(h.deps.OutputDir, "Bank Account Statement.pdf"), "Jane Smith", "987654321")

	// A JSON string is accepted for content.
	h.ok("push_temporary_data", `{"content":"{\"x\":1}","expires_at":"2099-01-01T00:00:00Z"}`)
	if r := h.lastRequest("/api/v1/ws/demo/temporary-data"); string(r.Body) != `{"content":{"x":1},"expiryDate":"2099-01-01T00:00:00Z"}` {
		t.Errorf("body %s", r.Body)
	}
	if got := h.fail("push_temporary_data", `{"content":{},"expires_at":"2001-01-01T00:00:00Z"}`); got != "expires_at 2001-01-01T00:00:00Z is in the past; give a future time or leave it out." {
		t.Errorf("past: %q", got)
	}
}

func TestCreatePreviewLinkOpensOnce(t *testing.T) {
	h := newHarness(t)
	got, _ := h.ok("create_preview_link", `{"report_id":1628,"params":{"dateFrom":"2026-03-01"}}`)
	link := regexp.MustCompile(`http://\S+`).FindString(got)
	if !strings.HasPrefix(link, h.url+"/ws/demo/reports/1628/preview?params=%7B%22dateFrom%22%3A%222026-03-01%22%7D&timezone=Europe%2FBelgrade&nonce=") {
		t.Fatalf("link %q", link)
	}
	if !strings.Contains(got, "the link works once") {
		t.Errorf("text does not say the link works once: %s", got)
	}
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Jar: jar}
	page := get(t, browser, link, 200)
	if !strings.Contains(page, "Bank Account Statement") || !strings.Contains(page, "2026-03-01") {
		t.Errorf("page does not show the report:\n%.400s", page)
	}
	// The same browser may reload; another one may not.
	get(t, browser, link, 200)
	get(t, &http.Client{}, link, 401)
}

func get(t *testing.T, c *http.Client, url string, status int) string {
	t.Helper()
	resp, err := c.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != status {
		t.Fatalf("GET %s: %d, want %d", url, resp.StatusCode, status)
	}
	return string(b)
}

func TestReportArgumentErrors(t *testing.T) {
	h := newHarness(t)
	cases := []struct{ tool, args, want string }{
		{"export_pdf", `{}`, "A report is required: give report_id (from list_reports), report_type (a code from list_report_types) or report_name."},
		{"export_pdf", `{"report_id":1,"report_type":"invoice"}`, "Give only one of report_id, report_type and report_name."},
		{"create_preview_link", `{"report_type":"invoice","report_name":"Invoice"}`, "Give only one of report_id, report_type and report_name."},
		{"export_pdf", `{"report_id":99999}`, "Report 99999 was not found in workspace \"demo\" (404). Call list_reports for valid report ids, or list_report_types for type codes."},
		{"export_pdf", `{"report_type":"nope"}`, "The default \"nope\" report was not found in workspace \"demo\" (404). Call list_report_types for valid codes."},
		{"create_preview_link", `{"report_id":1627,"workspace":"nowhere"}`, "Workspace \"nowhere\" was not found (404). Call list_workspaces for valid ids and codes.\nWorkspaces this token can use, closest first (id, code, name): 72 master \"Master\"; 1 demo \"Demo\"; 26 finance \"Finance\"."},
		{"export_pdf", `{"report_id":1627,"timezone":"Mars/Olympus"}`, "Timezone \"Mars/Olympus\" is not an IANA time zone name; use a name such as UTC, Europe/Belgrade or America/New_York."},
		{"export_pdf", `{"report_id":"abc"}`, "Invalid arguments: argument \"report_id\" must be an integer, not a string."},
		{"export_pdf", `{"report":1627}`, "Invalid arguments: unknown argument \"report\": this tool takes workspace, report_id, report_type, report_name, params, data, temp_data_id, timezone, format, theme, template, lang, include_attachments, exclude_pages, async, export_id, embed, include_text, folder."},
		{"export_pdf", `{"report_id":1627,"temp_data_id":424242}`, "The temporary data was not found (404): it may have expired. Push the data again with push_temporary_data and use the new temp_data_id."},
	}
	for _, c := range cases {
		if got := h.fail(c.tool, c.args); got != c.want {
			t.Errorf("%s(%s)\n got %q\nwant %q", c.tool, c.args, got, c.want)
		}
	}
	if entries, _ := os.ReadDir(h.deps.OutputDir); len(entries) != 0 {
		t.Errorf("failed exports left files: %v", entries)
	}
}

func TestNoDefaultWorkspace(t *testing.T) {
	h := newHarness(t, withDeps(func(d *Deps) { d.DefaultWorkspace = "" }))
	want := "Workspace is required: pass workspace (an id, code or name from list_workspaces), or set CXREPORTS_WORKSPACE to make one the default."
	for _, tool := range []string{"list_reports", "list_report_types", "export_pdf", "push_temporary_data", "create_preview_link"} {
		args := `{"report_id":1627}`
		if tool == "push_temporary_data" {
			args = `{"content":{}}`
		} else if strings.HasPrefix(tool, "list_") {
			args = ""
		}
		if got := h.fail(tool, args); got != want {
			t.Errorf("%s: %q", tool, got)
		}
	}
	got, _ := h.ok("list_workspaces", "")
	if !strings.HasSuffix(got, "No default workspace is set: pass workspace to the other tools.") {
		t.Errorf("list_workspaces: %s", got)
	}
}

func TestAccessErrors(t *testing.T) {
	sb := sandbox.New(sandbox.Options{})
	hs := newServer(t, sb)
	for _, c := range []struct{ token, args, want string }{
		{"wrong-token", `{"workspace":"demo"}`, "CxReports rejected the token (401 Unauthorized). Check CXREPORTS_TOKEN (or CXREPORTS_TOKEN_FILE): it must be a valid, unexpired personal access token for the server in CXREPORTS_URL."},
		{sandbox.DefaultLimitedToken, `{"workspace":"demo"}`, "The token has no access to workspace \"demo\" (403 Forbidden). Call list_workspaces to see the workspaces it can use." +
			"\nWorkspaces this token can use, closest first (id, code, name): 26 finance \"Finance\"."},
	} {
		api, _ := cxapi.New(cxapi.Config{BaseURL: hs, Token: c.token})
		c2 := connect(t, All(), &Deps{Client: func(context.Context) (API, error) { return api, nil }, OutputDir: t.TempDir()})
		res := callTool(t, c2, "list_reports", c.args)
		if !res.IsError || text(res) != c.want {
			t.Errorf("token %s: %q", c.token, text(res))
		}
		if strings.Contains(text(res), c.token) {
			t.Error("the token leaked into the message")
		}
	}
}

func TestNotConfigured(t *testing.T) {
	c := connect(t, All(), &Deps{})
	for _, tool := range All() {
		res := callTool(t, c, tool.Name, "")
		if !res.IsError || !strings.Contains(text(res), "CXREPORTS_URL is not set") {
			t.Errorf("%s: %v %q", tool.Name, res.IsError, text(res))
		}
	}
}

func assertPDFText(t *testing.T, path string, phrases ...string) {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Logf("pdftotext not installed; not checking the text of %s", filepath.Base(path))
		return
	}
	out, err := exec.Command("pdftotext", "-layout", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext %s: %v", path, err)
	}
	for _, p := range phrases {
		if !strings.Contains(string(out), p) {
			t.Errorf("%s does not contain %q:\n%s", filepath.Base(path), p, out)
		}
	}
}

// headerClient is a client whose token came from a request header.
type headerClient struct{ *cxapi.Client }

func (headerClient) TokenSetting() string { return "the X-CxReports-Token header" }

// TestRejectedUserToken: a 401 for a token the caller brought names that
// token, not the server's settings.
func TestRejectedUserToken(t *testing.T) {
	url := newServer(t, sandbox.New(sandbox.Options{}))
	api, _ := cxapi.New(cxapi.Config{BaseURL: url, Token: "not-a-valid-token"})
	c := connect(t, All(), &Deps{Client: func(context.Context) (API, error) { return headerClient{api}, nil }, OutputDir: t.TempDir()})
	res := callTool(t, c, "list_workspaces", "")
	want := "CxReports rejected the token (401 Unauthorized). Check the personal access token sent in the X-CxReports-Token header: it must be valid and unexpired for the server in CXREPORTS_URL."
	if !res.IsError || text(res) != want {
		t.Errorf("got %q", text(res))
	}
}

// TestExportIDTakesNoReport: collecting an export refuses arguments that
// would describe another one.
func TestExportIDTakesNoReport(t *testing.T) {
	h := newHarness(t)
	got := h.fail("export_pdf", `{"export_id":5001,"report_id":1627,"format":"docx"}`)
	if got != "export_id collects an export started earlier, with the report and options it was started with; report_id, format cannot change it. Give export_id with only workspace (and embed, include_text or folder), or export again without export_id." {
		t.Errorf("got %q", got)
	}
}

// TestExcludePagesChecked: page numbers beyond the report are refused.
func TestExcludePagesChecked(t *testing.T) {
	h := newHarness(t)
	got := h.fail("export_pdf", `{"report_id":1629,"exclude_pages":[2,9,12]}`)
	if !strings.HasPrefix(got, "Report 1629 has ") || !strings.HasSuffix(got, ", so exclude_pages cannot leave out page 9, 12; nothing was exported.") {
		t.Errorf("got %q", got)
	}
}
