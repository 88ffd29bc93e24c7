package sandbox

import (
	"context"
	"errors"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// ListenAndServe runs a sandbox on addr until ctx is done, then shuts down
// gracefully (waiting up to 5 seconds for requests in flight). A non-nil
// logger overrides opts.Logger. It returns nil after a graceful shutdown.
func ListenAndServe(ctx context.Context, addr string, opts Options, logger *slog.Logger) error {
	if logger != nil {
		opts.Logger = logger
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	return serve(ctx, ln, opts)
}

func serve(ctx context.Context, ln net.Listener, opts Options) error {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	srv := &http.Server{
		Handler:           New(opts),
		ReadHeaderTimeout: 10 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	opts.Logger.Info("CxReports sandbox listening", "url", "http://"+ln.Addr().String(), "api", "/api/v1")
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if serr := <-errc; serr != nil && !errors.Is(serr, http.ErrServerClosed) && err == nil {
		err = serr
	}
	opts.Logger.Info("CxReports sandbox stopped")
	return err
}
