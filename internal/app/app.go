// Package app is the command line of cxreports-mcp: it reads the
// configuration, picks the subcommand or transport, starts the demo
// sandbox when asked, and shuts down gracefully.
package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"os/signal"
	"syscall"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/internal/logging"
	"github.com/cxreports-mcp/cxreports-mcp/internal/stdio"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// IO is the process's standard streams and environment.
type IO struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
}

const usage = `cxreports-mcp: an MCP server for CxReports.

Usage:
  cxreports-mcp [flags]                    serve MCP over stdio (what MCP clients launch)
  cxreports-mcp --transport http [--addr A]  serve Streamable HTTP at /mcp (sse: legacy /sse)
  cxreports-mcp call TOOL ['{json args}']  run one tool and print its result (--json for raw JSON)
  cxreports-mcp tools                      list the tools
  cxreports-mcp doctor                     check the settings: URL, token, workspace, output folder
  cxreports-mcp sandbox [--addr A] [--token T]  run the CxReports stand-in on its own
  cxreports-mcp version                    print the version and commit
  cxreports-mcp help [COMMAND]             this help, or a command's

Add --demo to serve, call or check against the built-in CxReports sandbox.
Settings come from flags or environment variables (CXREPORTS_URL, CXREPORTS_TOKEN, ...).
`

// Run runs the command line and returns the process's exit code.
func Run(ctx context.Context, args []string, sys IO) int {
	if len(args) > 0 {
		switch args[0] {
		case "call":
			return runCall(ctx, args[1:], sys)
		case "tools":
			return runTools(ctx, args[1:], sys)
		case "sandbox":
			return runSandbox(ctx, args[1:], sys)
		case "doctor":
			return runDoctor(ctx, args[1:], sys)
		case "version":
			fmt.Fprintln(sys.Stdout, VersionString())
			return 0
		case "help":
			return runHelp(args[1:], sys)
		}
	}
	return runServer(ctx, args, sys)
}

// load reads the configuration and sets up logging; it reports fatal
// problems itself.
func load(args []string, sys IO) (*config.Config, []string, *slog.Logger, int) {
	cfg, positional, err := config.Load(args, sys.Getenv, sys.Stderr)
	if errors.Is(err, flag.ErrHelp) {
		return nil, nil, nil, 0
	}
	if err != nil {
		fmt.Fprintln(sys.Stderr, "cxreports-mcp:", err)
		return nil, nil, nil, 2
	}
	if cfg.Demo {
		cfg.Token = config.Secret(demoToken)
	}
	log := logging.New(sys.Stderr, cfg.LogLevel, cfg.Token.Reveal(), cfg.HTTP.AuthToken.Reveal())
	for name, problem := range cfg.Problems {
		log.Warn("configuration problem", "setting", name, "problem", problem)
	}
	return cfg, positional, log, -1
}

func runServer(ctx context.Context, args []string, sys IO) int {
	if wantsHelp(args) {
		return printHelp(sys, usage)
	}
	cfg, positional, log, code := load(args, sys)
	if code >= 0 {
		return code
	}
	if cfg.Version {
		fmt.Fprintln(sys.Stdout, VersionString())
		return 0
	}
	if len(positional) > 0 {
		switch cmd := positional[0]; cmd {
		case "call", "tools", "doctor", "sandbox", "version", "help":
			fmt.Fprintf(sys.Stderr, "cxreports-mcp: put the command before its flags, e.g. cxreports-mcp %s --demo\n", cmd)
		default:
			fmt.Fprintf(sys.Stderr, "cxreports-mcp: unknown command %q\n\n%s", cmd, usage)
		}
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	rt, err := start(ctx, cfg, log)
	if err != nil {
		return startFailed(sys, err)
	}
	defer rt.Close()

	switch cfg.Transport {
	case "stdio":
		log.Info("serving MCP over stdio", "version", Version(), "url", redactURL(cfg.URL), "workspace", cfg.Workspace, "output_dir", cfg.OutputDir)
		// A stdio client runs on this machine: exports may go to its roots.
		if err := stdio.Serve(tools.WithLocalClient(ctx), rt.server, sys.Stdin, sys.Stdout, stdio.Options{Logger: log}); err != nil {
			log.Error("stdio transport failed", "err", err)
			return 1
		}
		return 0
	default:
		return serveNetwork(ctx, cfg, rt, log)
	}
}

// redactURL shows a URL in logs without credentials, query or fragment,
// where secrets may hide.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparsable URL)"
	}
	u.User = nil
	u.RawQuery, u.Fragment, u.RawFragment = "", "", ""
	return u.String()
}
