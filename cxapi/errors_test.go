package cxapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

func TestErrorMapping(t *testing.T) {
	problem := func(status int, title string) string {
		return fmt.Sprintf(`{"type":"https://tools.ietf.org/html/rfc9110","title":%q,"status":%d}`, title, status)
	}
	tests := []struct {
		status      int
		contentType string
		body        string
		retryAfter  string
		want        error
		msg         string
		wait        time.Duration
	}{
		{400, "application/problem+json", `{"title":"One or more validation errors occurred.","status":400,"errors":{"params":["must be an object"],"$":["bad"]}}`, "", ErrBadRequest,
			"400 One or more validation errors occurred.: bad; params: must be an object", 0},
		{401, "application/problem+json", problem(401, "Unauthorized"), "", ErrUnauthorized, "401 Unauthorized", 0},
		{401, "text/html", "<html>login</html>", "", ErrUnauthorized, "401 Unauthorized", 0},
		{403, "application/problem+json", problem(403, "Forbidden"), "", ErrForbidden, "403 Forbidden", 0},
		{404, "application/problem+json", problem(404, "Report not found"), "", ErrNotFound, "404 Report not found", 0},
		{409, "application/json", `{"error":"Export already running"}`, "", ErrConflict, "409 Export already running", 0},
		{422, "application/problem+json", `{"title":"Invalid","detail":"format must be pdf"}`, "", ErrBadRequest, "422 Invalid: format must be pdf", 0},
		{429, "application/problem+json", problem(429, "Too Many Requests"), "7", ErrRateLimited, "429 Too Many Requests (retry after 7s)", 7 * time.Second},
		{500, "text/plain", "database down\nstack trace...", "", ErrServer, "500 Internal Server Error: database down", 0},
		{502, "text/html", "<html><body>Bad gateway</body></html>", "", ErrServer, "502 Bad Gateway", 0},
		{503, "", "", "120", ErrServer, "503 Service Unavailable (retry after 2m0s)", 2 * time.Minute},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.status, " ", tc.contentType), func(t *testing.T) {
			f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
				if tc.retryAfter != "" {
					w.Header().Set("Retry-After", tc.retryAfter)
				}
				respond(tc.status, tc.contentType, tc.body)(w, r)
			})
			c := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRetries = -1 })
			_, err := c.ListReports(context.Background(), "demo", &ListReportsOptions{Type: "invoice"})
			if !errors.Is(err, tc.want) {
				t.Fatalf("error = %v, want %v", err, tc.want)
			}
			var apiErr *APIError
			if !errors.As(err, &apiErr) {
				t.Fatalf("error %T is not an *APIError", err)
			}
			want := "list reports: GET /api/v1/ws/demo/reports: " + tc.msg
			if err.Error() != want {
				t.Errorf("message\n got %q\nwant %q", err.Error(), want)
			}
			if apiErr.StatusCode != tc.status || apiErr.Method != "GET" || apiErr.Path != "/api/v1/ws/demo/reports" || apiErr.RetryAfter != tc.wait {
				t.Errorf("APIError = %+v", apiErr)
			}
			if apiErr.Hint() == "" {
				t.Error("no hint")
			}
			for _, other := range []error{ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict, ErrBadRequest, ErrRateLimited, ErrServer} {
				if other != tc.want && errors.Is(err, other) {
					t.Errorf("error also matches %v", other)
				}
			}
		})
	}
}

func TestAPIErrorFormat(t *testing.T) {
	e := &APIError{StatusCode: 404, Method: "GET", Path: "/api/v1/ws/demo/reports", Title: "Report not found"}
	if e.Error() != "GET /api/v1/ws/demo/reports: 404 Report not found" {
		t.Errorf("Error() = %q", e.Error())
	}
	e = &APIError{StatusCode: 418, Method: "POST", Path: "/x"}
	if e.Error() != "POST /x: 418 I'm a teapot" || errors.Is(e, ErrServer) || errors.Is(e, ErrBadRequest) {
		t.Errorf("418: %q", e.Error())
	}
}

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 5, 29, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"0", 0, true},
		{"3", 3 * time.Second, true},
		{"-1", 0, false},
		{"soon", 0, false},
		{"Fri, 29 May 2026 12:00:30 GMT", 30 * time.Second, true},
		{"Fri, 29 May 2026 11:00:00 GMT", 0, true},
		{"99999999999999999", 1 << 30 * time.Second, true},
	}
	for _, tc := range tests {
		d, ok := parseRetryAfter(tc.in, now)
		if d != tc.want || ok != tc.ok {
			t.Errorf("parseRetryAfter(%q) = %v, %v; want %v, %v", tc.in, d, ok, tc.want, tc.ok)
		}
	}
}

func TestUnexpectedResponses(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    error
		msg     string
	}{
		{"HTML page with 200", respond(200, "text/html; charset=utf-8", "<!DOCTYPE html><html>Sign in</html>"), ErrHTMLPage,
			"unexpected response: the server answered with an HTML page; check the base URL and token"},
		{"HTML without content type", respond(200, "", "\n  <html>Sign in</html>"), ErrHTMLPage, "HTML page"},
		{"plain text", respond(200, "text/plain", "hello"), ErrUnexpectedResponse, "cannot decode the JSON response"},
		{"wrong JSON shape", jsonOK(`{"items":[]}`), ErrUnexpectedResponse, "cannot decode"},
		{"empty body", jsonOK(""), ErrUnexpectedResponse, "empty response body"},
		{"too large with length", jsonOK(`[` + strings.Repeat(`{"id":1},`, 20) + `{"id":1}]`), ErrTooLarge, "more than the 64 allowed"},
		{"too large chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = io.WriteString(w, "[")
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, strings.Repeat(`{"id":1},`, 20)+`{"id":1}]`)
		}, ErrTooLarge, "larger than the 64 bytes allowed"},
		{"short body", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "30")
			_, _ = io.WriteString(w, `[{"id":1}`)
		}, ErrTruncated, "closed after"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handler)
			c := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxJSONBytes = 64 })
			_, err := c.ListWorkspaces(ctx)
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error = %v, want %v containing %q", err, tc.want, tc.msg)
			}
			if !strings.HasPrefix(fmt.Sprint(err), "list workspaces: GET /api/v1/workspaces: ") {
				t.Errorf("error lacks context: %v", err)
			}
		})
	}
	// Deliver ignores bodies but not an HTML page.
	f := newFake(t, respond(200, "text/html", "<html>login</html>"))
	if err := newTestClient(t, f.URL, nil).DeliverJobRun(ctx, "1", "j", 1); !errors.Is(err, ErrUnexpectedResponse) || !errors.Is(err, ErrHTMLPage) {
		t.Errorf("deliver with HTML: %v", err)
	}
}

// closedURL returns the URL of a listener that has been closed.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	_ = ln.Close()
	return "http://" + addr
}

func TestTransportErrors(t *testing.T) {
	ctx := context.Background()
	u := closedURL(t)
	c := newTestClient(t, u, nil)
	_, err := c.ListWorkspaces(ctx)
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), strings.TrimPrefix(u, "http://")) {
		t.Errorf("connection refused: %v", err)
	}
	if !errors.Is(err, syscall.ECONNREFUSED) {
		t.Errorf("the cause should stay in the chain: %v", err)
	}

	c = newTestClient(t, "http://nonexistent.invalid", func(cfg *Config) { cfg.MaxRetries = -1; cfg.Timeout = 10 * time.Second })
	_, err = c.ListWorkspaces(ctx)
	if !errors.Is(err, ErrUnreachable) || !strings.Contains(err.Error(), "nonexistent.invalid") {
		t.Errorf("DNS failure: %v", err)
	}
	var buf bytes.Buffer
	_, err = c.DownloadPDF(ctx, "1", ReportByID(1), &ReportQuery{Params: json.RawMessage(`{"secret":"x"}`)}, &buf)
	if !errors.Is(err, ErrUnreachable) || strings.Contains(err.Error(), "secret") || strings.Contains(err.Error(), "?") {
		t.Errorf("DNS failure with a query: %v", err)
	}
}

// blockUntilGone returns a handler that blocks until the client goes away
// (or the test ends), optionally signalling that it started.
func blockUntilGone(t *testing.T, started chan<- struct{}) http.HandlerFunc {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	return func(w http.ResponseWriter, r *http.Request) {
		if started != nil {
			started <- struct{}{}
		}
		select {
		case <-r.Context().Done():
		case <-release:
		}
	}
}

func TestTimeout(t *testing.T) {
	f := newFake(t, blockUntilGone(t, nil))
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Timeout = 50 * time.Millisecond })
	start := time.Now()
	_, err := c.ListWorkspaces(context.Background())
	if !errors.Is(err, ErrTimeout) || !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error = %v, want ErrTimeout", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	// Document downloads: Timeout bounds the wait for the headers.
	_, err = c.DownloadPDF(context.Background(), "1", ReportByID(1), nil, &bytes.Buffer{})
	if !errors.Is(err, ErrTimeout) || !strings.Contains(err.Error(), "no response headers within 50ms") {
		t.Errorf("download error = %v, want a header timeout", err)
	}
	// The caller's deadline also counts.
	c = newTestClient(t, f.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err = c.ListJobs(ctx, "1"); !errors.Is(err, ErrTimeout) {
		t.Errorf("ctx deadline: %v", err)
	}
}

func TestDocumentBodyNotBoundByTimeout(t *testing.T) {
	const timeout = 20 * time.Millisecond
	release := make(chan struct{})
	timer := time.AfterFunc(5*timeout, func() { close(release) })
	defer timer.Stop()
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = io.WriteString(w, samplePDF[:20])
		w.(http.Flusher).Flush()
		<-release
		_, _ = io.WriteString(w, samplePDF[20:])
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Timeout = timeout })
	var buf bytes.Buffer
	doc, err := c.DownloadPDF(context.Background(), "1", ReportByID(1), nil, &buf)
	if err != nil || buf.String() != samplePDF || doc.Size != int64(len(samplePDF)) {
		t.Fatalf("slow body: %v (%d bytes)", err, buf.Len())
	}
}

func TestDocumentBodyBoundByContext(t *testing.T) {
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = io.WriteString(w, samplePDF[:20])
		w.(http.Flusher).Flush()
		select {
		case <-r.Context().Done():
		case <-release:
		}
	})
	c := newTestClient(t, f.URL, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	var buf bytes.Buffer
	_, err := c.DownloadPDF(ctx, "1", ReportByID(1), nil, &buf)
	if !errors.Is(err, ErrTimeout) {
		t.Errorf("error = %v, want ErrTimeout", err)
	}
}

func TestCancellation(t *testing.T) {
	started := make(chan struct{}, 1)
	f := newFake(t, blockUntilGone(t, started))
	c := newTestClient(t, f.URL, nil)
	for name, call := range map[string]func(ctx context.Context) error{
		"json":     func(ctx context.Context) error { _, err := c.ListWorkspaces(ctx); return err },
		"document": func(ctx context.Context) error { _, err := c.DownloadExport(ctx, "1", 5, io.Discard); return err },
	} {
		ctx, cancel := context.WithCancel(context.Background())
		go func() {
			<-started
			cancel()
		}()
		start := time.Now()
		err := call(ctx)
		if !errors.Is(err, context.Canceled) || errors.Is(err, ErrTimeout) {
			t.Errorf("%s: error = %v, want context.Canceled", name, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s: cancellation took %v", name, d)
		}
		cancel()
	}
	// Cancelled during a backoff wait.
	f = newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "20")
		respond(503, "", "")(w, r)
		started <- struct{}{}
	})
	c = newTestClient(t, f.URL, nil)
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		<-started
		cancel()
	}()
	if _, err := c.DownloadPDF(ctx, "1", ReportByID(1), nil, io.Discard); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled in backoff: %v", err)
	}
}

func TestRetries(t *testing.T) {
	ctx := context.Background()
	t.Run("429 twice then 200", func(t *testing.T) {
		var n atomic.Int32
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) <= 2 {
				respond(429, "", "")(w, r)
				return
			}
			jsonOK(`[{"id":1,"name":"W","code":"w"}]`)(w, r)
		})
		ws, err := newTestClient(t, f.URL, nil).ListWorkspaces(ctx)
		if err != nil || len(ws) != 1 || f.calls() != 3 {
			t.Errorf("got %v, %v after %d calls; want success after 3", ws, err, f.calls())
		}
	})
	t.Run("503 exhausts retries", func(t *testing.T) {
		f := newFake(t, respond(503, "", ""))
		_, err := newTestClient(t, f.URL, nil).ListReports(ctx, "1", nil)
		if !errors.Is(err, ErrServer) || f.calls() != 3 {
			t.Errorf("%v after %d calls", err, f.calls())
		}
	})
	t.Run("MaxRetries -1", func(t *testing.T) {
		f := newFake(t, respond(502, "", ""))
		_, err := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxRetries = -1 }).ListReports(ctx, "1", nil)
		if !errors.Is(err, ErrServer) || f.calls() != 1 {
			t.Errorf("%v after %d calls", err, f.calls())
		}
	})
	t.Run("500 and 404 are not retried", func(t *testing.T) {
		for _, status := range []int{500, 404} {
			f := newFake(t, respond(status, "", ""))
			_, _ = newTestClient(t, f.URL, nil).ListJobs(ctx, "1")
			if f.calls() != 1 {
				t.Errorf("%d: %d calls", status, f.calls())
			}
		}
	})
	t.Run("POST never retried", func(t *testing.T) {
		posts := map[string]func(c *Client) error{
			"nonce":     func(c *Client) error { _, err := c.CreateNonce(ctx); return err },
			"export":    func(c *Client) error { _, err := c.Export(ctx, "1", ReportByID(1), nil, io.Discard); return err },
			"start":     func(c *Client) error { _, err := c.StartExport(ctx, "1", ReportByID(1), nil); return err },
			"temp data": func(c *Client) error { _, err := c.PushTemporaryData(ctx, "1", json.RawMessage(`{}`), nil); return err },
			"job run":   func(c *Client) error { _, err := c.StartJobRun(ctx, "1", "j", nil, nil); return err },
			"review":    func(c *Client) error { _, err := c.GenerateReviewDocument(ctx, "1", "j", 1); return err },
			"deliver":   func(c *Client) error { return c.DeliverJobRun(ctx, "1", "j", 1) },
		}
		for name, call := range posts {
			f := newFake(t, respond(503, "", ""))
			if err := call(newTestClient(t, f.URL, nil)); !errors.Is(err, ErrServer) || f.calls() != 1 {
				t.Errorf("%s: %v after %d calls, want 1", name, err, f.calls())
			}
		}
	})
	t.Run("document retried before any byte", func(t *testing.T) {
		var n atomic.Int32
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				respond(502, "text/html", "<html>bad gateway</html>")(w, r)
				return
			}
			pdfOK(samplePDF)(w, r)
		})
		var buf bytes.Buffer
		_, err := newTestClient(t, f.URL, nil).DownloadPDF(ctx, "1", ReportByID(1), nil, &buf)
		if err != nil || buf.String() != samplePDF || f.calls() != 2 {
			t.Errorf("%v after %d calls, %d bytes", err, f.calls(), buf.Len())
		}
	})
	t.Run("connection errors", func(t *testing.T) {
		var n atomic.Int32
		rt := roundTripFunc(func(*http.Request) (*http.Response, error) {
			n.Add(1)
			return nil, &net.OpError{Op: "dial", Net: "tcp", Err: syscall.ECONNREFUSED}
		})
		c := newTestClient(t, "http://cx.example", func(cfg *Config) { cfg.HTTPClient = &http.Client{Transport: rt} })
		if _, err := c.ListWorkspaces(ctx); !errors.Is(err, ErrUnreachable) || n.Load() != 3 {
			t.Errorf("GET: %v after %d attempts, want 3", err, n.Load())
		}
		n.Store(0)
		if _, err := c.CreateNonce(ctx); !errors.Is(err, ErrUnreachable) || n.Load() != 1 {
			t.Errorf("POST: %v after %d attempts, want 1", err, n.Load())
		}
	})
	t.Run("Retry-After honoured", func(t *testing.T) {
		var n atomic.Int32
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			if n.Add(1) == 1 {
				w.Header().Set("Retry-After", "1")
				respond(429, "", "")(w, r)
				return
			}
			jsonOK(`[]`)(w, r)
		})
		start := time.Now()
		_, err := newTestClient(t, f.URL, nil).ListThemes(ctx, "1")
		if d := time.Since(start); err != nil || d < 900*time.Millisecond || f.calls() != 2 {
			t.Errorf("%v after %v and %d calls", err, d, f.calls())
		}
	})
	t.Run("Retry-After beyond the deadline", func(t *testing.T) {
		f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "3600")
			respond(429, "application/problem+json", `{"title":"Slow down"}`)(w, r)
		})
		ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
		defer cancel()
		start := time.Now()
		_, err := newTestClient(t, f.URL, nil).ListThemes(ctx, "1")
		var apiErr *APIError
		if !errors.As(err, &apiErr) || apiErr.RetryAfter != time.Hour || !errors.Is(err, ErrRateLimited) {
			t.Errorf("error = %v", err)
		}
		if d := time.Since(start); d > time.Second || f.calls() != 1 {
			t.Errorf("took %v and %d calls", d, f.calls())
		}
		// Without a deadline (documents), a long Retry-After is not waited for either.
		start = time.Now()
		if _, err := newTestClient(t, f.URL, nil).DownloadPDF(context.Background(), "1", ReportByID(1), nil, io.Discard); !errors.Is(err, ErrRateLimited) || time.Since(start) > time.Second {
			t.Errorf("document: %v after %v", err, time.Since(start))
		}
	})
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// TestNoSecretsInErrors drives every failure path with a canary token and
// secret query values and checks that no error message carries them.
func TestNoSecretsInErrors(t *testing.T) {
	const canary = "CANARY-7f3a9c-TOKEN"
	const secret = "PARAMSECRET"
	ctx := context.Background()
	handlers := map[string]http.HandlerFunc{
		"401 echoing token": respond(401, "application/problem+json", `{"title":"Bad token `+canary+`","detail":"Authorization: Bearer `+canary+`"}`),
		"404":               respond(404, "application/problem+json", `{"title":"Report not found"}`),
		"500 text echo":     respond(500, "text/plain", "failed for "+canary),
		"429":               respond(429, "", ""),
		"HTML 200":          respond(200, "text/html", "<html>"+canary+"</html>"),
		"text 200":          respond(200, "text/plain", canary),
		"bad JSON":          jsonOK(`{"id":"` + canary + `"`),
		"bad date":          jsonOK(`[{"id":1,"name":"x","lastRunTime":"` + canary + `"}]`),
		"wrong type":        respond(200, "application/x-"+canary, "%PDF-1.4 %%EOF"),
		"truncated": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Length", "1000")
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = io.WriteString(w, "%PDF-1.4")
		},
		"no EOF":  respond(200, "application/pdf", "%PDF-1.4 "+canary),
		"timeout": blockUntilGone(t, nil),
	}
	var errs []error
	for name, h := range handlers {
		f := newFake(t, h)
		c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = canary; cfg.Timeout = 50 * time.Millisecond; cfg.MaxRetries = -1 })
		q := &ReportQuery{Params: json.RawMessage(`{"p":"` + secret + `"}`), Data: json.RawMessage(`{"d":"` + secret + `"}`)}
		_, err1 := c.DownloadPDF(ctx, "ws", ReportByID(1), q, io.Discard)
		_, err2 := c.ListJobs(ctx, "ws")
		_, err3 := c.NewPreviewURL(ctx, "ws", ReportByID(1), q)
		for i, err := range []error{err1, err2, err3} {
			if err == nil {
				t.Errorf("%s/%d: no error", name, i)
				continue
			}
			errs = append(errs, err)
		}
	}
	for _, base := range []string{closedURL(t), "http://nonexistent.invalid"} {
		c := newTestClient(t, base, func(cfg *Config) { cfg.Token = canary; cfg.MaxRetries = -1 })
		_, err := c.DownloadPDF(ctx, "ws", ReportByID(1), &ReportQuery{Params: json.RawMessage(`{"p":"` + secret + `"}`)}, io.Discard)
		errs = append(errs, err)
	}
	_, err := New(Config{BaseURL: "https://user:" + canary + "@example.com", Token: canary})
	errs = append(errs, err)
	for _, err := range errs {
		msg := fmt.Sprint(err)
		if strings.Contains(msg, canary) || strings.Contains(msg, secret) || strings.Contains(msg, "params=") {
			t.Errorf("error leaks a secret: %s", msg)
		}
		walkErrors(err, func(e error) {
			if strings.Contains(e.Error(), canary) || strings.Contains(e.Error(), secret) {
				t.Errorf("a wrapped error leaks a secret: %T %s", e, e)
			}
		})
	}
}

// walkErrors calls fn for err and everything it wraps.
func walkErrors(err error, fn func(error)) {
	if err == nil {
		return
	}
	fn(err)
	switch x := err.(type) {
	case interface{ Unwrap() error }:
		walkErrors(x.Unwrap(), fn)
	case interface{ Unwrap() []error }:
		for _, e := range x.Unwrap() {
			walkErrors(e, fn)
		}
	}
}

// TestValidationErrorsNotRepeated: an ASP.NET errors map that repeats the
// detail (as the sandbox's does) adds nothing to the message.
func TestValidationErrorsNotRepeated(t *testing.T) {
	body := []byte(`{"title":"One or more validation errors occurred.","status":400,"detail":"params.sizeMB: must be an integer from 1 to 500, got 5000","errors":{"params.sizeMB":["params.sizeMB: must be an integer from 1 to 500, got 5000"]}}`)
	title, detail := problemText(body)
	if title != "One or more validation errors occurred." || detail != "params.sizeMB: must be an integer from 1 to 500, got 5000" {
		t.Errorf("title %q, detail %q", title, detail)
	}
	body = []byte(`{"title":"Bad","detail":"one thing","errors":{"format":["unknown format"]}}`)
	if _, detail := problemText(body); detail != "one thing; format: unknown format" {
		t.Errorf("detail %q", detail)
	}
}
