package tools

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

func listWorkspaces() Tool {
	return define(Tool{
		Name:        "list_workspaces",
		Title:       "List workspaces",
		Description: "List the CxReports workspaces the token can use, with ids and codes. Other tools take one as `workspace`.",
		Toolset:     ToolsetCore,
		Hints:       ReadOnly,
		Output:      schemas.ListWorkspacesOutput{},
	}, func(ctx context.Context, env *Env, _ schemas.ListWorkspacesInput) (*mcp.CallToolResult, error) {
		list, err := env.api.ListWorkspaces(ctx)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		env.rememberList(kindWorkspaces, "", list)
		def := env.deps.DefaultWorkspace
		out := workspacesOutput(list, def)
		var b strings.Builder
		fmt.Fprintf(&b, "%d %s (id, code, name):\n", len(list), plural(len(list), "workspace", "workspaces"))
		for _, item := range out.Workspaces {
			fmt.Fprintf(&b, "- %d %s %q", item.ID, item.Code, item.Name)
			if item.Default {
				b.WriteString(" (default)")
			}
			if item.Description != "" {
				fmt.Fprintf(&b, ": %s", item.Description)
			}
			b.WriteByte('\n')
		}
		if def == "" {
			b.WriteString("No default workspace is set: pass workspace to the other tools.\n")
		}
		return textResult(strings.TrimSpace(b.String()), out), nil
	})
}

func listReportTypes() Tool {
	return define(Tool{
		Name:        "list_report_types",
		Title:       "List report types",
		Description: "List a workspace's report types (e.g. invoice) with their default reports. A type's code, passed as report_type, stands for its default report.",
		Toolset:     ToolsetCore,
		Hints:       ReadOnly,
		Output:      schemas.ListReportTypesOutput{},
	}, func(ctx context.Context, env *Env, in schemas.ListReportTypesInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(ctx, in.Workspace)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		list, err := env.api.ListReportTypes(ctx, ws)
		if err != nil {
			return errorFromErr(err, &target{Workspace: ws}), nil
		}
		env.rememberList(kindReportTypes, ws, list)
		out := reportTypesOutput(ws, list)
		var b strings.Builder
		fmt.Fprintf(&b, "%d %s in workspace %s (code, name, default report):\n", len(list), plural(len(list), "report type", "report types"), ws)
		for _, item := range out.ReportTypes {
			fmt.Fprintf(&b, "- %s %q", item.Code, item.Name)
			if item.DefaultReportID != 0 {
				fmt.Fprintf(&b, ", default report %d %q", item.DefaultReportID, item.DefaultReportName)
			} else {
				b.WriteString(", no default report")
			}
			b.WriteByte('\n')
		}
		return textResult(strings.TrimSpace(b.String()), out), nil
	})
}

// workspacesOutput is the structured form of a workspace list; def is the
// default workspace's id or code.
func workspacesOutput(list []cxapi.Workspace, def string) schemas.ListWorkspacesOutput {
	out := schemas.ListWorkspacesOutput{Workspaces: make([]schemas.WorkspaceItem, 0, len(list))}
	for _, w := range list {
		item := schemas.WorkspaceItem{ID: w.ID, Code: w.Code, Name: w.Name, Description: deref(w.Description)}
		item.Default = def != "" && (def == w.Code || def == strconv.FormatInt(w.ID, 10))
		out.Workspaces = append(out.Workspaces, item)
	}
	return out
}

// reportTypesOutput is the structured form of a workspace's report types.
func reportTypesOutput(ws string, list []cxapi.ReportType) schemas.ListReportTypesOutput {
	out := schemas.ListReportTypesOutput{Workspace: ws, ReportTypes: make([]schemas.ReportTypeItem, 0, len(list))}
	for _, t := range list {
		item := schemas.ReportTypeItem{ID: t.ID, Code: t.Code, Name: t.Name, Description: deref(t.Description), DefaultReportName: deref(t.DefaultReportName)}
		if t.DefaultReportID != nil {
			item.DefaultReportID = *t.DefaultReportID
		}
		out.ReportTypes = append(out.ReportTypes, item)
	}
	return out
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
