package tools

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/outfile"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

func exportPDF() Tool {
	return define(Tool{
		Name:  "export_pdf",
		Title: "Export a report",
		Description: "Render a report as PDF (or docx, xlsx, pptx, html) and save it as a file, filled with params, data or temp_data_id. " +
			"Returns the file's path and a resource link.",
		Toolset: ToolsetCore,
		Hints:   ReadOnlyOutput,
	}, func(ctx context.Context, env *Env, in schemas.ExportPDFInput) (*mcp.CallToolResult, error) {
		var call *reportCall
		if in.ExportID != 0 {
			if extra := collectConflicts(in); len(extra) > 0 {
				return errorResult(fmt.Sprintf("export_id collects an export started earlier, with the report and options it was started with; "+
					"%s cannot change it. Give export_id with only workspace (and embed, include_text or folder), or export again without export_id.", strings.Join(extra, ", "))), nil
			}
		}
		if in.ExportID == 0 {
			c, err := env.reportCall(ctx, in.ReportArgs)
			if err != nil {
				return errorFromErr(err, c.about()), nil
			}
			call = c
		}
		dst, err := env.destination(ctx, in.Folder)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		if call == nil {
			return env.collectExport(ctx, in, dst), nil
		}
		if err := env.checkExcludedPages(ctx, call, in.ExcludePages); err != nil {
			return errorFromErr(err, call.target), nil
		}
		saved, res := env.exportDoc(ctx, call, in.ExportOptions, dst, "", env.progress(ctx))
		if res == nil {
			res = env.documentResult(ctx, saved, extrasOf(in))
		} else {
			res = withPendingExtras(res, extrasOf(in))
		}
		if !res.IsError {
			if w := env.paramWarning(ctx, call); w != "" {
				appendText(res, w)
			}
		}
		return res, nil
	})
}

// exportDoc exports one report as planned (planExport) and saves it in
// dst, named nameAs when given, else as CxReports names it. It returns the
// saved document, or instead the result to give: an error, or a background
// export still running. prog, when not nil, reports the polls of a
// background export.
func (e *Env) exportDoc(ctx context.Context, call *reportCall, o schemas.ExportOptions, dst *destination, nameAs string, prog *progress) (*savedDoc, *mcp.CallToolResult) {
	f, _ := formatNamed(o.Format) // the schema's enum admits only known formats
	route := planExport(o, call.query)
	if route == viaBackground {
		return e.startExport(ctx, call, exportRequest(o, call.query), f, dst, nameAs, prog)
	}
	t := *call.target
	t.SuggestAsync = true
	var fetch func(w io.Writer) (*cxapi.Document, error)
	switch route {
	case viaGET:
		fetch = func(w io.Writer) (*cxapi.Document, error) {
			return e.api.DownloadPDF(ctx, call.ws, call.ref, call.query, w)
		}
	default:
		req := exportRequest(o, call.query)
		fetch = func(w io.Writer) (*cxapi.Document, error) {
			return e.api.Export(ctx, call.ws, call.ref, req, w)
		}
	}
	name := func(doc *cxapi.Document) string {
		if nameAs != "" {
			return nameAs
		}
		return fileName(doc, call)
	}
	saved, err := e.save(ctx, dst, f, fetch, name, call.target.Report, call.ws)
	if route == viaPOST && endpointMissing(err) {
		return nil, errorResult(fmt.Sprintf("This CxReports server has no POST endpoint for exports (%s), so it cannot export with format, theme, template, lang, include_attachments or long params. "+
			"Export a plain PDF with short params, or update CxReports.", statusOf(err)))
	}
	if err != nil {
		return nil, e.saveFailure(err, f, dst, &t)
	}
	return saved, nil
}

// savedDoc is a document saved on disk and remembered as a resource.
type savedDoc struct {
	path   string
	doc    *cxapi.Document
	format docFormat
	pages  int    // 0 when unknown
	what   string // the report or export it came from, e.g. `report 1627`
	ws     string
	// name is the document's name in its resource URI (ExportURI).
	name string
	// note says where it was saved and why (destination.note).
	note string
}

// save streams a document from fetch into a new file of dst named by name
// (with f's extension), counting the pages of a PDF and reporting the bytes
// received as progress, and remembers it as an export resource of the
// calling user. what and ws describe where the document came from. On
// failure it leaves no file behind.
func (e *Env) save(ctx context.Context, dst *destination, f docFormat, fetch func(w io.Writer) (*cxapi.Document, error), name func(*cxapi.Document) string, what, ws string) (*savedDoc, error) {
	release, err := e.deps.downloadSlot(ctx)
	if err != nil {
		return nil, err
	}
	defer release()
	var doc *cxapi.Document
	pages := &pageCounter{}
	path, err := outfile.Save(dst.dir, f.ext, func(w io.Writer) (string, error) {
		var err error
		if f.name == "pdf" {
			w = io.MultiWriter(w, pages)
		}
		doc, err = fetch(e.downloadProgress(ctx, w))
		if err != nil {
			return "", err
		}
		return name(doc), nil
	})
	if err != nil {
		if doc != nil && !isAPIError(err) {
			err = &saveError{err}
		}
		return nil, err
	}
	s := &savedDoc{path: path, doc: doc, format: f, pages: pages.pages, what: what, ws: ws, note: dst.note}
	if s.format.name == "" {
		s.format = formatOf(doc)
	}
	s.name = e.remember(s)
	return s, nil
}

// saveError is a document that was downloaded but could not be written.
type saveError struct{ err error }

func (e *saveError) Error() string { return e.err.Error() }
func (e *saveError) Unwrap() error { return e.err }

// saveFailure turns an error of save into the call's isError result.
func (e *Env) saveFailure(err error, f docFormat, dst *destination, t *target) *mcp.CallToolResult {
	var se *saveError
	if errors.As(err, &se) {
		fix := "Set CXREPORTS_OUTPUT_DIR to a writable folder."
		if dst.dir != e.deps.OutputDir {
			fix = "Pick another folder, or call again with folder set to a writable one."
		}
		return errorResult(fmt.Sprintf("The %s was downloaded but could not be saved in %s: %v. %s", f.label, dst.dir, se.err, fix))
	}
	saving := target{}
	if t != nil {
		saving = *t
	}
	saving.Saving = true
	return errorFromErr(err, &saving)
}

// statusOf renders the HTTP status of an API error, e.g. "404".
func statusOf(err error) string {
	var ae *cxapi.APIError
	if errors.As(err, &ae) {
		return fmt.Sprint(ae.StatusCode)
	}
	return "no answer"
}

// fileName picks the name of a downloaded document: the server's, else one
// made from the report.
func fileName(doc *cxapi.Document, call *reportCall) string {
	if doc.FileName != "" {
		return doc.FileName
	}
	if call.ref.ID != 0 {
		return fmt.Sprintf("report-%d", call.ref.ID)
	}
	return call.ref.TypeCode
}

// documentResult describes a saved document: text first (path, file URL,
// size, pages, where and why), then a resource link, then the bytes inline
// when asked for and small enough, then the text of a PDF when asked for.
func (e *Env) documentResult(ctx context.Context, s *savedDoc, x extras) *mcp.CallToolResult {
	file := filepath.Base(s.path)
	text := fmt.Sprintf("Saved %s of %s in workspace %s (%s).\nPath: %s\n%s\n%s", file, s.what, s.ws, sizeAndPages(s), s.path, fileURL(s.path), s.note)
	content := []mcp.Content{s.link()}
	switch {
	case !x.embed:
	case s.doc.Size > e.deps.EmbedLimit:
		text += fmt.Sprintf("\nNot embedded: %s is over the %s limit for inline documents; use the file.", humanBytes(s.doc.Size), humanBytes(e.deps.EmbedLimit))
	default:
		b, err := os.ReadFile(s.path)
		if err != nil {
			return errorResult(fmt.Sprintf("The %s was saved at %s but could not be read back to embed it: %v.", s.format.label, s.path, err))
		}
		content = append(content, mcp.NewEmbeddedResource(mcp.BlobResourceContents{
			URI:      ExportURI(s.name),
			MIMEType: s.format.mime,
			Blob:     base64.StdEncoding.EncodeToString(b),
		}))
	}
	res := textResult(text, nil, content...)
	switch {
	case x.text && s.format.name == "pdf":
		res = withDocumentText(ctx, res, s.path)
	case x.text:
		res.Content = append(res.Content, mcp.NewTextContent(fmt.Sprintf("No text: include_text reads PDFs only, and this is a %s. Export it as a PDF to read its text.", s.format.label)))
	}
	return res
}

// extras are what a call asks for beyond the saved file.
type extras struct {
	embed bool // the document inline, when small
	text  bool // the document's text, when it is a PDF
}

// extrasOf reads what an export_pdf call asks for beyond the file.
func extrasOf(in schemas.ExportPDFInput) extras {
	return extras{embed: in.Embed, text: in.IncludeText}
}

// sizeAndPages describes a saved document's size: "2.1 KiB, 3 pages".
func sizeAndPages(s *savedDoc) string {
	switch {
	case s.pages == 1:
		return humanBytes(s.doc.Size) + ", 1 page"
	case s.pages > 1:
		return fmt.Sprintf("%s, %d pages", humanBytes(s.doc.Size), s.pages)
	}
	return humanBytes(s.doc.Size)
}

// link is the resource link of a saved document.
func (s *savedDoc) link() mcp.ResourceLink {
	return mcp.NewResourceLink(ExportURI(s.name), s.name, s.format.label+" exported from CxReports", s.format.mime)
}

// fileURL renders a path as a clickable file:// URL.
func fileURL(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if filepath.VolumeName(path) != "" {
		u.Path = "/" + u.Path
	}
	return u.String()
}

// humanBytes formats a size for people: 812 B, 23.4 KiB, 5.1 MiB.
func humanBytes(n int64) string {
	switch {
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.2f GiB", float64(n)/(1<<30))
}

// isAPIError reports whether err came from the CxReports side rather than
// from the local disk.
func isAPIError(err error) bool {
	for _, target := range []error{cxapi.ErrNotPDF, cxapi.ErrTruncated, cxapi.ErrTooLarge, cxapi.ErrUnreachable, cxapi.ErrTimeout, context.Canceled, context.DeadlineExceeded} {
		if errors.Is(err, target) {
			return true
		}
	}
	var ae *cxapi.APIError
	return errors.As(err, &ae)
}

// collectConflicts names the arguments of an export_id call that would
// describe another export than the one being collected.
func collectConflicts(in schemas.ExportPDFInput) []string {
	var out []string
	add := func(set bool, name string) {
		if set {
			out = append(out, name)
		}
	}
	add(in.ReportID != 0, "report_id")
	add(in.ReportType != "", "report_type")
	add(in.ReportName != "", "report_name")
	add(in.Params != nil, "params")
	add(in.Data != nil, "data")
	add(in.TempDataID != 0, "temp_data_id")
	add(in.Timezone != "", "timezone")
	add(in.Format != "", "format")
	add(in.Theme != "", "theme")
	add(in.Template != "", "template")
	add(in.Lang != "", "lang")
	add(in.IncludeAttachments, "include_attachments")
	add(len(in.ExcludePages) > 0, "exclude_pages")
	add(in.Async, "async")
	return out
}

// checkExcludedPages refuses page numbers the report does not have, so that
// a model never believes pages were left out when they were not. A server
// that cannot list pages gets the numbers unchecked.
func (e *Env) checkExcludedPages(ctx context.Context, call *reportCall, pages []int) error {
	if len(pages) == 0 {
		return nil
	}
	list, err := e.api.ListReportPages(ctx, call.ws, call.ref)
	if endpointMissing(err) {
		return nil
	}
	if err != nil {
		return err
	}
	var bad []string
	for _, p := range pages {
		if p > len(list) {
			bad = append(bad, strconv.Itoa(p))
		}
	}
	if len(bad) > 0 {
		return &inputError{fmt.Sprintf("%s has %d %s (1–%d), so exclude_pages cannot leave out page %s; nothing was exported",
			call.target.Report, len(list), plural(len(list), "page", "pages"), len(list), strings.Join(bad, ", "))}
	}
	return nil
}
