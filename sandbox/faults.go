package sandbox

import (
	"bytes"
	"maps"
	"net/http"
	"strconv"
	"sync"
	"time"
)

// Fault changes how the server answers requests to one route. Fields
// combine: Latency first, then the first of HTMLBody, Status,
// WrongContentType, TruncateBody that is set.
type Fault struct {
	// Latency delays the answer; a cancelled request stops waiting and gets
	// no answer.
	Latency time.Duration
	// Status answers with this status and a ProblemDetails body.
	Status int
	// RetryAfter sets a Retry-After header (whole seconds, rounded up),
	// meant for 429 and 503.
	RetryAfter time.Duration
	// HTMLBody answers 200 (or Status if set) with a text/html login page,
	// the way old servers answered unauthenticated API calls.
	HTMLBody bool
	// WrongContentType makes a document route answer 200 application/json
	// {"oops":true} instead of the document, and a JSON route answer 200
	// text/plain "OK" (a proxy's health page) instead of JSON. The preview
	// page is not affected.
	WrongContentType bool
	// TruncateBody makes a successful answer of a document or JSON route
	// declare its full Content-Length but send only half of the bytes, then
	// close the connection. Errors and the preview page are not affected.
	TruncateBody bool
	// Times applies the fault to the next Times matching requests only;
	// zero means until cleared.
	Times int
}

// appliesTo reports whether f has any effect on route; a fault is consumed
// (Times) only by requests it affects.
func (f Fault) appliesTo(route Route) bool {
	if f.Latency > 0 || f.Status != 0 || f.HTMLBody {
		return true
	}
	return (f.WrongContentType || f.TruncateBody) && route != RoutePreview
}

type faultSet struct {
	mu sync.Mutex
	m  map[Route]*Fault
}

func (fs *faultSet) init() { fs.m = map[Route]*Fault{} }

// SetFault installs f for route ([RouteAny] for every route), replacing the
// fault that route had. A route's own fault takes precedence over RouteAny.
func (s *Server) SetFault(route Route, f Fault) {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	s.faults.m[route] = &f
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.faults.mu.Lock()
	defer s.faults.mu.Unlock()
	clear(s.faults.m)
}

// take returns the fault for a request to route, counting down Times.
func (fs *faultSet) take(route Route) (Fault, bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	for _, key := range []Route{route, RouteAny} {
		f, ok := fs.m[key]
		if !ok || !f.appliesTo(route) {
			continue
		}
		out := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				delete(fs.m, key)
			}
		}
		return out, true
	}
	return Fault{}, false
}

// withFaults applies the route's fault, if any, before h.
func (s *Server) withFaults(route Route, h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f, ok := s.faults.take(route)
		if !ok {
			h.ServeHTTP(w, r)
			return
		}
		if f.Latency > 0 {
			t := time.NewTimer(f.Latency)
			select {
			case <-r.Context().Done():
				t.Stop()
				return
			case <-t.C:
			}
		}
		if f.RetryAfter > 0 && (f.Status != 0 || f.HTMLBody) {
			secs := int64((f.RetryAfter + time.Second - 1) / time.Second)
			w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
		}
		doc := isDocumentRoute(route)
		switch {
		case f.HTMLBody:
			status := f.Status
			if status == 0 {
				status = http.StatusOK
			}
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(status)
			_, _ = w.Write([]byte(loginPage))
		case f.Status != 0:
			writeProblem(w, r, &problem{Status: f.Status, Detail: "fault injected by the sandbox"})
		case f.WrongContentType && doc:
			writeJSON(w, http.StatusOK, map[string]bool{"oops": true})
		case f.WrongContentType:
			w.Header().Set("Content-Type", "text/plain; charset=utf-8")
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write([]byte("OK\n"))
		case f.TruncateBody && doc:
			h.ServeHTTP(&truncatingWriter{ResponseWriter: w}, r)
		case f.TruncateBody:
			// JSON answers declare no length: buffer one to declare it.
			buf := &bufferedResponse{header: http.Header{}}
			h.ServeHTTP(buf, r)
			maps.Copy(w.Header(), buf.header)
			if buf.status >= 200 && buf.status < 300 && buf.body.Len() > 0 {
				w.Header().Set("Content-Length", strconv.Itoa(buf.body.Len()))
				tw := &truncatingWriter{ResponseWriter: w}
				tw.WriteHeader(buf.status)
				_, _ = tw.Write(buf.body.Bytes())
				return
			}
			w.WriteHeader(buf.status)
			_, _ = w.Write(buf.body.Bytes())
		default:
			h.ServeHTTP(w, r)
		}
	})
}

const loginPage = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in - CxReports</title></head>
<body><h1>Sign in</h1>
<form method="post" action="/account/login"><label>Email <input name="email" type="email"></label>
<label>Password <input name="password" type="password"></label><button type="submit">Sign in</button></form>
</body></html>
`

// bufferedResponse records a whole answer.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }

func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) Write(p []byte) (int, error) {
	b.WriteHeader(http.StatusOK)
	return b.body.Write(p)
}

// truncatingWriter passes through the first half of a 2xx body whose
// Content-Length is declared, then refuses further writes. net/http closes
// the connection because fewer bytes than declared were sent.
type truncatingWriter struct {
	http.ResponseWriter
	limit   int64 // -1: no truncation
	written int64
	started bool
}

func (w *truncatingWriter) WriteHeader(code int) {
	if !w.started {
		w.started = true
		w.limit = -1
		if code >= 200 && code < 300 {
			if n, err := strconv.ParseInt(w.Header().Get("Content-Length"), 10, 64); err == nil && n > 0 {
				w.limit = n / 2
			}
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *truncatingWriter) Write(b []byte) (int, error) {
	if !w.started {
		w.WriteHeader(http.StatusOK)
	}
	if w.limit < 0 {
		return w.ResponseWriter.Write(b)
	}
	room := w.limit - w.written
	if room <= 0 {
		return 0, errTruncated
	}
	short := int64(len(b)) > room
	if short {
		b = b[:room]
	}
	n, err := w.ResponseWriter.Write(b)
	w.written += int64(n)
	if err == nil && short {
		if f, ok := w.ResponseWriter.(http.Flusher); ok {
			f.Flush()
		}
		err = errTruncated
	}
	return n, err
}

func (w *truncatingWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

type truncatedError struct{}

func (truncatedError) Error() string { return "sandbox: body truncated by fault" }

var errTruncated error = truncatedError{}
