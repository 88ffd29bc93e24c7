package app

import (
	"context"
	"log/slog"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/internal/httpserver"
)

// httpOptions turns the configuration into the network transport's options.
func httpOptions(cfg *config.Config, log *slog.Logger) httpserver.Options {
	return httpserver.Options{
		Transport:        cfg.Transport,
		Stateless:        cfg.HTTP.Stateless,
		AuthToken:        cfg.HTTP.AuthToken.Reveal(),
		RequireUserToken: cfg.HTTP.RequireUserToken,
		AllowedOrigins:   cfg.HTTP.AllowedOrigins,
		AllowedHosts:     cfg.HTTP.AllowedHosts,
		PublicURL:        cfg.HTTP.PublicURL,
		MaxBodyBytes:     cfg.HTTP.MaxBodyBytes,
		ShutdownTimeout:  cfg.HTTP.ShutdownTimeout,
		Logger:           log.With("component", "http"),
	}
}

// serveNetwork serves rt over Streamable HTTP or legacy SSE until ctx ends
// (SIGINT or SIGTERM), then shuts down gracefully; it returns the exit code.
func serveNetwork(ctx context.Context, cfg *config.Config, rt *runtime, log *slog.Logger) int {
	opts := httpOptions(cfg, log)
	hs, err := httpserver.New(rt.server, opts)
	if err != nil {
		log.Error("cannot serve over HTTP", "err", err)
		return 2
	}
	ln, err := httpserver.Listen(cfg.HTTP.Addr, opts)
	if err != nil {
		hs.Close()
		log.Error("cannot serve over HTTP", "err", err)
		return 2
	}
	log.Info("serving MCP over the network", "transport", cfg.Transport, "url", "http://"+ln.Addr().String()+hs.Endpoint(),
		"version", Version(), "stateless", cfg.HTTP.Stateless, "auth", cfg.HTTP.AuthToken != "",
		"user_tokens", map[bool]string{true: "required", false: "optional"}[cfg.HTTP.RequireUserToken],
		"cxreports", cfg.URL, "workspace", cfg.Workspace, "output_dir", cfg.OutputDir)
	if err := hs.Serve(ctx, ln); err != nil {
		log.Error("HTTP transport failed", "err", err)
		return 1
	}
	return 0
}
