package tools

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// listReportOptions lists what export_pdf's theme, template and
// exclude_pages take. One tool rather than three (pages, themes,
// templates): a model choosing how to export wants them together, at the
// cost of one call and one tools/list entry instead of three.
func listReportOptions() Tool {
	return define(Tool{
		Name:  "list_report_options",
		Title: "List export options",
		Description: "List a workspace's themes and templates and, given report_id or report_type, the report's pages: " +
			"the values export_pdf takes as theme, template and exclude_pages.",
		Toolset: ToolsetExports,
		Hints:   ReadOnly,
		Output:  schemas.ListReportOptionsOutput{},
	}, func(ctx context.Context, env *Env, in schemas.ListReportOptionsInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(ctx, in.Workspace)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		out := schemas.ListReportOptionsOutput{Workspace: ws, Themes: []schemas.OptionItem{}, Templates: []schemas.OptionItem{}}
		var b strings.Builder
		fmt.Fprintf(&b, "Export options in workspace %s.\n", ws)
		if in.ReportSelector != (schemas.ReportSelector{}) {
			call, err := env.reportCall(ctx, schemas.ReportArgs{WorkspaceArg: in.WorkspaceArg, ReportSelector: in.ReportSelector})
			if err != nil {
				return errorFromErr(err, call.about()), nil
			}
			pages, err := env.api.ListReportPages(ctx, ws, call.ref)
			if err != nil {
				return errorFromErr(err, call.target), nil
			}
			if len(pages) == 0 {
				fmt.Fprintf(&b, "%s lists no pages.\n", capital(call.target.Report))
			} else {
				fmt.Fprintf(&b, "Pages of %s (number: id, name, type); pass numbers as exclude_pages:\n", call.target.Report)
			}
			for i, p := range pages {
				item := schemas.PageItem{Number: i + 1, ID: p.ID, Name: deref(p.Name), Type: p.Type}
				out.Pages = append(out.Pages, item)
				fmt.Fprintf(&b, "- %d: %d %q, %s\n", item.Number, item.ID, item.Name, item.Type)
			}
		}
		themes, err := env.api.ListThemes(ctx, ws)
		if err != nil && !endpointMissing(err) {
			return errorFromErr(err, &target{Workspace: ws}), nil
		}
		for _, t := range themes {
			out.Themes = append(out.Themes, schemas.OptionItem{ID: t.ID, Code: t.Code, Name: t.Name})
		}
		writeOptions(&b, "Themes", "theme", out.Themes, err)
		templates, err := env.api.ListTemplates(ctx, ws)
		if err != nil && !endpointMissing(err) {
			return errorFromErr(err, &target{Workspace: ws}), nil
		}
		for _, t := range templates {
			out.Templates = append(out.Templates, schemas.OptionItem{ID: t.ID, Code: t.Code, Name: t.Name})
		}
		writeOptions(&b, "Templates", "template", out.Templates, err)
		return textResult(strings.TrimSpace(b.String()), out), nil
	})
}

// writeOptions lists themes or templates; err is set when the server does
// not offer the list.
func writeOptions(b *strings.Builder, title, arg string, items []schemas.OptionItem, err error) {
	switch {
	case err != nil:
		fmt.Fprintf(b, "%s: this CxReports server does not list them; %s takes an id or code you know.\n", title, arg)
	case len(items) == 0:
		fmt.Fprintf(b, "%s: none.\n", title)
	default:
		fmt.Fprintf(b, "%s (id, code, name); pass an id or code as %s:\n", title, arg)
		for _, it := range items {
			fmt.Fprintf(b, "- %d %s %q\n", it.ID, it.Code, it.Name)
		}
	}
}

// endpointMissing reports whether err says the server has no such
// endpoint at all (a CxReports version before it): 405, or 404 without a
// title naming what was not found.
func endpointMissing(err error) bool {
	var ae *cxapi.APIError
	if !errors.As(err, &ae) {
		return false
	}
	switch ae.StatusCode {
	case http.StatusMethodNotAllowed:
		return true
	case http.StatusNotFound:
		return ae.Title == "" || strings.EqualFold(ae.Title, http.StatusText(http.StatusNotFound))
	}
	return false
}
