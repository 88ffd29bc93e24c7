package sandbox

import (
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Default tokens of the two users.
const (
	DefaultToken        = "sandbox-token"
	DefaultLimitedToken = "sandbox-limited-token"
)

// Lifetimes of things the sandbox hands out.
const (
	DefaultAsyncExportDelay = time.Second
	DefaultNonceTTL         = 5 * time.Minute
	// DefaultTempDataTTL applies when POST temporary-data sends no expiryDate.
	DefaultTempDataTTL = time.Hour
	// ExportTTL is how long a finished export (E7) or review document (E17)
	// stays downloadable; afterwards it is "Export not found".
	ExportTTL = time.Hour
	// SessionTTL is the lifetime of the preview session cookie.
	SessionTTL = 8 * time.Hour
)

// Options configures a Server. Zero values give sensible defaults.
type Options struct {
	// Token is the main user's token; that user sees every workspace.
	// Default [DefaultToken].
	Token string
	// LimitedToken is the second user's token: that user sees only
	// workspace 26 and gets 403 ProblemDetails elsewhere.
	// Default [DefaultLimitedToken].
	LimitedToken string
	// Now is the clock for every expiry and for the progress of exports
	// and job runs. Default time.Now.
	Now func() time.Time
	// AsyncExportDelay is how long an async export (E7), a review document
	// (E17) or a job run (E15) stays in progress. Zero means the default
	// of one second; a negative value means no delay. Change it later with
	// [Server.SetAsyncExportDelay].
	AsyncExportDelay time.Duration
	// NonceTTL is the lifetime of an unused nonce token. Default 5m.
	NonceTTL time.Duration
	// SignedNonces makes nonce tokens self-contained: signed with a key
	// derived from Token and carrying their expiry, so that another Server
	// with the same Token (a restarted --demo) accepts them too. Each is
	// still single-use within one Server.
	SignedNonces bool
	// Logger receives one debug line per request. Default: discard.
	Logger *slog.Logger
}

// Server is the CxReports stand-in. Create it with [New]; it is safe for
// concurrent use.
type Server struct {
	log   *slog.Logger
	now   func() time.Time
	data  *seedData
	users []*user
	mux   *http.ServeMux
	ttl   time.Duration // nonce TTL
	// nonceKey signs nonces; nil unless Options.SignedNonces.
	nonceKey []byte

	faults faultSet
	reqlog requestLog

	mu            sync.Mutex
	asyncDelay    time.Duration
	nonces        expiringStore
	sessions      expiringStore
	tempData      map[int64]*tempData
	nextTempSweep time.Time
	exports       map[int64]*export
	runs          map[int64]*jobRun
	lastRun       map[*job]time.Time
	deliveries    []Delivery
	nextTemp      int64
	nextExport    int64
	nextRun       int64
}

// New returns a Server holding a fresh copy of the seed data.
func New(opts Options) *Server {
	if opts.Token == "" {
		opts.Token = DefaultToken
	}
	if opts.LimitedToken == "" {
		opts.LimitedToken = DefaultLimitedToken
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	switch {
	case opts.AsyncExportDelay == 0:
		opts.AsyncExportDelay = DefaultAsyncExportDelay
	case opts.AsyncExportDelay < 0:
		opts.AsyncExportDelay = 0
	}
	if opts.NonceTTL <= 0 {
		opts.NonceTTL = DefaultNonceTTL
	}
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{
		log:  opts.Logger,
		now:  opts.Now,
		data: seed(),
		users: []*user{
			{name: "main", token: opts.Token, all: true},
			{name: "limited", token: opts.LimitedToken, workspaces: []int64{FinanceWorkspaceID}},
		},
		mux:        http.NewServeMux(),
		ttl:        opts.NonceTTL,
		asyncDelay: opts.AsyncExportDelay,
		nonces:     newExpiringStore(),
		sessions:   newExpiringStore(),
		tempData:   map[int64]*tempData{},
		exports:    map[int64]*export{},
		runs:       map[int64]*jobRun{},
		lastRun:    map[*job]time.Time{},
		nextTemp:   1001,
		nextExport: 5001,
		nextRun:    7001,
	}
	if opts.SignedNonces {
		s.nonceKey = nonceKey(opts.Token)
	}
	s.faults.init()
	s.routes()
	return s
}

// Route names one endpoint for fault injection. Its value is the
// http.ServeMux pattern that serves the endpoint.
type Route string

// The routes of the sandbox, E1 to E18 and P1 of the API reference.
const (
	RouteWorkspaces    Route = "GET /api/v1/workspaces"                                              // E1
	RouteReportTypes   Route = "GET /api/v1/ws/{ws}/report-types"                                    // E2
	RouteReports       Route = "GET /api/v1/ws/{ws}/reports"                                         // E3
	RoutePages         Route = "GET /api/v1/ws/{ws}/reports/{report}/pages"                          // E4
	RoutePDF           Route = "GET /api/v1/ws/{ws}/reports/{report}/pdf"                            // E5
	RoutePostPDF       Route = "POST /api/v1/ws/{ws}/reports/{report}/pdf"                           // E6
	RouteExport        Route = "POST /api/v1/ws/{ws}/reports/{report}/export"                        // E7
	RouteExportStatus  Route = "GET /api/v1/ws/{ws}/exports/{file}/status"                           // E8
	RouteExportContent Route = "GET /api/v1/ws/{ws}/exports/{file}/content"                          // E9
	RouteTempData      Route = "POST /api/v1/ws/{ws}/temporary-data"                                 // E10
	RouteNonce         Route = "POST /api/v1/nonce-tokens"                                           // E11
	RouteThemes        Route = "GET /api/v1/ws/{ws}/themes"                                          // E12
	RouteTemplates     Route = "GET /api/v1/ws/{ws}/templates"                                       // E13
	RouteJobs          Route = "GET /api/v1/ws/{ws}/jobs"                                            // E14
	RouteJobRun        Route = "POST /api/v1/ws/{ws}/jobs/{job}/runs"                                // E15
	RouteJobRunStatus  Route = "GET /api/v1/ws/{ws}/jobs/{job}/runs/{run}/status"                    // E16
	RouteReview        Route = "POST /api/v1/ws/{ws}/jobs/{job}/runs/{run}/generate-review-document" // E17
	RouteDeliver       Route = "POST /api/v1/ws/{ws}/jobs/{job}/runs/{run}/deliver"                  // E18
	RoutePreview       Route = "GET /ws/{ws}/reports/{report}/preview"                               // P1
	RouteAny           Route = "*"                                                                   // every route above
)

// Routes lists every route except [RouteAny], in API order.
func Routes() []Route {
	return []Route{RouteWorkspaces, RouteReportTypes, RouteReports, RoutePages, RoutePDF, RoutePostPDF, RouteExport,
		RouteExportStatus, RouteExportContent, RouteTempData, RouteNonce, RouteThemes, RouteTemplates, RouteJobs,
		RouteJobRun, RouteJobRunStatus, RouteReview, RouteDeliver, RoutePreview}
}

// isDocumentRoute reports whether the route answers with document bytes.
func isDocumentRoute(r Route) bool {
	return r == RoutePDF || r == RoutePostPDF || r == RouteExportContent
}

// apiHandler serves one authenticated /api/v1 route. A returned error is
// answered as ProblemDetails; it must be returned before anything is written.
type apiHandler func(w http.ResponseWriter, r *http.Request, u *user) error

func (s *Server) routes() {
	api := map[Route]apiHandler{
		RouteWorkspaces:    s.handleWorkspaces,
		RouteReportTypes:   s.handleReportTypes,
		RouteReports:       s.handleReports,
		RoutePages:         s.handlePages,
		RoutePDF:           s.handleGetPDF,
		RoutePostPDF:       s.handlePostPDF,
		RouteExport:        s.handleExport,
		RouteExportStatus:  s.handleExportStatus,
		RouteExportContent: s.handleExportContent,
		RouteTempData:      s.handleTempData,
		RouteNonce:         s.handleNonce,
		RouteThemes:        s.handleThemes,
		RouteTemplates:     s.handleTemplates,
		RouteJobs:          s.handleJobs,
		RouteJobRun:        s.handleJobRun,
		RouteJobRunStatus:  s.handleJobRunStatus,
		RouteReview:        s.handleReview,
		RouteDeliver:       s.handleDeliver,
	}
	for route, h := range api {
		s.mux.Handle(string(route), s.withFaults(route, s.withAuth(h)))
	}
	s.mux.Handle(string(RoutePreview), s.withFaults(RoutePreview, http.HandlerFunc(s.handlePreview)))
	s.mux.HandleFunc("/api/v1/", s.handleAPIFallback)
	s.mux.HandleFunc("GET /{$}", s.handleIndex)
}

// withAuth requires the Bearer token and turns returned errors into
// ProblemDetails.
func (s *Server) withAuth(h apiHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, p := s.bearerUser(r)
		if p != nil {
			writeProblem(w, r, p)
			return
		}
		if err := h(w, r, u); err != nil {
			writeError(w, r, err)
		}
	})
}

// ServeHTTP records the request, then routes it.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	s.reqlog.record(r, s.now())
	sw := &statusWriter{ResponseWriter: w}
	s.mux.ServeHTTP(sw, r)
	s.log.LogAttrs(r.Context(), slog.LevelDebug, "sandbox request",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", sw.status()), slog.Duration("duration", time.Since(start)))
}

// handleAPIFallback answers unknown /api/v1 paths with 404 and known paths
// with the wrong method with 405, both as ProblemDetails.
func (s *Server) handleAPIFallback(w http.ResponseWriter, r *http.Request) {
	var allowed []string
	for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/v1/" {
			allowed = append(allowed, m)
		}
	}
	if len(allowed) > 0 {
		writeProblem(w, r, &problem{Status: http.StatusMethodNotAllowed, Title: "Method Not Allowed",
			Detail: r.Method + " is not allowed here; use " + strings.Join(allowed, ", "),
			Header: http.Header{"Allow": {strings.Join(allowed, ", ")}}})
		return
	}
	writeProblem(w, r, notFound(TitleNotFound, "no API endpoint at "+r.URL.Path))
}

// statusWriter remembers the status code for the request log line.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *statusWriter) status() int {
	if w.code == 0 {
		return http.StatusOK
	}
	return w.code
}

// SetAsyncExportDelay changes how long exports, review documents and job
// runs started from now on stay in progress. Zero or less means no delay.
func (s *Server) SetAsyncExportDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.asyncDelay = max(d, 0)
}
