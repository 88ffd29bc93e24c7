package app

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
)

const callUsage = `Usage: cxreports-mcp call TOOL ['{json arguments}'] [--json] [flags]

Runs one tool through the same MCP code path a client uses and prints its
result (--json: the raw MCP result). Progress of long work (background
exports, large downloads) goes to stderr. The exit code is 1 when the tool
reports an error.

Examples:
  cxreports-mcp call list_reports --demo '{"limit":5}'
  cxreports-mcp call export_pdf --demo '{"report_type":"invoice","params":{"month":"2026-03"}}'
  cxreports-mcp call create_preview_link --demo '{"report_id":1628}'

With --demo and a preview link in the result, the demo sandbox keeps
serving so that the link opens, until Ctrl-C.
Run 'cxreports-mcp tools' with the same settings for the tools offered.
`

const toolsUsage = `Usage: cxreports-mcp tools [--json] [flags]

Lists the tools a client would see with these settings (--toolsets, --tools,
--read-only, --enable-delivery), with their arguments (* = required);
--json prints the MCP tool definitions.
`

const sandboxUsage = `Usage: cxreports-mcp sandbox [--addr A] [--token T] [--async-delay D] [--log-level L]

Runs the CxReports stand-in on its own: the REST API under /api/v1 with
sample workspaces, reports, jobs and real documents, and preview pages.
Point CXREPORTS_URL at it and use the token given with --token.
`

// commandUsage is the help of a subcommand, for 'help CMD'.
func commandUsage(name string) (string, bool) {
	switch name {
	case "call":
		return callUsage, true
	case "tools":
		return toolsUsage, true
	case "doctor":
		return doctorUsage, true
	case "sandbox":
		return sandboxUsage, true
	}
	return "", false
}

// wantsHelp reports whether args ask for help before any "--".
func wantsHelp(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "-h", "-help", "--help":
			return true
		}
	}
	return false
}

// printHelp prints text and the server's flags on stdout; the exit code is 0.
func printHelp(sys IO, text string) int {
	fmt.Fprint(sys.Stdout, text)
	fmt.Fprint(sys.Stdout, "\nFlags (most read an environment variable too, shown as $NAME):\n", flagDefaults())
	return 0
}

// runHelp answers 'help' and 'help CMD'.
func runHelp(args []string, sys IO) int {
	if len(args) == 0 {
		return printHelp(sys, usage)
	}
	text, ok := commandUsage(args[0])
	if !ok {
		fmt.Fprintf(sys.Stderr, "cxreports-mcp: no help for %q\n\n%s", args[0], usage)
		return 2
	}
	if args[0] == "sandbox" {
		fmt.Fprint(sys.Stdout, text, "\nFlags:\n", sandboxFlagDefaults())
		return 0
	}
	return printHelp(sys, text)
}

// flagDefaults is the flag package's description of the server's flags,
// with their built-in defaults (not the environment's values).
func flagDefaults() string {
	var buf bytes.Buffer
	config.Load([]string{"-h"}, func(string) string { return "" }, &buf)
	s := buf.String()
	if _, rest, ok := strings.Cut(s, "\n"); ok && strings.HasPrefix(s, "Usage of ") {
		return rest
	}
	return s
}
