package tools

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

func TestExportPDFIncludeText(t *testing.T) {
	h := newHarness(t)
	_, res := h.ok("export_pdf", `{"report_id":1635,"params":{"dateFrom":"2026-03-01"},"timezone":"Europe/Paris","include_text":true}`)
	if len(res.Content) != 3 {
		t.Fatalf("%d content blocks, want text, resource_link, text", len(res.Content))
	}
	if _, ok := res.Content[1].(mcp.ResourceLink); !ok {
		t.Fatalf("block 2 is %T, want the resource link", res.Content[1])
	}
	want := "Text of Relevé de compte.pdf (2 pages):\n" +
		"--- Page 1 ---\n" +
		"Relevé de compte\n" +
		"Workspace: Demo (demo)\n" +
		"Theme: Plain | Template: Default\n" +
		"Summary\n" +
		"Report: Relevé de compte (id 1635, type bank-statement)\n" +
		"Workspace: Demo (demo)\n" +
		"Parameters\n" +
		"dateFrom = \"2026-03-01\"\n" +
		"Parameters this report understands\n" +
		"Name\tType\tDescription\tExample\n" +
		"dateFrom\tstring\tFirst day of the statement, YYYY-MM-DD.\t\"2026-03-01\"\n" +
		"dateTo\tstring\tLast day of the statement, YYYY-MM-DD.\t\"2026-03-31\"\n" +
		"Page 1 of 2 | Timezone: Europe/Paris | Language: en\n" +
		"--- Page 2 ---\n" +
		"Relevé de compte\n" +
		"Workspace: Demo (demo)\n" +
		"Theme: Plain | Template: Default\n" +
		"Transactions\n" +
		"Data\n" +
		"Source: sample data\n" +
		"account\n" +
		"accountNumber: 987654321\n" +
		"owner: Jane Smith\n" +
		"currency: EUR\n" +
		"openingBalance: 840.10\n" +
		"transactions\n" +
		"date\tdescription\tamount\n" +
		"2026-03-03\tCafé de la Gare\t-12.80\n" +
		"2026-03-09\tVirement reçu\t500.00\n" +
		"closingBalance: 1327.30\n" +
		"Page 2 of 2 | Timezone: Europe/Paris | Language: en"
	if got := res.Content[2].(mcp.TextContent).Text; got != want {
		t.Errorf("text block:\n%s\nwant:\n%s", got, want)
	}
	// Without include_text the result has no text block.
	_, res = h.ok("export_pdf", `{"report_id":1635}`)
	if len(res.Content) != 2 {
		t.Errorf("without include_text: %d blocks", len(res.Content))
	}
}

func TestExportPDFIncludeTextCapped(t *testing.T) {
	h := newHarness(t)
	_, res := h.ok("export_pdf", `{"report_type":"large-document","params":{"sizeMB":1},"include_text":true}`)
	got := res.Content[len(res.Content)-1].(mcp.TextContent).Text
	if !strings.HasPrefix(got, "Text of Large document.pdf (141 pages):\n--- Page 1 ---\nLarge document - page 000001 of 000141\nLine 01: The quick brown fox") {
		t.Errorf("start:\n%s", got[:200])
	}
	if end := "dozen li\n[Text cut at 20000 characters, in page 4 of 141. Open the file for the rest.]"; !strings.HasSuffix(got, end) {
		t.Errorf("end:\n%s\nwant:%s", got[len(got)-200:], end)
	}
	if strings.Contains(got, "--- Page 5 ---") {
		t.Error("page 5 is past the cap")
	}
}

func TestDocumentTextUnreadable(t *testing.T) {
	dir := t.TempDir()
	for name, content := range map[string]string{
		"login.pdf":     "<html>Sign in</html>",
		"truncated.pdf": "%PDF-1.4\n1 0 obj\n<<",
	} {
		path := filepath.Join(dir, name)
		if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
		want := map[string]string{
			"login.pdf":     "Could not read the text of login.pdf: not a PDF file. The PDF itself was saved; open the file to read it.",
			"truncated.pdf": "Could not read the text of truncated.pdf: malformed PDF: the file is damaged or incomplete (runtime error: slice bounds out of range [-81:]). The PDF itself was saved; open the file to read it.",
		}[name]
		if got := documentText(context.Background(), path); got != want {
			t.Errorf("%s:\n got %q\nwant %q", name, got, want)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	path := filepath.Join(dir, "login.pdf")
	if got := documentText(ctx, path); got != "Could not read the text of login.pdf: the call was cancelled. The PDF itself was saved; open the file to read it." {
		t.Errorf("cancelled: %q", got)
	}
	// An error result passes through untouched.
	res := errorResult("boom")
	if got := withDocumentText(context.Background(), res, path); got != res || len(got.Content) != 1 {
		t.Errorf("error result changed: %+v", got)
	}
}

func TestPreviewIframe(t *testing.T) {
	h := newHarness(t)
	got, _ := h.ok("create_preview_link", `{"report_id":1628,"params":{"dateFrom":"2026-03-01"},"iframe":true}`)
	lines := strings.Split(got, "\n")
	link := lines[1]
	if !strings.HasPrefix(link, h.url+"/ws/demo/reports/1628/preview?") || !strings.Contains(link, "&nonce=") {
		t.Fatalf("link %q", link)
	}
	src := strings.ReplaceAll(link, "&", "&amp;") + "&amp;hidePrintButton=true"
	want := "Preview of report 1628 in workspace demo:\n" + link + "\n" +
		"Tell the user: the link works once. It opens in one browser and stays usable there; anyone else, or a second browser, needs a new link (call create_preview_link again).\n\n" +
		"HTML to embed it (it uses the same single-use link, so open either the link or the page with this snippet, not both):\n" +
		`<iframe src="` + src + `" title="CxReports report" width="100%" height="800" style="border:0" sandbox="allow-scripts allow-same-origin allow-modals allow-downloads" referrerpolicy="no-referrer" loading="lazy"></iframe>` + "\n" +
		"For an app, do not paste a link into HTML: create the nonce on your server for each page view with your personal access token (POST /api/v1/nonce-tokens), never put the token in browser code, and print from the host page with iframe.contentWindow.postMessage(\"print\", \"*\"). This server's prompt integrate_cxreports (in the client's prompt menu) is a full guide with code."
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	// Without iframe, no snippet.
	if got, _ := h.ok("create_preview_link", `{"report_id":1628}`); strings.Contains(got, "<iframe") {
		t.Errorf("snippet without iframe: %s", got)
	}
}

func TestIframeSnippet(t *testing.T) {
	for link, src := range map[string]string{
		`https://t.cx-reports.app/ws/72/reports/497/preview?params=%7B%22a%22%3A1%7D&nonce=n1`: `https://t.cx-reports.app/ws/72/reports/497/preview?params=%7B%22a%22%3A1%7D&amp;nonce=n1&amp;hidePrintButton=true`,
		`https://t.cx-reports.app/ws/72/reports/497/preview`:                                   `https://t.cx-reports.app/ws/72/reports/497/preview?hidePrintButton=true`,
		`https://t.cx-reports.app/ws/a"b/reports/1/preview?x=<y>`:                              `https://t.cx-reports.app/ws/a&#34;b/reports/1/preview?x=&lt;y&gt;&amp;hidePrintButton=true`,
	} {
		want := `<iframe src="` + src + `" title="CxReports report" width="100%" height="800" style="border:0" sandbox="allow-scripts allow-same-origin allow-modals allow-downloads" referrerpolicy="no-referrer" loading="lazy"></iframe>`
		if got := iframeSnippet(link); got != want {
			t.Errorf("%s:\n got %s\nwant %s", link, got, want)
		}
	}
}
