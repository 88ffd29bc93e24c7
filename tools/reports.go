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
		Description: "List a workspace's reports, optionally of one report type, 20 at a time: ids, names and type codes.",
		Toolset:     ToolsetCore,
		Hints:       ReadOnly,
		Output:      schemas.ListReportsOutput{},
	}, func(ctx context.Context, env *Env, in schemas.ListReportsInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(ctx, in.Workspace)
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
		// Reports carry their type's id and name; report_type takes the code.
		types, _ := env.reportTypes(ctx, ws)
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
			fmt.Fprintf(&b, "Reports %d–%d in %s (id, name, type code and name):\n", in.Offset+1, in.Offset+len(list), scope)
		}
		for _, r := range list {
			item := reportItem(r, types)
			out.Reports = append(out.Reports, item)
			fmt.Fprintf(&b, "- %d %q, ", r.ID, r.Name)
			if item.ReportType != "" {
				fmt.Fprintf(&b, "%s %q", item.ReportType, r.ReportTypeName)
			} else {
				fmt.Fprintf(&b, "%q", r.ReportTypeName)
			}
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
// reportItem is the structured form of a report; types (the workspace's
// report types) give its type code, which report_type arguments take.
func reportItem(r cxapi.Report, types []cxapi.ReportType) schemas.ReportItem {
	item := schemas.ReportItem{ID: r.ID, Name: r.Name, ReportTypeName: r.ReportTypeName, Template: r.ReportTemplateName, Theme: deref(r.ThemeName), Default: r.IsDefault}
	if t := typeByID(types, r.ReportTypeID); t != nil {
		item.ReportType = t.Code
	}
	return item
}
