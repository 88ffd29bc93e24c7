package tools

import (
	"context"
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// DefaultListLimit is the page size of list_reports when the call sets none.
const DefaultListLimit = 20

func listReports() Tool {
	return define(Tool{
		Name:        "list_reports",
		Title:       "List reports",
		Description: "List the reports of a workspace, optionally of one report type, 20 at a time. Gives the report ids that export_pdf and create_preview_link take.",
		Toolset:     ToolsetCore,
		Hints:       ReadOnly,
		Output:      schemas.ListReportsOutput{},
	}, func(ctx context.Context, env *Env, in schemas.ListReportsInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(in.Workspace)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		limit := in.Limit
		if limit == 0 {
			limit = DefaultListLimit
		}
		// Ask for one more than wanted to learn whether another page exists.
		list, err := env.api.ListReports(ctx, ws, &cxapi.ListReportsOptions{Type: in.ReportType, Offset: in.Offset, Limit: limit + 1})
		if err != nil {
			return errorFromErr(err, &target{Workspace: ws}), nil
		}
		more := len(list) > limit
		if more {
			list = list[:limit]
		}
		out := schemas.ListReportsOutput{Workspace: ws, Offset: in.Offset, Limit: limit, Reports: make([]schemas.ReportItem, 0, len(list))}
		var b strings.Builder
		scope := "workspace " + ws
		if in.ReportType != "" {
			scope += ", type " + in.ReportType
		}
		switch {
		case len(list) == 0 && in.Offset > 0:
			fmt.Fprintf(&b, "No reports in %s after offset %d.", scope, in.Offset)
		case len(list) == 0:
			fmt.Fprintf(&b, "No reports in %s.", scope)
			if in.ReportType != "" {
				b.WriteString(" Call list_report_types for valid type codes.")
			}
		default:
			fmt.Fprintf(&b, "Reports %d–%d in %s (id, name, type):\n", in.Offset+1, in.Offset+len(list), scope)
		}
		for _, r := range list {
			out.Reports = append(out.Reports, reportItem(r))
			fmt.Fprintf(&b, "- %d %q, %s", r.ID, r.Name, r.ReportTypeName)
			if r.IsDefault {
				b.WriteString(" (default)")
			}
			b.WriteByte('\n')
		}
		if more {
			out.NextOffset = in.Offset + limit
			fmt.Fprintf(&b, "More reports follow: call again with offset %d.", out.NextOffset)
		}
		return textResult(strings.TrimSpace(b.String()), out), nil
	})
}

// reportItem is the structured form of a report.
func reportItem(r cxapi.Report) schemas.ReportItem {
	return schemas.ReportItem{ID: r.ID, Name: r.Name, ReportType: r.ReportTypeName, Template: r.ReportTemplateName, Theme: deref(r.ThemeName), Default: r.IsDefault}
}
