package tools

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// failingItemText is what a batch says of an item of the sandbox's
// failing report type.
const failingItemText = `CxReports failed with a server error (500: Rendering failed). This is not caused by the arguments; try again later.`

func TestExportBatchWithOneFailingItem(t *testing.T) {
	h := newResourceHarness(t)
	ctx := context.Background()
	res := h.call(ctx, "export_batch", `{"items":[
		{"report_type":"invoice","params":{"month":"2026-03"}},
		{"report_type":"invoice","params":{"month":"2026-04"},"file_name":"April invoice"},
		{"report_type":"failing"},
		{"report_id":1628,"data":{"holder":"Jane Roe"},"file_name":"../../etc/statement.pdf"},
		{"params":{"month":"2026-05"}}
	]}`)
	if res.IsError {
		t.Fatalf("batch failed: %s", text(res))
	}
	out := h.deps.OutputDir
	files := []string{"Invoice.pdf", "April invoice.pdf", "statement.pdf"}
	docs := map[string][]byte{}
	var size []string
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		docs[f] = b
		size = append(size, humanBytes(int64(len(b))))
	}
	zipPath := filepath.Join(out, "cxreports-batch.zip")
	zipBytes, err := os.ReadFile(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`Saved 3 of 5 documents from workspace demo in %s.
ZIP of the 3 documents: %s (%s)
%s
1. Invoice.pdf: the default "invoice" report, %s, 3 pages
2. April invoice.pdf: the default "invoice" report, %s, 3 pages
3. Not saved: %s
4. statement.pdf: report 1628, %s, 2 pages
5. Not saved: A report is required: give report_id (from list_reports), report_type (a code from list_report_types) or report_name.`,
		out, zipPath, humanBytes(int64(len(zipBytes))), remoteNote, size[0], size[1], failingItemText, size[2])
	if got := text(res); got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}

	// The ZIP holds exactly the saved documents, byte for byte.
	zr, err := zip.NewReader(bytes.NewReader(zipBytes), int64(len(zipBytes)))
	if err != nil {
		t.Fatal(err)
	}
	var inZip []string
	for _, f := range zr.File {
		inZip = append(inZip, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(rc)
		rc.Close()
		if !bytes.Equal(b, docs[f.Name]) {
			t.Errorf("%s in the ZIP differs from the file", f.Name)
		}
	}
	if !reflect.DeepEqual(inZip, files) {
		t.Errorf("ZIP entries %q, want %q", inZip, files)
	}

	// Resource links: the ZIP first, then each document; all readable.
	var got []string
	for _, l := range links(res) {
		got = append(got, l.URI+" "+l.MIMEType)
		if _, err := h.read(ctx, l.URI); err != nil {
			t.Errorf("read %s: %v", l.URI, err)
		}
	}
	wantLinks := []string{"cxreports://exports/cxreports-batch.zip application/zip", "cxreports://exports/Invoice.pdf application/pdf",
		"cxreports://exports/April%20invoice.pdf application/pdf", "cxreports://exports/statement.pdf application/pdf"}
	if !reflect.DeepEqual(got, wantLinks) {
		t.Errorf("links %q, want %q", got, wantLinks)
	}

	raw, _ := json.Marshal(res.StructuredContent)
	var so schemas.ExportBatchOutput
	json.Unmarshal(raw, &so)
	wantSO := schemas.ExportBatchOutput{Workspace: "demo", Folder: out, Saved: 3, Zip: zipPath, ZipURI: "cxreports://exports/cxreports-batch.zip", Items: []schemas.BatchItemResult{
		{Item: 1, File: filepath.Join(out, "Invoice.pdf"), URI: "cxreports://exports/Invoice.pdf"},
		{Item: 2, File: filepath.Join(out, "April invoice.pdf"), URI: "cxreports://exports/April%20invoice.pdf"},
		{Item: 3, Error: failingItemText},
		{Item: 4, File: filepath.Join(out, "statement.pdf"), URI: "cxreports://exports/statement.pdf"},
		{Item: 5, Error: "A report is required: give report_id (from list_reports), report_type (a code from list_report_types) or report_name."},
	}}
	if !reflect.DeepEqual(so, wantSO) {
		t.Errorf("structuredContent:\n got %+v\nwant %+v", so, wantSO)
	}

	// A second batch never overwrites: new names, a new ZIP.
	res = h.call(ctx, "export_batch", `{"items":[{"report_id":1627}],"zip_name":"march"}`)
	if l := links(res); res.IsError || len(l) != 2 || l[0].URI != "cxreports://exports/march.zip" || l[1].URI != "cxreports://exports/Invoice-2.pdf" {
		t.Errorf("second batch: %s %+v", text(res), l)
	}
}

func TestExportBatchNothingSaved(t *testing.T) {
	h := newResourceHarness(t)
	res := h.call(context.Background(), "export_batch", `{"items":[{"report_type":"failing"},{"report_id":1627,"params":{"fail":true}}]}`)
	want := "None of the 2 documents was saved:\n1. Not saved: " + failingItemText + "\n2. Not saved: " + failingItemText
	if !res.IsError || text(res) != want {
		t.Errorf("got %s\nwant %s", text(res), want)
	}
	if entries, _ := os.ReadDir(h.deps.OutputDir); len(entries) != 0 {
		t.Errorf("files were left: %v", entries)
	}
}

func TestExportBatchArguments(t *testing.T) {
	h := newHarness(t)
	many := strings.TrimSuffix(strings.Repeat(`{"report_id":1627},`, schemas.MaxBatchItems+1), ",")
	for args, want := range map[string]string{
		`{"items":[]}`:                `Invalid arguments: argument "items" must have at least 1 item, not 0.`,
		`{"items":[` + many + `]}`:    `Invalid arguments: argument "items" must have at most 50 items, not 51.`,
		`{}`:                          `Invalid arguments: missing required argument "items" (an array).`,
		`{"items":[{"report":1627}]}`: `Invalid arguments: unknown argument "report" in "items.0".`,
		`{"items":[{"report_id":1627}],"timezone":"Mars/Olympus"}`: `Timezone "Mars/Olympus" is not an IANA time zone name; use a name such as UTC, Europe/Belgrade or America/New_York.`,
		`{"items":[{"report_id":1627}],"folder":"/tmp"}`:           `Folder works only when this server runs on the user's machine (stdio); here documents are saved in the server's output folder. Call again without folder.`,
	} {
		if got := h.fail("export_batch", args); !strings.HasPrefix(got, want) {
			t.Errorf("export_batch(%.60s): %s\nwant %s", args, got, want)
		}
	}
}

// gatedAPI holds every document download until released, recording how
// many were in flight at once.
type gatedAPI struct {
	API
	entered chan struct{}
	release chan struct{}
	mu      sync.Mutex
	now     int
	max     int
}

func (g *gatedAPI) DownloadPDF(ctx context.Context, ws string, r cxapi.ReportRef, q *cxapi.ReportQuery, w io.Writer) (*cxapi.Document, error) {
	g.mu.Lock()
	g.now++
	g.max = max(g.max, g.now)
	g.mu.Unlock()
	g.entered <- struct{}{}
	<-g.release
	defer func() {
		g.mu.Lock()
		g.now--
		g.mu.Unlock()
	}()
	return g.API.DownloadPDF(ctx, ws, r, q, w)
}

func TestExportBatchBoundsConcurrency(t *testing.T) {
	gate := &gatedAPI{entered: make(chan struct{}, 16), release: make(chan struct{})}
	h := newHarness(t, withDeps(func(d *Deps) {
		inner := d.Client
		d.Client = func(ctx context.Context) (API, error) {
			api, err := inner(ctx)
			gate.API = api
			return gate, err
		}
	}))
	done := make(chan string)
	go func() {
		res := h.call("export_batch", `{"items":[`+strings.TrimSuffix(strings.Repeat(`{"report_id":1627},`, 10), ",")+`]}`)
		done <- text(res)
	}()
	for range batchConcurrency {
		<-gate.entered
	}
	close(gate.release) // the other six may now run, at most four at a time
	for range 10 - batchConcurrency {
		<-gate.entered
	}
	got := <-done
	if !strings.HasPrefix(got, "Saved 10 of 10 documents") {
		t.Fatalf("batch: %s", got)
	}
	if gate.max != batchConcurrency {
		t.Errorf("%d downloads ran at once, want at most %d", gate.max, batchConcurrency)
	}
}

func TestExportBatchProgress(t *testing.T) {
	h := newHarness(t)
	notes := collectProgress(h.client)
	req := callRequest(`{"items":[{"report_id":1627},{"report_type":"failing"},{"report_id":1628}]}`)
	req.Params.Name = "export_batch"
	req.Params.Meta = &mcp.Meta{ProgressToken: "batch-1"}
	res, err := h.client.CallTool(context.Background(), req)
	if err != nil || res.IsError {
		t.Fatalf("%v %s", err, text(res))
	}
	var got []string
	for _, n := range notes.wait(t, 3) {
		got = append(got, fmt.Sprintf("%v %v %v", n["progressToken"], n["progress"], n["message"]))
	}
	want := []string{"batch-1 1 1 of 3 documents done.", "batch-1 2 2 of 3 documents done.", "batch-1 3 3 of 3 documents done."}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("progress %q, want %q", got, want)
	}
}
