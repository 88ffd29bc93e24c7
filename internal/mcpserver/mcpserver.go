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
		server.WithRecovery(),
		server.WithInstructions(Instructions(opts.Deps.DefaultWorkspace)),
	)
	if err := tools.Register(s, opts.Tools, opts.Deps); err != nil {
		return nil, fmt.Errorf("register tools: %w", err)
	}
	prompts.Register(s, served, opts.Deps)
	return s, nil
}

// Instructions explains the workflow to the model in a few lines.
func Instructions(defaultWorkspace string) string {
	var b strings.Builder
	b.WriteString("Tools for CxReports, a reporting platform. Find a report with list_report_types (each type has a default report) or list_reports. ")
	b.WriteString("export_pdf saves a PDF on this machine; create_preview_link gives a browser link that opens once. ")
	b.WriteString("Fill reports with params and data; for large data call push_temporary_data first and pass its temp_data_id. ")
	if defaultWorkspace != "" {
		fmt.Fprintf(&b, "Default workspace: %s; pass workspace for another.", defaultWorkspace)
	} else {
		b.WriteString("No default workspace is set: call list_workspaces and pass workspace to each tool.")
	}
	return b.String()
}
