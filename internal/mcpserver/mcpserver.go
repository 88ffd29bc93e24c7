// Package mcpserver assembles the MCP server: identity, instructions,
// capabilities, the selected tools and the prompts that go with them.
// Every transport serves the same *server.MCPServer built here.
package mcpserver

import (
	"fmt"
	"strings"

	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/prompts"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// Name is the server's name in the initialize result.
const Name = "cxreports-mcp"

// Options configures New.
type Options struct {
	// Version is reported in the initialize result.
	Version string
	// Tools are the tools to serve.
	Tools []tools.Tool
	// Deps are what the tools use.
	Deps *tools.Deps
	// Remote is set for the network transports: clients are elsewhere and
	// reach exported documents only as resources.
	Remote bool
}

// New builds the MCP server.
func New(opts Options) (*server.MCPServer, error) {
	served := make([]string, len(opts.Tools))
	for i, t := range opts.Tools {
		served[i] = t.Name
	}
	s := server.NewMCPServer(Name, opts.Version,
		server.WithTitle("CxReports"),
		server.WithToolCapabilities(false),
		server.WithPromptCapabilities(false),
		server.WithCompletions(),
		server.WithPromptCompletionProvider(prompts.Completions(opts.Deps, served)),
		// Resources: no subscriptions, and no list_changed notifications
		// (the list of exports grows as documents are exported).
		server.WithResourceCapabilities(false, false),
		server.WithRecovery(),
		server.WithResourceRecovery(),
		server.WithInstructions(Instructions(opts.Deps.DefaultWorkspace, opts.Tools, opts.Remote)),
	)
	if err := tools.Register(s, opts.Tools, opts.Deps); err != nil {
		return nil, fmt.Errorf("register tools: %w", err)
	}
	prompts.Register(s, served, opts.Deps)
	tools.RegisterResources(s, opts.Deps)
	return s, nil
}

// Instructions explains the workflow to the model in a few lines,
// mentioning only the tools offered.
func Instructions(defaultWorkspace string, offered []tools.Tool, remote bool) string {
	has := map[string]bool{}
	for _, t := range offered {
		has[t.Name] = true
	}
	// present keeps the names the server offers, in order.
	present := func(names ...string) []string {
		var out []string
		for _, n := range names {
			if has[n] {
				out = append(out, n)
			}
		}
		return out
	}
	var b strings.Builder
	b.WriteString("Tools for CxReports, a reporting platform.")
	if find := present("list_report_types", "list_reports"); len(find) > 0 {
		if find[0] == "list_report_types" {
			find[0] += " (each type has a default report)"
		}
		fmt.Fprintf(&b, " Find a report with %s.", strings.Join(find, " or "))
	}
	if has["describe_report"] {
		b.WriteString(" Before filling a report, describe_report tells the params and data it takes, where documented.")
	}
	switch {
	case has["export_pdf"] && remote:
		b.WriteString(" export_pdf saves a document (PDF, Word, Excel, …) on the server, where the user cannot open it: read it through its resource link (resources/read).")
	case has["export_pdf"]:
		b.WriteString(" export_pdf saves a document (PDF, Word, Excel, …) on this machine.")
	}
	if has["create_preview_link"] {
		b.WriteString(" create_preview_link gives a browser link that opens once.")
	}
	if has["export_pdf"] || has["create_preview_link"] {
		b.WriteString(" Fill reports with params and data")
		if has["push_temporary_data"] {
			b.WriteString("; for large data call push_temporary_data first and pass its temp_data_id")
		}
		b.WriteString(".")
	}
	if jobs := present("list_jobs", "start_job_run", "get_job_run", "create_review_document", "deliver_job_run"); len(jobs) > 0 {
		fmt.Fprintf(&b, " Jobs are pre-configured report runs that CxReports e-mails to recipients: %s.", strings.Join(jobs, ", "))
		if has["deliver_job_run"] {
			b.WriteString(" deliver_job_run sends e-mail and cannot be undone: call it only when the user asks.")
		}
	}
	if defaultWorkspace != "" {
		fmt.Fprintf(&b, " Default workspace: %s; pass workspace for another.", defaultWorkspace)
	} else if has["list_workspaces"] {
		b.WriteString(" No default workspace is set: call list_workspaces and pass workspace to each tool.")
	} else {
		b.WriteString(" No default workspace is set: pass workspace to each tool.")
	}
	return b.String()
}
