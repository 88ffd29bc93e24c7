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
		Title: "Export report as PDF",
		Description: "Render a report as a PDF and save it in the output folder. Choose the report by report_id or report_type; " +
			"fill it with params, inline data, or temp_data_id from push_temporary_data. Returns the file's path and a resource link.",
		Toolset: ToolsetCore,
		Hints:   ReadOnlyOutput,
	}, func(ctx context.Context, env *Env, in schemas.ExportPDFInput) (*mcp.CallToolResult, error) {
		call, err := env.reportCall(in.ReportArgs)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		var doc *cxapi.Document
		pages := &pageCounter{}
		path, err := outfile.Save(env.deps.OutputDir, ".pdf", func(w io.Writer) (string, error) {
			var err error
			doc, err = env.api.DownloadPDF(ctx, call.ws, call.ref, call.query, io.MultiWriter(w, pages))
			if err != nil {
				return "", err
			}
			return fileName(doc, call), nil
		})
		if err != nil {
			if doc == nil || isAPIError(err) {
				t := *call.target
				t.Saving = true
				return errorFromErr(err, &t), nil
			}
			return errorResult(fmt.Sprintf("The PDF was downloaded but could not be saved in %s: %v. Set CXREPORTS_OUTPUT_DIR to a writable folder.", env.deps.OutputDir, err)), nil
		}
		return env.documentResult(path, doc, pages.pages, call, in.Embed)
	})
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
// and small enough.
func (e *Env) documentResult(path string, doc *cxapi.Document, pages int, call *reportCall, embed bool) (*mcp.CallToolResult, error) {
	file := filepath.Base(path)
	text := fmt.Sprintf("Saved %s of %s in workspace %s (%s", file, call.target.Report, call.ws, humanBytes(doc.Size))
	if pages > 0 {
		text += fmt.Sprintf(", %d pages", pages)
	}
	text += fmt.Sprintf(").\nPath: %s\n%s", path, fileURL(path))
	mime := "application/pdf"
	link := mcp.NewResourceLink(ExportURI(file), file, "PDF exported from CxReports", mime)
	content := []mcp.Content{link}
	switch {
	case !embed:
	case doc.Size > e.deps.EmbedLimit:
		text += fmt.Sprintf("\nNot embedded: %s is over the %s limit for inline documents; use the file.", humanBytes(doc.Size), humanBytes(e.deps.EmbedLimit))
	default:
		b, err := os.ReadFile(path)
		if err != nil {
			return errorResult(fmt.Sprintf("The PDF was saved at %s but could not be read back to embed it: %v.", path, err)), nil
		}
		content = append(content, mcp.NewEmbeddedResource(mcp.BlobResourceContents{
			URI:      ExportURI(file),
			MIMEType: mime,
			Blob:     base64.StdEncoding.EncodeToString(b),
		}))
	}
	return textResult(text, nil, content...), nil
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
