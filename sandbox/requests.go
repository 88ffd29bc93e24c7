package sandbox

import (
	"bytes"
	"io"
	"net/http"
	"sync"
	"time"
)

// Limits of the request log.
const (
	maxRecordedRequests = 1000
	maxRecordedBody     = 64 << 10
)

// RecordedRequest is one request as the sandbox saw it. The Authorization
// and Cookie headers are recorded as presence only, never their values.
type RecordedRequest struct {
	At               time.Time
	Method           string
	Path             string // decoded path
	RawQuery         string
	Header           http.Header // Content-Type, Accept, User-Agent, Content-Length only
	HasAuthorization bool
	HasCookie        bool
	Body             []byte // at most 64 KiB
	BodyTruncated    bool
}

type requestLog struct {
	mu   sync.Mutex
	reqs []RecordedRequest // a ring once full: the oldest is at next
	next int
}

var recordedHeaders = []string{"Content-Type", "Accept", "User-Agent", "Content-Length"}

func (l *requestLog) record(r *http.Request, at time.Time) {
	rec := RecordedRequest{
		At: at, Method: r.Method, Path: r.URL.Path, RawQuery: r.URL.RawQuery,
		Header:           http.Header{},
		HasAuthorization: r.Header.Get("Authorization") != "",
		HasCookie:        r.Header.Get("Cookie") != "",
	}
	for _, k := range recordedHeaders {
		if v := r.Header.Values(k); len(v) > 0 {
			rec.Header[k] = append([]string(nil), v...)
		}
	}
	if r.Body != nil && r.Body != http.NoBody {
		head, err := io.ReadAll(io.LimitReader(r.Body, maxRecordedBody+1))
		if len(head) > maxRecordedBody {
			rec.Body, rec.BodyTruncated = head[:maxRecordedBody:maxRecordedBody], true
		} else {
			rec.Body = head
		}
		r.Body = readCloser{io.MultiReader(bytes.NewReader(head), errReader{err}, r.Body), r.Body}
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.reqs) < maxRecordedRequests {
		l.reqs = append(l.reqs, rec)
		return
	}
	l.reqs[l.next] = rec
	l.next = (l.next + 1) % maxRecordedRequests
}

// errReader yields err once the recorded head is consumed (nil: nothing).
type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	return 0, io.EOF
}

type readCloser struct {
	io.Reader
	io.Closer
}

// Requests returns a copy of the last 1000 requests, oldest first.
func (s *Server) Requests() []RecordedRequest {
	s.reqlog.mu.Lock()
	defer s.reqlog.mu.Unlock()
	l := &s.reqlog
	return append(append(make([]RecordedRequest, 0, len(l.reqs)), l.reqs[l.next:]...), l.reqs[:l.next]...)
}
