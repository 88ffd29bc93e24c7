// Command cxreports-mcp is a Model Context Protocol server for CxReports:
// it lets AI assistants list reports, export PDFs, push data and make
// preview links. Run it with no arguments to serve MCP over stdio, as MCP
// clients launch it; see README.md for configuration.
package main

import (
	"context"
	"os"
	_ "time/tzdata" // IANA time zones on every platform, for validating timezone arguments

	"github.com/cxreports-mcp/cxreports-mcp/internal/app"
)

func main() {
	os.Exit(app.Run(context.Background(), os.Args[1:], app.IO{
		Stdin:  os.Stdin,
		Stdout: os.Stdout,
		Stderr: os.Stderr,
		Getenv: os.Getenv,
	}))
}
