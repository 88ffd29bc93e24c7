package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/internal/httpserver"
	"github.com/cxreports-mcp/cxreports-mcp/internal/mcpserver"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// runtime is a started server with what it owns.
type runtime struct {
	server  *server.MCPServer
	deps    *tools.Deps
	closers []func()
}

// Close stops what start started.
func (r *runtime) Close() {
	for i := len(r.closers) - 1; i >= 0; i-- {
		r.closers[i]()
	}
}

// start builds the MCP server from cfg, first starting the demo sandbox
// when cfg.Demo is set (which then fills cfg's URL, token and workspace).
func start(ctx context.Context, cfg *config.Config, log *slog.Logger) (*runtime, error) {
	offered, err := tools.Select(tools.All(), tools.Selection{
		Toolsets: cfg.Toolsets, Tools: cfg.Tools, ReadOnly: cfg.ReadOnly, EnableDelivery: cfg.EnableDelivery,
	})
	if err != nil {
		return nil, &usageError{err}
	}
	names := make([]string, len(offered))
	for i, t := range offered {
		names[i] = t.Name
	}
	log.Info("tools offered", "tools", names, "read_only", cfg.ReadOnly, "delivery", cfg.EnableDelivery && !cfg.ReadOnly)
	rt := &runtime{}
	if cfg.Demo {
		stop, err := startDemo(cfg, log)
		if err != nil {
			return nil, err
		}
		rt.closers = append(rt.closers, stop)
	}
	hints, hintsProblem := loadReportHints(cfg, log)
	rt.deps = &tools.Deps{
		Client:           clientSource(cfg),
		DefaultWorkspace: cfg.Workspace,
		Timezone:         cfg.Timezone,
		OutputDir:        cfg.OutputDir,
		EmbedLimit:       tools.DefaultEmbedLimit,
		CallTimeout:      cfg.Timeout,
		Logger:           log,
		ExportWait:       cfg.ExportWait,
		ResourceLimit:    cfg.ResourceMaxBytes,
		Names:            tools.NewNameCache(tools.NameCacheOptions{}),

		ReportHints:        hints,
		ReportHintsProblem: hintsProblem,
	}
	s, err := mcpserver.New(mcpserver.Options{Version: Version(), Tools: offered, Deps: rt.deps, Remote: cfg.Transport != "stdio"})
	if err != nil {
		rt.Close()
		return nil, err
	}
	rt.server = s
	return rt, nil
}

// usageError is a start-up failure caused by the settings (exit code 2).
type usageError struct{ err error }

func (e *usageError) Error() string {
	return "invalid tool selection: " + e.err.Error()
}

func (e *usageError) Unwrap() error { return e.err }

// startFailed reports a failed start on stderr and returns the exit code:
// 2 for bad settings, else 1.
func startFailed(sys IO, err error) int {
	fmt.Fprintln(sys.Stderr, "cxreports-mcp:", err)
	var ue *usageError
	if errors.As(err, &ue) {
		return 2
	}
	return 1
}

// clientSource gives tool calls the CxReports client, or an error naming
// the setting to fix. Configuration problems never stop the server: they
// surface on the first tool call.
func clientSource(cfg *config.Config) tools.ClientSource {
	fail := func(err error) tools.ClientSource {
		return func(context.Context) (tools.API, error) { return nil, err }
	}
	for _, name := range []string{config.EnvURL, config.EnvTokenFile, config.EnvToken} {
		if p, ok := cfg.Problems[name]; ok {
			return fail(fmt.Errorf("%s: %w", p, tools.ErrNotConfigured))
		}
	}
	if cfg.URL == "" {
		return fail(fmt.Errorf("%s is not set: set it to the address of your CxReports server, e.g. https://tenant.cx-reports.app (or start with --demo to use the built-in sandbox): %w", config.EnvURL, tools.ErrNotConfigured))
	}
	noToken := fmt.Errorf("%s is not set: set it to a CxReports personal access token (user menu → Personal Access Tokens), or set %s to a file holding it: %w", config.EnvToken, config.EnvTokenFile, tools.ErrNotConfigured)
	if cfg.Transport != "stdio" {
		noToken = fmt.Errorf("this server has no CxReports token of its own (%s): send your personal access token in the %s header: %w", config.EnvToken, httpserver.UserTokenHeader, tools.ErrNotConfigured)
	}
	if cfg.Token == "" && cfg.Transport == "stdio" {
		return fail(noToken)
	}
	c, err := cxapi.New(cxapi.Config{BaseURL: cfg.URL, Token: cfg.Token.Reveal(), Timeout: cfg.Timeout, UserAgent: "cxreports-mcp/" + Version()})
	if err != nil {
		return fail(fmt.Errorf("%s is not usable: %v: %w", config.EnvURL, err, tools.ErrNotConfigured))
	}
	// Over HTTP a caller may bring its own token; it serves that request
	// only and is never kept.
	return func(ctx context.Context) (tools.API, error) {
		if tok := httpserver.UserToken(ctx); tok != "" {
			return userClient{c.WithToken(tok)}, nil
		}
		if cfg.Token == "" {
			return nil, noToken
		}
		return c, nil
	}
}

// startDemo serves the sandbox on the fixed demo address (or, when that is
// taken, on a free loopback port) and points cfg at it. cfg.Token already
// holds the demo token (see load), so the log redacts it too.
func startDemo(cfg *config.Config, log *slog.Logger) (func(), error) {
	token := cfg.Token.Reveal()
	ln, err := net.Listen("tcp", cfg.DemoAddr)
	if err != nil {
		log.Warn("demo address taken; using a free port", "addr", cfg.DemoAddr, "err", err)
		if ln, err = net.Listen("tcp", "127.0.0.1:0"); err != nil {
			return nil, fmt.Errorf("start demo sandbox: %w", err)
		}
	}
	// Signed nonces with the fixed demo token: a preview link made before a
	// restart of the demo still opens after it (on the same address).
	sb := sandbox.New(sandbox.Options{Token: token, SignedNonces: true, Logger: log.With("component", "sandbox")})
	hs := &http.Server{Handler: sb, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("demo sandbox stopped", "err", err)
		}
	}()
	cfg.URL = "http://" + ln.Addr().String()
	delete(cfg.Problems, config.EnvURL)
	delete(cfg.Problems, config.EnvToken)
	delete(cfg.Problems, config.EnvTokenFile)
	if cfg.Workspace == "" {
		cfg.Workspace = sandbox.DemoWorkspaceCode
	}
	log.Info("demo sandbox running", "url", cfg.URL, "workspace", cfg.Workspace)
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(ctx)
	}, nil
}

// demoToken is the token of the --demo sandbox. It is fixed, so that the
// preview links of one run (signed with a key derived from it) still open
// after a restart; the sandbox holds only sample data and listens on
// loopback.
const demoToken = sandbox.DefaultToken

// userClient is the CxReports client of a call that brought its own token.
type userClient struct{ *cxapi.Client }

// TokenSetting implements tools.TokenSource.
func (userClient) TokenSetting() string {
	return "the " + httpserver.UserTokenHeader + " header"
}
