package tools

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// batchConcurrency bounds the exports of one export_batch call that run
// on CxReports at once.
const batchConcurrency = 4

// defaultZipName names the ZIP of a batch when the call names none.
const defaultZipName = "cxreports-batch"

// zipFormat is the format of a batch's ZIP.
var zipFormat = docFormat{name: "zip", ext: ".zip", mime: "application/zip", label: "ZIP archive"}

func exportBatch() Tool {
	return define(Tool{
		Name:  "export_batch",
		Title: "Export many documents",
		Description: "Export up to 50 documents in one call: one report for many params or data sets, or several reports. " +
			"Saves each document and a ZIP of all of them; an item that fails is reported without losing the others. Returns paths and resource links.",
		Toolset: ToolsetExports,
		Hints:   ReadOnlyOutput,
		Output:  schemas.ExportBatchOutput{},
	}, func(ctx context.Context, env *Env, in schemas.ExportBatchInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(ctx, in.Workspace)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		tz, err := env.timezone(in.Timezone)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		dst, err := env.destination(ctx, in.Folder)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		opts := schemas.ExportOptions{Format: in.Format, Theme: in.Theme, Template: in.Template, Lang: in.Lang}
		outcomes := env.exportAll(ctx, ws, tz, in.Items, opts, dst)
		zipName := in.ZipName
		if zipName == "" {
			zipName = defaultZipName
		}
		return env.batchResult(ctx, ws, dst, outcomes, zipName), nil
	})
}

// batchOutcome is what became of one item of a batch: a saved document,
// or why there is none.
type batchOutcome struct {
	saved   *savedDoc
	problem string
}

// exportAll exports the items, at most batchConcurrency at a time, through
// the same planning and saving as export_pdf. It reports progress as items
// finish, when the call asked for progress.
func (e *Env) exportAll(ctx context.Context, ws, tz string, items []schemas.BatchItem, o schemas.ExportOptions, dst *destination) []batchOutcome {
	out := make([]batchOutcome, len(items))
	prog := e.progress(ctx)
	var mu sync.Mutex // guards prog and done
	done := 0
	sem := make(chan struct{}, batchConcurrency)
	var wg sync.WaitGroup
	for i, item := range items {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			out[i] = e.exportItem(withoutDownloadProgress(ctx), ws, tz, item, o, dst)
			mu.Lock()
			defer mu.Unlock()
			done++
			prog.step(fmt.Sprintf("%d of %d documents done.", done, len(items)))
		})
	}
	wg.Wait()
	return out
}

// exportItem exports one item of a batch. A panic fails only this item.
func (e *Env) exportItem(ctx context.Context, ws, tz string, item schemas.BatchItem, o schemas.ExportOptions, dst *destination) (res batchOutcome) {
	defer func() {
		if p := recover(); p != nil {
			e.deps.logger().Error("batch item panicked", "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			res = batchOutcome{problem: "Internal error while exporting this item; the others are not affected."}
		}
	}()
	call, err := e.reportCallIn(ctx, ws, schemas.ReportArgs{
		ReportSelector: item.ReportSelector,
		Params:         item.Params,
		Data:           item.Data,
		TempDataID:     item.TempDataID,
		Timezone:       tz,
	})
	if err != nil {
		return batchOutcome{problem: describeError(err, nil)}
	}
	saved, failed := e.exportDoc(ctx, call, o, dst, item.FileName, nil)
	if failed != nil {
		return batchOutcome{problem: firstText(failed)}
	}
	return batchOutcome{saved: saved}
}

// batchResult describes a batch: one line per item, the ZIP of the saved
// documents, and resource links to the ZIP and to each document. It is an
// error only when no document was saved.
func (e *Env) batchResult(ctx context.Context, ws string, dst *destination, outcomes []batchOutcome, zipName string) *mcp.CallToolResult {
	out := schemas.ExportBatchOutput{Workspace: ws, Folder: dst.dir, Items: make([]schemas.BatchItemResult, len(outcomes))}
	var saved []*savedDoc
	var lines strings.Builder
	for i, o := range outcomes {
		item := schemas.BatchItemResult{Item: i + 1}
		if o.saved == nil {
			item.Error = o.problem
			fmt.Fprintf(&lines, "\n%d. Not saved: %s", i+1, o.problem)
		} else {
			saved = append(saved, o.saved)
			item.File, item.URI = o.saved.path, ExportURI(o.saved.name)
			fmt.Fprintf(&lines, "\n%d. %s: %s, %s", i+1, filepath.Base(o.saved.path), o.saved.what, sizeAndPages(o.saved))
		}
		out.Items[i] = item
	}
	out.Saved = len(saved)
	if len(saved) == 0 {
		none := "The document was not saved:"
		if len(outcomes) > 1 {
			none = fmt.Sprintf("None of the %d documents was saved:", len(outcomes))
		}
		return errorResult(none + lines.String())
	}
	text := fmt.Sprintf("Saved %d of %d %s from workspace %s in %s.", len(saved), len(outcomes), plural(len(outcomes), "document", "documents"), ws, dst.dir)
	var content []mcp.Content
	zipped, err := e.zipDocs(ctx, dst, zipName, saved, ws)
	if err != nil {
		text += fmt.Sprintf("\nThe ZIP could not be written in %s: %v. The documents themselves are saved.", dst.dir, err)
	} else {
		out.Zip, out.ZipURI = zipped.path, ExportURI(zipped.name)
		text += fmt.Sprintf("\nZIP of the %d documents: %s (%s)", len(saved), zipped.path, humanBytes(zipped.doc.Size))
		content = append(content, zipped.link())
	}
	text += "\n" + dst.note + lines.String()
	for _, s := range saved {
		content = append(content, s.link())
	}
	return textResult(text, out, content...)
}

// zipDocs saves one ZIP holding the given documents, under their file
// names, and remembers it as an export resource.
func (e *Env) zipDocs(ctx context.Context, dst *destination, name string, docs []*savedDoc, ws string) (*savedDoc, error) {
	fetch := func(w io.Writer) (*cxapi.Document, error) {
		cw := &countingWriter{w: w}
		zw := zip.NewWriter(cw)
		for _, d := range docs {
			if err := addToZip(zw, d); err != nil {
				return nil, err
			}
		}
		if err := zw.Close(); err != nil {
			return nil, fmt.Errorf("write ZIP: %w", err)
		}
		return &cxapi.Document{FileName: name, ContentType: zipFormat.mime, Size: cw.n}, nil
	}
	what := fmt.Sprintf("a ZIP of %d documents", len(docs))
	return e.save(ctx, dst, zipFormat, fetch, func(*cxapi.Document) string { return name }, what, ws)
}

// addToZip copies a saved document into zw. Formats that are compressed
// already (PDF, OOXML) are stored as they are; HTML is deflated.
func addToZip(zw *zip.Writer, d *savedDoc) error {
	f, err := os.Open(d.path)
	if err != nil {
		return fmt.Errorf("read %s for the ZIP: %w", d.path, err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return fmt.Errorf("read %s for the ZIP: %w", d.path, err)
	}
	hdr := &zip.FileHeader{Name: filepath.Base(d.path), Method: zip.Store, Modified: fi.ModTime()}
	if d.format.name == "html" {
		hdr.Method = zip.Deflate
	}
	w, err := zw.CreateHeader(hdr)
	if err != nil {
		return fmt.Errorf("write ZIP: %w", err)
	}
	if _, err := io.Copy(w, f); err != nil {
		return fmt.Errorf("copy %s into the ZIP: %w", d.path, err)
	}
	return nil
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// firstText returns the text of a result's first block.
func firstText(res *mcp.CallToolResult) string {
	if len(res.Content) > 0 {
		if tc, ok := res.Content[0].(mcp.TextContent); ok {
			return tc.Text
		}
	}
	return ""
}
