package sandbox

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

func TestFaultStatusAndRetryAfter(t *testing.T) {
	h := newHarness(t)
	h.srv.SetFault(RouteWorkspaces, Fault{Status: 429, RetryAfter: 1500 * time.Millisecond})
	r := h.get("/api/v1/workspaces")
	p := expectProblem(t, r, 429, "Too Many Requests")
	if r.Header.Get("Retry-After") != "2" || p.Type != "https://tools.ietf.org/html/rfc6585#section-4" {
		t.Fatalf("Retry-After %q, problem %+v", r.Header.Get("Retry-After"), p)
	}
	// Faults come before authentication.
	expectProblem(t, h.req("GET", "/api/v1/workspaces", "", nil), 429, "Too Many Requests")
	for status, title := range map[int]string{500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
		401: "Unauthorized", 403: "Forbidden", 404: "Not Found"} {
		h.srv.SetFault(RouteReports, Fault{Status: status})
		r := h.get("/api/v1/ws/1/reports")
		expectProblem(t, r, status, title)
		if r.Header.Get("Retry-After") != "" {
			t.Fatal("Retry-After without RetryAfter")
		}
	}
	h.srv.ClearFaults()
	expectStatus(t, h.get("/api/v1/ws/1/reports"), 200)
	expectStatus(t, h.get("/api/v1/workspaces"), 200)
}

func TestFaultTimes(t *testing.T) {
	h := newHarness(t)
	h.srv.SetFault(RoutePDF, Fault{Status: 503, RetryAfter: time.Second, Times: 2})
	expectProblem(t, h.get(invoicePDF), 503, "Service Unavailable")
	expectStatus(t, h.get("/api/v1/workspaces"), 200) // other routes do not count
	expectProblem(t, h.get(invoicePDF), 503, "Service Unavailable")
	expectStatus(t, h.get(invoicePDF), 200)
	expectStatus(t, h.get(invoicePDF), 200)
}

func TestFaultRouteAny(t *testing.T) {
	h := newHarness(t)
	h.srv.SetFault(RouteAny, Fault{Status: 500})
	h.srv.SetFault(RouteWorkspaces, Fault{Status: 502})
	expectProblem(t, h.get("/api/v1/workspaces"), 502, "Bad Gateway")
	expectProblem(t, h.get("/api/v1/ws/1/jobs"), 500, "Internal Server Error")
	expectProblem(t, h.post("/api/v1/nonce-tokens", nil), 500, "Internal Server Error")
	expectProblem(t, h.req("GET", "/ws/1/reports/1627/preview", DefaultToken, nil), 500, "Internal Server Error")
	h.srv.ClearFaults()
	expectStatus(t, h.get("/api/v1/ws/1/jobs"), 200)
}

func TestFaultHTMLBody(t *testing.T) {
	h := newHarness(t)
	h.srv.SetFault(RouteWorkspaces, Fault{HTMLBody: true, Times: 1})
	r := h.get("/api/v1/workspaces")
	expectStatus(t, r, 200)
	if r.Header.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(string(r.body), "<title>Sign in - CxReports</title>") {
		t.Fatalf("login page: %q %s", r.Header.Get("Content-Type"), r.body)
	}
	expectStatus(t, h.get("/api/v1/workspaces"), 200)
	h.srv.SetFault(RoutePDF, Fault{HTMLBody: true, Status: 401})
	r = h.get(invoicePDF)
	expectStatus(t, r, 401)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatal("HTMLBody with Status is not HTML")
	}
}

func TestFaultWrongContentType(t *testing.T) {
	h := newHarness(t, Options{AsyncExportDelay: -1})
	h.srv.SetFault(RouteAny, Fault{WrongContentType: true, Times: 3})
	// A JSON route answers a plain-text page.
	r := h.get("/api/v1/workspaces")
	expectStatus(t, r, 200)
	if r.Header.Get("Content-Type") != "text/plain; charset=utf-8" || string(r.body) != "OK\n" {
		t.Fatalf("JSON route: %q %q", r.Header.Get("Content-Type"), r.body)
	}
	for _, send := range []func() response{
		func() response { return h.get(invoicePDF) },
		func() response { return h.post(invoicePDF, nil) },
	} {
		r := send()
		expectStatus(t, r, 200)
		if r.Header.Get("Content-Type") != "application/json; charset=utf-8" || string(r.body) != `{"oops":true}` {
			t.Fatalf("wrong content type fault: %q %s", r.Header.Get("Content-Type"), r.body)
		}
	}
	if r := h.get(invoicePDF); r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatal("fault outlived Times")
	}
	id := startExport(t, h, invoiceExport, nil)
	h.srv.SetFault(RouteExportContent, Fault{WrongContentType: true})
	if r := h.get("/api/v1/ws/1/exports/" + itoa(id) + "/content"); string(r.body) != `{"oops":true}` {
		t.Fatal("E9 not affected")
	}
}

func TestFaultTruncateBody(t *testing.T) {
	h := newHarness(t, Options{AsyncExportDelay: -1})
	h.srv.SetFault(RoutePDF, Fault{TruncateBody: true, Times: 2})
	for _, path := range []string{invoicePDF, "/api/v1/ws/1/reports/large-document/pdf?params=%7B%22sizeMB%22%3A1%7D"} {
		req, _ := http.NewRequest("GET", h.ts.URL+path, nil)
		req.Header.Set("Authorization", "Bearer "+DefaultToken)
		resp, err := h.ts.Client().Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		if !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Fatalf("%s: read error %v", path, err)
		}
		if resp.ContentLength <= 0 || int64(len(b)) != resp.ContentLength/2 {
			t.Fatalf("%s: got %d of %d bytes", path, len(b), resp.ContentLength)
		}
	}
	expectStatus(t, h.get(invoicePDF), 200)
	// JSON answers are buffered to declare their length, then cut.
	h.srv.SetFault(RouteReports, Fault{TruncateBody: true})
	req, _ := http.NewRequest("GET", h.ts.URL+"/api/v1/ws/1/reports", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	resp, err := h.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) || resp.ContentLength <= 0 || int64(len(b)) != resp.ContentLength/2 || !strings.HasPrefix(string(b), `[{"id":1627,`) {
		t.Fatalf("JSON: %v, got %d of %d bytes: %.40s", err, len(b), resp.ContentLength, b)
	}
	expectProblem(t, h.get("/api/v1/ws/nowhere/reports"), 404, TitleWorkspaceNotFound)
	h.srv.ClearFaults()
	// Errors are not truncated.
	h.srv.SetFault(RoutePDF, Fault{TruncateBody: true})
	expectProblem(t, h.get("/api/v1/ws/1/reports/999/pdf"), 404, TitleReportNotFound)
	// The export download too.
	id := startExport(t, h, invoiceExport, nil)
	h.srv.SetFault(RouteExportContent, Fault{TruncateBody: true})
	req, _ = http.NewRequest("GET", h.ts.URL+"/api/v1/ws/1/exports/"+itoa(id)+"/content", nil)
	req.Header.Set("Authorization", "Bearer "+DefaultToken)
	resp, err = h.ts.Client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, err = io.ReadAll(resp.Body)
	resp.Body.Close()
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Fatalf("E9 read error %v", err)
	}
}

func TestFaultLatency(t *testing.T) {
	h := newHarness(t)
	h.srv.SetFault(RouteWorkspaces, Fault{Latency: 30 * time.Millisecond, Times: 1})
	start := time.Now()
	expectStatus(t, h.get("/api/v1/workspaces"), 200)
	if time.Since(start) < 30*time.Millisecond {
		t.Fatal("no latency")
	}
	// A cancelled request stops waiting: the handler returns promptly, so
	// the test server's Close does not hang.
	h.srv.SetFault(RouteWorkspaces, Fault{Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", h.ts.URL+"/api/v1/workspaces", nil)
	start = time.Now()
	_, err := h.ts.Client().Do(req)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v", err)
	}
	if time.Since(start) > 5*time.Second {
		t.Fatal("latency ignored the context")
	}
	// Latency combines with a status.
	h.srv.SetFault(RouteReports, Fault{Latency: 10 * time.Millisecond, Status: 503})
	expectProblem(t, h.get("/api/v1/ws/1/reports"), 503, "Service Unavailable")
	done := make(chan struct{})
	go func() { h.ts.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a handler is still sleeping")
	}
}

func TestFaultInServeHTTPDirectly(t *testing.T) {
	// The handler also works without a network, e.g. with httptest.NewRecorder.
	srv := New(Options{})
	srv.SetFault(RouteNonce, Fault{Status: 503, Times: 1})
	for _, want := range []int{503, 200} {
		w := newRecorder()
		r, _ := http.NewRequest("POST", "/api/v1/nonce-tokens", nil)
		r.Header.Set("Authorization", "Bearer "+DefaultToken)
		srv.ServeHTTP(w, r)
		if w.Code != want {
			t.Fatalf("status %d, want %d", w.Code, want)
		}
	}
}
