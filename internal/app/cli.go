package app

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"slices"
	"strings"
	"syscall"
	"time"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/internal/logging"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// quiet makes warn the default log level of the terminal commands, which
// print their own output; --log-level or CXREPORTS_LOG_LEVEL still win.
func quiet(args []string, sys IO) []string {
	if sys.Getenv(config.EnvLogLevel) != "" {
		return args
	}
	return append([]string{"--log-level=warn"}, args...)
}

// takeFlag removes a boolean flag from args and reports whether it was there.
func takeFlag(args []string, names ...string) ([]string, bool) {
	found := false
	out := args[:0:0]
	for _, a := range args {
		if slices.Contains(names, a) {
			found = true
			continue
		}
		out = append(out, a)
	}
	return out, found
}

// session starts the server in-process and connects a client to it, by
// the same code path an MCP client takes.
func session(ctx context.Context, args []string, sys IO) (*client.Client, *config.Config, []string, func(), int) {
	cfg, positional, log, code := load(quiet(args, sys), sys)
	if code >= 0 {
		return nil, nil, nil, nil, code
	}
	rt, err := start(ctx, cfg, log)
	if err != nil {
		return nil, nil, nil, nil, startFailed(sys, err)
	}
	c, err := client.NewInProcessClientWithOptions(rt.server, client.WithProtocolVersion(mcp.ProtocolVersion20251125))
	if err == nil {
		err = c.Start(ctx)
	}
	if err == nil {
		req := mcp.InitializeRequest{}
		req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
		req.Params.ClientInfo = mcp.Implementation{Name: "cxreports-mcp-cli", Version: Version()}
		_, err = c.Initialize(ctx, req)
	}
	if err != nil {
		rt.Close()
		fmt.Fprintln(sys.Stderr, "cxreports-mcp: connect to the server:", err)
		return nil, nil, nil, nil, 1
	}
	return c, cfg, positional, func() { c.Close(); rt.Close() }, -1
}

func runCall(ctx context.Context, args []string, sys IO) int {
	if wantsHelp(args) {
		return printHelp(sys, callUsage)
	}
	args, asJSON := takeFlag(args, "--json", "-json")
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, cfg, positional, closeAll, code := session(ctx, args, sys)
	if code >= 0 {
		return code
	}
	defer closeAll()
	if len(positional) == 0 || len(positional) > 2 {
		fmt.Fprintln(sys.Stderr, "usage: cxreports-mcp call TOOL ['{json arguments}'] [--json] [--demo]\nrun 'cxreports-mcp tools' for the tool names, 'cxreports-mcp call --help' for more")
		return 2
	}
	req := mcp.CallToolRequest{}
	req.Params.Name = positional[0]
	if len(positional) == 2 {
		if !json.Valid([]byte(positional[1])) {
			fmt.Fprintf(sys.Stderr, "cxreports-mcp: the arguments are not valid JSON: %s\nexample: cxreports-mcp call list_reports '{\"limit\":5}'\n", positional[1])
			return 2
		}
		req.Params.Arguments = json.RawMessage(positional[1])
	}
	// Ask for progress and show it on stderr while the call runs.
	req.Params.Meta = &mcp.Meta{ProgressToken: callProgressToken}
	prog := newProgressPrinter(sys.Stderr, callProgressToken)
	c.OnNotification(prog.handle)
	// The command line runs on this machine: a call may name a folder.
	res, err := c.CallTool(tools.WithLocalClient(ctx), req)
	prog.stop()
	if err != nil {
		fmt.Fprintln(sys.Stderr, "cxreports-mcp:", err)
		if errors.Is(err, mcp.ErrInvalidParams) {
			fmt.Fprintln(sys.Stderr, "run 'cxreports-mcp tools' with the same settings for the tools offered; --toolsets, --tools, --read-only and --enable-delivery decide which")
		}
		return 1
	}
	if asJSON {
		enc := json.NewEncoder(sys.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res)
	} else {
		printResult(sys.Stdout, res)
	}
	if res.IsError {
		return 1
	}
	if cfg.Demo && hasPreviewLink(res, cfg.URL) {
		// The link points at the in-process sandbox, which stops with
		// this command: keep it serving until the person is done.
		fmt.Fprintln(sys.Stderr, "The demo sandbox keeps serving so that the link opens; press Ctrl-C to stop.")
		<-ctx.Done()
	}
	return 0
}

// printResult shows a tool result for people: text as is, other content
// as one line each.
func printResult(w io.Writer, res *mcp.CallToolResult) {
	if res.IsError {
		fmt.Fprint(w, "Error: ")
	}
	for _, c := range res.Content {
		switch c := c.(type) {
		case mcp.TextContent:
			fmt.Fprintln(w, c.Text)
		case mcp.ResourceLink:
			fmt.Fprintf(w, "Resource: %s (%s)\n", c.URI, c.MIMEType)
		case mcp.EmbeddedResource:
			if b, ok := c.Resource.(mcp.BlobResourceContents); ok {
				fmt.Fprintf(w, "Embedded: %s (%s, %d base64 characters)\n", b.URI, b.MIMEType, len(b.Blob))
			} else {
				fmt.Fprintln(w, "Embedded resource")
			}
		default:
			fmt.Fprintf(w, "[%T]\n", c)
		}
	}
}

func runTools(ctx context.Context, args []string, sys IO) int {
	if wantsHelp(args) {
		return printHelp(sys, toolsUsage)
	}
	args, asJSON := takeFlag(args, "--json", "-json")
	c, _, _, closeAll, code := session(ctx, args, sys)
	if code >= 0 {
		return code
	}
	defer closeAll()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		fmt.Fprintln(sys.Stderr, "cxreports-mcp:", err)
		return 1
	}
	if asJSON {
		enc := json.NewEncoder(sys.Stdout)
		enc.SetIndent("", "  ")
		enc.Encode(res.Tools)
		return 0
	}
	for _, t := range res.Tools {
		names := make([]string, 0, len(t.InputSchema.Properties))
		for n := range t.InputSchema.Properties {
			if slices.Contains(t.InputSchema.Required, n) {
				n += "*"
			}
			names = append(names, n)
		}
		slices.Sort(names)
		fmt.Fprintf(sys.Stdout, "%s(%s)\n    %s\n", t.Name, strings.Join(names, ", "), t.Description)
	}
	return 0
}

// sandboxFlags are the settings of the sandbox subcommand.
type sandboxFlags struct {
	addr, token, level *string
	asyncDelay         *time.Duration
}

func newSandboxFlags(w io.Writer) (*flag.FlagSet, sandboxFlags) {
	fs := flag.NewFlagSet("sandbox", flag.ContinueOnError)
	fs.SetOutput(w)
	return fs, sandboxFlags{
		addr:       fs.String("addr", "127.0.0.1:8089", "address to listen on (port 0: a free port)"),
		token:      fs.String("token", sandbox.DefaultToken, "the main user's API token"),
		level:      fs.String("log-level", "info", "debug, info, warn or error"),
		asyncDelay: fs.Duration("async-delay", sandbox.DefaultAsyncExportDelay, "how long background exports, review documents and job runs stay in progress"),
	}
}

// sandboxFlagDefaults describes the sandbox subcommand's flags.
func sandboxFlagDefaults() string {
	var buf strings.Builder
	fs, _ := newSandboxFlags(&buf)
	fs.PrintDefaults()
	return buf.String()
}

func runSandbox(ctx context.Context, args []string, sys IO) int {
	if wantsHelp(args) {
		fmt.Fprint(sys.Stdout, sandboxUsage, "\nFlags:\n", sandboxFlagDefaults())
		return 0
	}
	fs, f := newSandboxFlags(sys.Stderr)
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg := &config.Config{}
	if err := cfg.LogLevel.UnmarshalText([]byte(*f.level)); err != nil {
		fmt.Fprintln(sys.Stderr, "cxreports-mcp sandbox: bad --log-level:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	log := logging.New(sys.Stderr, cfg.LogLevel)
	// ListenAndServe logs the address it listens on, the real port included.
	if err := sandbox.ListenAndServe(ctx, *f.addr, sandbox.Options{Token: *f.token, AsyncExportDelay: noDelayIfZero(*f.asyncDelay)}, log); err != nil {
		log.Error("sandbox stopped", "err", err)
		return 1
	}
	return 0
}

// noDelayIfZero maps --async-delay 0 to the sandbox's "no delay" (a
// negative AsyncExportDelay; zero there means the default).
func noDelayIfZero(d time.Duration) time.Duration {
	if d == 0 {
		return -1
	}
	return d
}
