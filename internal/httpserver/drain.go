package httpserver

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sync"
)

// tracker counts the requests in flight so that shutdown can wait for
// them. Once draining, it admits no new ones.
type tracker struct {
	mu       sync.Mutex
	n        int
	draining bool
	idle     chan struct{}
}

// begin admits one request; it returns false once draining.
func (t *tracker) begin() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.draining {
		return false
	}
	t.n++
	return true
}

// end marks one admitted request as answered.
func (t *tracker) end() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n--
	if t.n == 0 && t.idle != nil {
		close(t.idle)
		t.idle = nil
	}
}

// drain stops admitting requests and returns a channel closed once none
// is in flight.
func (t *tracker) drain() <-chan struct{} {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.draining = true
	ch := make(chan struct{})
	if t.n == 0 {
		close(ch)
	} else {
		t.idle = ch
	}
	return ch
}

func (t *tracker) isDraining() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.draining
}

func (t *tracker) inFlight() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.n
}

// sseStream is the response writer of one legacy SSE stream. The legacy
// transport answers a POSTed request on the stream, long after the POST
// returned 202, so the stream itself tells the tracker when each request
// it carried was answered. It also replaces mcp-go's blanket
// "Access-Control-Allow-Origin: *" with the checked origin (or none).
type sseStream struct {
	http.ResponseWriter
	tracker *tracker
	origin  string // the request's Origin, already allowed by the guard

	mu          sync.Mutex
	id          string         // the session id, set when mcp-go creates the session
	pending     map[string]int // request id key → requests awaiting an answer
	closed      bool
	wroteHeader bool
}

func newSSEStream(w http.ResponseWriter, t *tracker, origin string) *sseStream {
	return &sseStream{ResponseWriter: w, tracker: t, origin: origin, pending: map[string]int{}}
}

// expect admits a request sent to this stream's session; it returns false
// when the stream has ended or the server is draining.
func (st *sseStream) expect(key string) bool {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.closed || !st.tracker.begin() {
		return false
	}
	st.pending[key]++
	return true
}

// settle marks one request with this key as answered (or as never to be
// answered).
func (st *sseStream) settle(key string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.pending[key] == 0 {
		return
	}
	st.pending[key]--
	if st.pending[key] == 0 {
		delete(st.pending, key)
	}
	st.tracker.end()
}

// close releases every request still awaiting an answer: the stream that
// would carry it is gone.
func (st *sseStream) close() {
	st.mu.Lock()
	defer st.mu.Unlock()
	st.closed = true
	for k, n := range st.pending {
		for range n {
			st.tracker.end()
		}
		delete(st.pending, k)
	}
}

func (st *sseStream) fixCORS() {
	if st.wroteHeader {
		return
	}
	st.wroteHeader = true
	if st.origin != "" {
		st.Header().Set("Access-Control-Allow-Origin", st.origin)
	} else {
		st.Header().Del("Access-Control-Allow-Origin")
	}
}

// WriteHeader implements http.ResponseWriter.
func (st *sseStream) WriteHeader(code int) {
	st.fixCORS()
	st.ResponseWriter.WriteHeader(code)
}

// Write implements http.ResponseWriter; mcp-go writes one whole event per
// call.
func (st *sseStream) Write(p []byte) (int, error) {
	st.fixCORS()
	n, err := st.ResponseWriter.Write(p)
	if err == nil {
		if key, ok := answeredID(p); ok {
			st.settle(key)
		}
	}
	return n, err
}

// Flush implements http.Flusher.
func (st *sseStream) Flush() {
	if f, ok := st.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (st *sseStream) Unwrap() http.ResponseWriter { return st.ResponseWriter }

// answeredID returns the id key of the JSON-RPC response carried by one
// SSE event, if it carries one.
func answeredID(event []byte) (string, bool) {
	_, data, ok := bytes.Cut(event, []byte("data:"))
	if !ok {
		return "", false
	}
	var m message
	if json.Unmarshal(bytes.TrimSpace(data), &m) != nil || !m.isResponse() {
		return "", false
	}
	return idKey(m.ID), true
}

// statusRecorder remembers the status a handler answered with.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	if s.status == 0 {
		s.status = code
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	if s.status == 0 {
		s.status = http.StatusOK
	}
	return s.ResponseWriter.Write(p)
}

func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
