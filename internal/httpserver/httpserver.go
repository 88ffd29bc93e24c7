// Package httpserver serves an MCP server over the network: Streamable
// HTTP at /mcp, or the legacy HTTP+SSE transport (2024-11-05) at /sse and
// /message, plus /healthz.
//
// It wraps mcp-go's transports in the checks mcp-go leaves out or gets
// wrong: an Origin allowlist (with CORS for listed origins), a Host check
// that a reverse proxy can extend, an optional bearer token compared in
// constant time, a body size limit, session ids that must have been issued
// (404 for any other, 400 when missing), spec answers to GET and DELETE,
// the caller's own CxReports token taken from each request, and a graceful
// shutdown that lets requests in flight finish.
package httpserver

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// Transports served by this package.
const (
	// TransportHTTP is Streamable HTTP at /mcp.
	TransportHTTP = "http"
	// TransportSSE is the legacy HTTP+SSE transport: GET /sse, POST /message.
	TransportSSE = "sse"
)

// Defaults of Options.
const (
	DefaultMaxBodyBytes    = 16 << 20
	DefaultKeepAlive       = 25 * time.Second
	DefaultShutdownTimeout = 30 * time.Second
	DefaultSessionIdleTTL  = time.Hour
)

// Options configures a Server. Zero values give the defaults.
type Options struct {
	// Transport is TransportHTTP (default) or TransportSSE.
	Transport string
	// Stateless serves Streamable HTTP without sessions, so that replicas
	// behind a load balancer need no sticky sessions.
	Stateless bool
	// AuthToken, when set, is required as "Authorization: Bearer …" on
	// every MCP request.
	AuthToken string
	// RequireUserToken refuses requests without the caller's own CxReports
	// token (UserTokenHeader).
	RequireUserToken bool
	// AllowedOrigins are browser origins allowed besides the loopback
	// origins of the server's own port, e.g. "https://app.example.com".
	AllowedOrigins []string
	// AllowedHosts are Host header values (host or host:port) allowed
	// besides loopback names, e.g. the public name a reverse proxy forwards.
	AllowedHosts []string
	// PublicURL is the server's URL as clients see it, when a reverse proxy
	// adds a path prefix; it makes the legacy SSE endpoint event absolute.
	PublicURL string
	// MaxBodyBytes caps one POSTed message (default 16 MiB).
	MaxBodyBytes int64
	// KeepAlive is the interval of keep-alive pings on open event streams
	// (default 25s).
	KeepAlive time.Duration
	// SessionIdleTTL ends stateful sessions idle this long (default 1h).
	SessionIdleTTL time.Duration
	// ShutdownTimeout bounds how long requests in flight may run on after
	// shutdown begins (default 30s).
	ShutdownTimeout time.Duration
	// Logger receives transport diagnostics (never tokens). Default: discard.
	Logger *slog.Logger
}

// Server is an http.Handler serving one MCP server over one transport.
type Server struct {
	opts       Options
	log        *slog.Logger
	guard      *guard
	inflight   *tracker
	sessions   *sessionIDs // stateful Streamable HTTP only
	streamable *server.StreamableHTTPServer
	sse        *server.SSEServer
	sseStream  http.Handler // mcp-go's GET /sse handler
	sseMessage http.Handler // mcp-go's POST /message handler
	sseStreams *streamRegistry
	mux        *http.ServeMux
	onDrain    func() // tests: called when shutdown begins
}

// New wraps srv in the transport opts names.
func New(srv *server.MCPServer, opts Options) (*Server, error) {
	if opts.Transport == "" {
		opts.Transport = TransportHTTP
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.KeepAlive <= 0 {
		opts.KeepAlive = DefaultKeepAlive
	}
	if opts.SessionIdleTTL <= 0 {
		opts.SessionIdleTTL = DefaultSessionIdleTTL
	}
	if opts.ShutdownTimeout <= 0 {
		opts.ShutdownTimeout = DefaultShutdownTimeout
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	g, err := newGuard(opts)
	if err != nil {
		return nil, err
	}
	s := &Server{opts: opts, log: opts.Logger, guard: g, inflight: &tracker{}, mux: http.NewServeMux()}
	// mcp-go's own loopback Host check stays on unless a reverse proxy's
	// host names are allowed; ours covers both cases.
	ownHostCheckOnly := len(opts.AllowedHosts) > 0
	switch opts.Transport {
	case TransportHTTP:
		hopts := []server.StreamableHTTPOption{
			server.WithHeartbeatInterval(opts.KeepAlive),
			server.WithStreamableHTTPLogger(opts.Logger),
			server.WithDisableLocalhostProtection(ownHostCheckOnly),
		}
		if opts.Stateless {
			hopts = append(hopts, server.WithStateLess(true))
		} else {
			s.sessions = newSessionIDs()
			hopts = append(hopts, server.WithSessionIdManager(s.sessions), server.WithSessionIdleTTL(opts.SessionIdleTTL))
		}
		s.streamable = server.NewStreamableHTTPServer(srv, hopts...)
		s.mux.HandleFunc("/mcp", s.guarded(s.serveStreamable))
	case TransportSSE:
		if opts.Stateless {
			return nil, errors.New("the legacy SSE transport keeps a session per stream and cannot be stateless; use --transport http with --stateless")
		}
		s.sseStreams = newStreamRegistry()
		sopts := []server.SSEOption{
			server.WithKeepAliveInterval(opts.KeepAlive),
			server.WithSSEDisableLocalhostProtection(ownHostCheckOnly),
			server.WithSessionIDGenerator(s.sseStreams.newSessionID),
		}
		if opts.PublicURL != "" {
			sopts = append(sopts, server.WithBaseURL(opts.PublicURL))
		}
		s.sse = server.NewSSEServer(srv, sopts...)
		s.sseStream, s.sseMessage = s.sse.SSEHandler(), s.sse.MessageHandler()
		s.mux.HandleFunc("/sse", s.guarded(s.serveSSEStream))
		s.mux.HandleFunc("/message", s.guarded(s.serveSSEMessage))
	default:
		return nil, fmt.Errorf("unknown network transport %q: use %s or %s", opts.Transport, TransportHTTP, TransportSSE)
	}
	s.mux.HandleFunc("/healthz", s.serveHealth)
	s.mux.HandleFunc("/", s.serveNotFound)
	return s, nil
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// Endpoint is the path clients connect to: /mcp or /sse.
func (s *Server) Endpoint() string {
	if s.opts.Transport == TransportSSE {
		return "/sse"
	}
	return "/mcp"
}

// guarded runs the shared checks before next.
func (s *Server) guarded(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		checked, ok := s.guard.check(w, r)
		if !ok {
			if r.Method != http.MethodOptions {
				s.log.Info("refused request", "method", r.Method, "path", r.URL.Path, "remote", r.RemoteAddr,
					"host", r.Host, "origin", r.Header.Get("Origin"), "has_authorization", r.Header.Get("Authorization") != "")
			}
			return
		}
		next(w, checked)
	}
}

// serveStreamable adds session checks and request tracking to mcp-go's
// Streamable HTTP handler.
func (s *Server) serveStreamable(w http.ResponseWriter, r *http.Request) {
	modern := mcp.IsModernProtocol(r.Header.Get(mcp.HeaderProtocolVersion)) // 2026-07-28 has no sessions
	switch r.Method {
	case http.MethodPost:
		m, guarded, ok := readMessage(w, r, s.opts.MaxBodyBytes)
		if !ok {
			return
		}
		r = guarded
		if s.sessions != nil && !modern && m.parsed && m.Method != string(mcp.MethodInitialize) && !s.checkSession(w, r.Header.Get(server.HeaderKeySessionID)) {
			return
		}
		if m.isRequest() {
			if !s.inflight.begin() {
				s.refuseDraining(w)
				return
			}
			defer s.inflight.end()
		}
	case http.MethodGet, http.MethodDelete:
		if s.sessions == nil {
			w.Header().Set("Allow", "POST, OPTIONS")
			writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed: this server is stateless; it keeps no sessions and opens no event stream, so only POST is served")
			return
		}
		if !modern && !s.checkSession(w, r.Header.Get(server.HeaderKeySessionID)) {
			return
		}
	default:
		w.Header().Set("Allow", "GET, POST, DELETE, OPTIONS")
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed: use POST for messages, GET for the event stream, DELETE to end the session")
		return
	}
	s.streamable.ServeHTTP(w, r)
}

// checkSession answers 400 for a missing session id and 404 for one this
// server did not issue or that has ended.
func (s *Server) checkSession(w http.ResponseWriter, id string) bool {
	if id == "" {
		writeError(w, http.StatusBadRequest, "Bad Request: the Mcp-Session-Id header is missing; send initialize first and then the session id it returned")
		return false
	}
	if !s.sessions.known(id) {
		writeError(w, http.StatusNotFound, "Not Found: no such session (it ended or never existed); send initialize to start a new one")
		return false
	}
	return true
}

func (s *Server) refuseDraining(w http.ResponseWriter) {
	w.Header().Set("Retry-After", "1")
	w.Header().Set("Connection", "close")
	writeError(w, http.StatusServiceUnavailable, "Service Unavailable: the server is shutting down; retry on another instance or after it restarts")
}

// serveSSEStream serves GET /sse through a writer that tracks the answers
// the stream carries.
func (s *Server) serveSSEStream(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", "GET, OPTIONS")
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed: open the event stream with GET /sse and POST messages to the endpoint it names")
		return
	}
	if s.inflight.isDraining() {
		s.refuseDraining(w)
		return
	}
	st := newSSEStream(w, s.inflight, r.Header.Get("Origin"))
	defer s.sseStreams.remove(st)
	s.sseStream.ServeHTTP(st, r.WithContext(context.WithValue(r.Context(), sseStreamKey{}, st)))
}

// serveSSEMessage serves POST /message?sessionId=…, admitting each request
// until its answer goes out on its session's stream.
func (s *Server) serveSSEMessage(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", "POST, OPTIONS")
		writeError(w, http.StatusMethodNotAllowed, "Method Not Allowed: POST messages to this endpoint")
		return
	}
	id := r.URL.Query().Get("sessionId")
	if id == "" {
		writeError(w, http.StatusBadRequest, "Bad Request: the sessionId query parameter is missing; open GET /sse first and POST to the endpoint it names")
		return
	}
	st := s.sseStreams.get(id)
	if st == nil {
		writeError(w, http.StatusNotFound, "Not Found: no such session (its event stream is closed or never existed); open GET /sse again")
		return
	}
	m, r, ok := readMessage(w, r, s.opts.MaxBodyBytes)
	if !ok {
		return
	}
	if !m.isRequest() {
		s.sseMessage.ServeHTTP(w, r)
		return
	}
	key := idKey(m.ID)
	if !st.expect(key) {
		s.refuseDraining(w)
		return
	}
	rec := &statusRecorder{ResponseWriter: w}
	s.sseMessage.ServeHTTP(rec, r)
	if rec.status != http.StatusAccepted {
		st.settle(key) // refused: no answer will follow on the stream
	}
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	if s.inflight.isDraining() {
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintln(w, `{"status":"shutting down"}`)
		return
	}
	fmt.Fprintln(w, `{"status":"ok"}`)
}

func (s *Server) serveNotFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, fmt.Sprintf("Not Found: the MCP endpoint of this server is %s", s.Endpoint()))
}

// Serve serves on ln until ctx ends, then shuts down gracefully: it stops
// accepting connections and requests, lets requests in flight finish
// within Options.ShutdownTimeout, closes the event streams, and returns
// nil. It returns an error only when serving fails.
func (s *Server) Serve(ctx context.Context, ln net.Listener) error {
	hs := &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(s.log.Handler(), slog.LevelDebug),
	}
	served := make(chan error, 1)
	go func() { served <- hs.Serve(ln) }()
	select {
	case err := <-served:
		s.Close()
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}

	s.log.Info("shutting down: finishing requests in flight", "in_flight", s.inflight.inFlight(), "timeout", s.opts.ShutdownTimeout)
	dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.opts.ShutdownTimeout)
	defer cancel()
	idle := s.inflight.drain()
	if s.onDrain != nil {
		s.onDrain()
	}
	stopped := make(chan error, 1)
	go func() { stopped <- hs.Shutdown(dctx) }() // stops accepting; waits for busy connections
	select {
	case <-idle:
	case <-dctx.Done():
		s.log.Warn("shutdown timeout: cutting off requests still running", "in_flight", s.inflight.inFlight())
	}
	s.closeSessions() // event streams never go idle by themselves
	if err := <-stopped; err != nil {
		hs.Close()
	}
	<-served
	s.Close()
	s.log.Info("shut down")
	return nil
}

// closeSessions ends every session and event stream.
func (s *Server) closeSessions() {
	if s.streamable != nil {
		s.streamable.Shutdown(context.Background()) // owns no http.Server: closes sessions, stops the sweeper
	}
	if s.sse != nil {
		s.sse.CloseSessions()
	}
}

// Close releases what New started (the session sweeper) and ends every
// session. Serve calls it; call it yourself when using Server only as an
// http.Handler.
func (s *Server) Close() { s.closeSessions() }
