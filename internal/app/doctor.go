package app

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/cxreports-mcp/cxreports-mcp/internal/doctor"
)

const doctorUsage = `Usage: cxreports-mcp doctor [flags]

Checks the settings the server would use: CXREPORTS_URL is set and
answers, the token is accepted, CXREPORTS_WORKSPACE exists, exports can
be saved in CXREPORTS_OUTPUT_DIR. Each failed check says what to fix.
Exit code 0 when every check passes, 1 otherwise. The token is never shown.

Run it with the same environment or flags as your MCP client, e.g.
  CXREPORTS_URL=https://your-tenant.cx-reports.app CXREPORTS_TOKEN=... cxreports-mcp doctor
  cxreports-mcp doctor --demo     (checks against the built-in sandbox)
`

// runDoctor checks the configuration and prints the checks on stdout.
func runDoctor(ctx context.Context, args []string, sys IO) int {
	if wantsHelp(args) {
		return printHelp(sys, doctorUsage)
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	cfg, positional, log, code := load(quiet(args, sys), sys)
	if code >= 0 {
		return code
	}
	if len(positional) > 0 {
		fmt.Fprintf(sys.Stderr, "cxreports-mcp doctor: unexpected argument %q\n\n%s", positional[0], doctorUsage)
		return 2
	}
	fmt.Fprintln(sys.Stdout, VersionString())
	if cfg.Demo {
		stopDemo, err := startDemo(cfg, log)
		if err != nil {
			fmt.Fprintln(sys.Stderr, "cxreports-mcp:", err)
			return 1
		}
		defer stopDemo()
		fmt.Fprintln(sys.Stdout, "Checking the built-in demo sandbox at", cfg.URL)
	}
	checks := doctor.Run(ctx, cfg, doctor.Options{UserAgent: "cxreports-mcp/" + Version()})
	if doctor.Write(sys.Stdout, checks) > 0 {
		return 1
	}
	return 0
}
