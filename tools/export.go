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

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/outfile"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// ExportURI is the resource URI of an exported file: cxreports://exports/{file}.
func ExportURI(file string) string {
	return "cxreports://exports/" + url.PathEscape(file)
}

func exportPDF() Tool {
	return define(Tool{
		Name:  "export_pdf",
		Title: "Export a report",
		Description: "Render a report as PDF (or Word, Excel, PowerPoint, HTML) and save it in the output folder. Choose the report by report_id or report_type; " +
			"fill it with params, inline data, or temp_data_id from push_temporary_data. Returns the file's path and a resource link.",
		Toolset: ToolsetCore,
		Hints:   ReadOnlyOutput,
	}, func(ctx context.Context, env *Env, in schemas.ExportPDFInput) (*mcp.CallToolResult, error) {
		if in.ExportID != 0 {
			return env.collectExport(ctx, in), nil
		}
		call, err := env.reportCall(in.ReportArgs)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		f, _ := formatNamed(in.Format) // the schema's enum admits only known formats
		route := planExport(in.ExportOptions, call.query)
		if route == viaBackground {
			return env.startExport(ctx, call, exportRequest(in.ExportOptions, call.query), f, in.Embed), nil
		}
		call.target.SuggestAsync = true
		var fetch func(w io.Writer) (*cxapi.Document, error)
		switch route {
		case viaGET:
			fetch = func(w io.Writer) (*cxapi.Document, error) {
				return env.api.DownloadPDF(ctx, call.ws, call.ref, call.query, w)
			}
		default:
			req := exportRequest(in.ExportOptions, call.query)
			fetch = func(w io.Writer) (*cxapi.Document, error) {
				return env.api.Export(ctx, call.ws, call.ref, req, w)
			}
		}
		saved, err := env.save(ctx, f, fetch, func(doc *cxapi.Document) string { return fileName(doc, call) })
		if endpointMissing(err) {
			return errorResult(fmt.Sprintf("This CxReports server has no POST endpoint for exports (%s), so it cannot export with format, theme, template, lang, include_attachments or long params. "+
				"Export a plain PDF with short params, or update CxReports.", statusOf(err))), nil
		}
		if err != nil {
			return env.saveFailure(err, f, call.target), nil
		}
		return env.documentResult(saved, call.target.Report, call.ws, in.Embed), nil
	})
}

// savedDoc is a document saved in the output folder.
type savedDoc struct {
	path   string
	doc    *cxapi.Document
	format docFormat
	pages  int // 0 when unknown
}

// save streams a document from fetch into a new file of the output folder
// named by name (with f's extension), counting the pages of a PDF and
// reporting the bytes received as progress. On failure it leaves no file
// behind.
func (e *Env) save(ctx context.Context, f docFormat, fetch func(w io.Writer) (*cxapi.Document, error), name func(*cxapi.Document) string) (*savedDoc, error) {
	var doc *cxapi.Document
	pages := &pageCounter{}
	path, err := outfile.Save(e.deps.OutputDir, f.ext, func(w io.Writer) (string, error) {
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
	return &savedDoc{path: path, doc: doc, format: f, pages: pages.pages}, nil
}

// saveError is a document that was downloaded but could not be written.
type saveError struct{ err error }

func (e *saveError) Error() string { return e.err.Error() }
func (e *saveError) Unwrap() error { return e.err }

// saveFailure turns an error of save into the call's isError result.
func (e *Env) saveFailure(err error, f docFormat, t *target) *mcp.CallToolResult {
	var se *saveError
	if errors.As(err, &se) {
		return errorResult(fmt.Sprintf("The %s was downloaded but could not be saved in %s: %v. Set CXREPORTS_OUTPUT_DIR to a writable folder.", f.label, e.deps.OutputDir, se.err))
	}
	return errorFromErr(err, t)
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
// size, pages), then a resource link, then the bytes inline when asked for
// and small enough. what names the report or export it came from.
func (e *Env) documentResult(s *savedDoc, what, ws string, embed bool) *mcp.CallToolResult {
	file := filepath.Base(s.path)
	text := fmt.Sprintf("Saved %s of %s in workspace %s (%s", file, what, ws, humanBytes(s.doc.Size))
	switch {
	case s.pages == 1:
		text += ", 1 page"
	case s.pages > 1:
		text += fmt.Sprintf(", %d pages", s.pages)
	}
	text += fmt.Sprintf(").\nPath: %s\n%s", s.path, fileURL(s.path))
	mime := s.format.mime
	link := mcp.NewResourceLink(ExportURI(file), file, s.format.label+" exported from CxReports", mime)
	content := []mcp.Content{link}
	switch {
	case !embed:
	case s.doc.Size > e.deps.EmbedLimit:
		text += fmt.Sprintf("\nNot embedded: %s is over the %s limit for inline documents; use the file.", humanBytes(s.doc.Size), humanBytes(e.deps.EmbedLimit))
	default:
		b, err := os.ReadFile(s.path)
		if err != nil {
			return errorResult(fmt.Sprintf("The %s was saved at %s but could not be read back to embed it: %v.", s.format.label, s.path, err))
		}
		content = append(content, mcp.NewEmbeddedResource(mcp.BlobResourceContents{
			URI:      ExportURI(file),
			MIMEType: mime,
			Blob:     base64.StdEncoding.EncodeToString(b),
		}))
	}
	return textResult(text, nil, content...)
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
