package pdftext

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http/httptest"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// sandboxPDF renders a report with the sandbox, through the real client.
func sandboxPDF(t *testing.T, ref cxapi.ReportRef, q *cxapi.ReportQuery) []byte {
	t.Helper()
	hs := httptest.NewServer(sandbox.New(sandbox.Options{}))
	t.Cleanup(hs.Close)
	api, err := cxapi.New(cxapi.Config{BaseURL: hs.URL, Token: sandbox.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := api.DownloadPDF(context.Background(), sandbox.DemoWorkspaceCode, ref, q, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSandboxPDF(t *testing.T) {
	// The sandbox writes PDFs with fpdf: simple Helvetica fonts in
	// WinAnsi encoding, so "é" is one byte and glyph widths are known.
	b := sandboxPDF(t, cxapi.ReportByID(sandbox.ReleveReportID), &cxapi.ReportQuery{
		Params:   json.RawMessage(`{"dateFrom":"2026-03-01"}`),
		Timezone: "Europe/Paris",
	})
	got, err := extractBytes(t, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertText(t, got, &Text{PageCount: 2, Pages: []Page{
		{Number: 1, Text: "Relevé de compte\n" +
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
			"Page 1 of 2 | Timezone: Europe/Paris | Language: en\n"},
		{Number: 2, Text: "Relevé de compte\n" +
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
			"Page 2 of 2 | Timezone: Europe/Paris | Language: en\n"},
	}})
}

func TestSandboxLargeDocument(t *testing.T) {
	// The sandbox's large document comes from its own streaming writer:
	// thousands of pages, so the caps decide what is read.
	b := sandboxPDF(t, cxapi.ReportByType(sandbox.TypeLargeDocument), &cxapi.ReportQuery{Params: json.RawMessage(`{"sizeMB":1}`)})
	got, err := extractBytes(t, b, Options{MaxPages: 2})
	if err != nil {
		t.Fatal(err)
	}
	if got.PageCount != 141 || len(got.Pages) != 2 || !got.Truncated || got.Note != "Only the first 2 of 141 pages were read." {
		t.Fatalf("got %d of %d pages, truncated %v, note %q", len(got.Pages), got.PageCount, got.Truncated, got.Note)
	}
	const line2 = "Line 01: The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs.\n"
	if want := "Large document - page 000002 of 000141\n" + line2; got.Pages[1].Number != 2 || !bytes.HasPrefix([]byte(got.Pages[1].Text), []byte(want)) {
		t.Errorf("page 2 starts %q", got.Pages[1].Text[:len(want)])
	}
}
