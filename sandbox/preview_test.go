package sandbox

import (
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

func newNonce(t *testing.T, h *harness, token string) string {
	t.Helper()
	r := h.req("POST", "/api/v1/nonce-tokens", token, nil)
	expectStatus(t, r, 200)
	var out struct{ Nonce string }
	r.json(t, &out)
	return out.Nonce
}

func TestNonceTokens(t *testing.T) {
	h := newHarness(t)
	seen := map[string]bool{}
	for name, send := range map[string]func() response{
		"no body":    func() response { return h.req("POST", "/api/v1/nonce-tokens", DefaultToken, nil) },
		"empty body": func() response { return h.req("POST", "/api/v1/nonce-tokens", DefaultToken, "") },
		"json content type, no body": func() response {
			return h.req("POST", "/api/v1/nonce-tokens", DefaultToken, nil, "Content-Type", "application/json")
		},
		"json null":   func() response { return h.req("POST", "/api/v1/nonce-tokens", DefaultToken, "null") },
		"json object": func() response { return h.req("POST", "/api/v1/nonce-tokens", DefaultToken, "{}") },
	} {
		r := send()
		expectStatus(t, r, 200)
		var out map[string]string
		r.json(t, &out)
		if len(out) != 1 || !regexp.MustCompile(`^[A-Za-z0-9_-]{32}$`).MatchString(out["nonce"]) {
			t.Fatalf("%s: %s", name, r.body)
		}
		if seen[out["nonce"]] {
			t.Fatal("nonce repeated")
		}
		seen[out["nonce"]] = true
	}
}

func previewURL(h *harness, path string, q url.Values) string {
	return h.ts.URL + path + "?" + q.Encode()
}

// browser is a client with a cookie jar that sends no Authorization.
func browser(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar}
}

func fetch(t *testing.T, c *http.Client, u string) response {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := resp.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return response{resp, []byte(b.String())}
}

func TestPreviewNonceFlow(t *testing.T) {
	h := newHarness(t)
	nonce := newNonce(t, h, DefaultToken)
	u := previewURL(h, "/ws/demo/reports/1627/preview", url.Values{
		"params": {`{"month":"2026-03","customer":"TEST Enterprises"}`}, "timezone": {"Europe/Belgrade"}, "nonce": {nonce},
	})
	b := browser(t)
	r := fetch(t, b, u)
	expectStatus(t, r, 200)
	if r.Header.Get("Content-Type") != "text/html; charset=utf-8" {
		t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	sc := r.Header.Get("Set-Cookie")
	if !strings.HasPrefix(sc, SessionCookieName+"=") || !strings.Contains(sc, "Path=/") || !strings.Contains(sc, "HttpOnly") {
		t.Fatalf("Set-Cookie %q", sc)
	}
	body := string(r.body)
	for _, s := range []string{"<title>Invoice</title>", "Workspace: Demo (demo)", `month = &#34;2026-03&#34;`,
		`customer = &#34;TEST Enterprises&#34;`, "Parameters this report understands", "<td>Billing month, YYYY-MM.</td>",
		"<td>Product 1</td>", "Timezone: Europe/Belgrade | Language: en", `<button type="button" onclick="window.print()">Print</button>`,
		`e.data === "print"`} {
		if !strings.Contains(body, s) {
			t.Errorf("preview lacks %q", s)
		}
	}
	// Reload: the nonce is spent, the cookie carries the session.
	expectStatus(t, fetch(t, b, u), 200)
	// Another page of the same user works with the cookie alone.
	expectStatus(t, fetch(t, b, h.ts.URL+"/ws/1/reports/1628/preview"), 200)
	// The same link in a fresh browser is refused.
	r = fetch(t, browser(t), u)
	expectStatus(t, r, 401)
	if !strings.Contains(string(r.body), "This preview link has already been used or has expired. Ask for a new link.") ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("reused nonce: %s", r.body)
	}
	// An unknown nonce too; no credentials at all gets a sign-in message.
	expectStatus(t, fetch(t, browser(t), h.ts.URL+"/ws/1/reports/1627/preview?nonce=made-up"), 401)
	r = fetch(t, browser(t), h.ts.URL+"/ws/1/reports/1627/preview")
	expectStatus(t, r, 401)
	if !strings.Contains(string(r.body), "needs a sign-in link") {
		t.Fatalf("no credentials: %s", r.body)
	}
	// Sessions expire.
	h.clock.Advance(SessionTTL)
	expectStatus(t, fetch(t, b, h.ts.URL+"/ws/1/reports/1628/preview"), 401)
}

func TestPreviewNonceExpiry(t *testing.T) {
	h := newHarness(t, Options{NonceTTL: time.Minute})
	n1 := newNonce(t, h, DefaultToken)
	n2 := newNonce(t, h, DefaultToken)
	h.clock.Advance(59 * time.Second)
	expectStatus(t, fetch(t, browser(t), h.ts.URL+"/ws/1/reports/1627/preview?nonce="+n1), 200)
	h.clock.Advance(time.Second)
	r := fetch(t, browser(t), h.ts.URL+"/ws/1/reports/1627/preview?nonce="+n2)
	expectStatus(t, r, 401)
	if !strings.Contains(string(r.body), "already been used or has expired") {
		t.Fatalf("expired nonce: %s", r.body)
	}
}

func TestPreviewAuthAndErrors(t *testing.T) {
	h := newHarness(t)
	// Bearer works on the preview page.
	r := h.req("GET", "/ws/1/reports/invoice/preview?hidePrintButton=true", DefaultToken, nil)
	expectStatus(t, r, 200)
	if strings.Contains(string(r.body), "<button") || !strings.Contains(string(r.body), "<script>") {
		t.Fatal("hidePrintButton=true should hide the button and keep the print listener")
	}
	// A limited user's nonce opens only workspace 26.
	lim := newNonce(t, h, DefaultLimitedToken)
	r = fetch(t, browser(t), h.ts.URL+"/ws/1/reports/1627/preview?nonce="+lim)
	expectStatus(t, r, 403)
	if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
		t.Fatal("preview errors are HTML")
	}
	lim = newNonce(t, h, DefaultLimitedToken)
	r = fetch(t, browser(t), h.ts.URL+"/ws/finance/reports/160/preview?nonce="+lim+"&params="+url.QueryEscape(`{"title":"First page title"}`))
	expectStatus(t, r, 200)
	if !strings.Contains(string(r.body), "<title>Showcase</title>") || !strings.Contains(string(r.body), "123 123 123 123") {
		t.Fatalf("finance preview: %s", truncate(r.body))
	}
	for path, status := range map[string]int{
		"/ws/9/reports/1627/preview":               404,
		"/ws/1/reports/1/preview":                  404,
		"/ws/1/reports/nope/preview":               404,
		"/ws/1/reports/1627/preview?params=%7Bbad": 400,
		"/ws/1/reports/1627/preview?tempDataId=9":  404,
		"/ws/1/reports/failing/preview":            500,
	} {
		r := h.req("GET", path, DefaultToken, nil)
		expectStatus(t, r, status)
		if !strings.HasPrefix(r.Header.Get("Content-Type"), "text/html") {
			t.Errorf("%s: Content-Type %q", path, r.Header.Get("Content-Type"))
		}
	}
	// Base64 params, '+' for space, data and tempDataId work here too.
	td := pushTemp(t, h, "1", map[string]any{"content": map[string]any{"fromTemp": "yes"}})
	r = h.req("GET", "/ws/1/reports/1627/preview?params=eyJtb250aCI6IjIwMjYtMDMifQ&data=%7B%22a%22%3A%22b+c%22%7D&tempDataId="+itoa(td.TempDataID), DefaultToken, nil)
	expectStatus(t, r, 200)
	for _, s := range []string{`month = &#34;2026-03&#34;`, "a: b c", "fromTemp: yes"} {
		if !strings.Contains(string(r.body), s) {
			t.Errorf("preview lacks %q", s)
		}
	}
}

// TestPDFRefusesNonce documents the decision: /api/v1/.../pdf takes only a
// Bearer token; a nonce (or the preview cookie) is not accepted there.
func TestPDFRefusesNonce(t *testing.T) {
	h := newHarness(t)
	nonce := newNonce(t, h, DefaultToken)
	p := expectProblem(t, h.req("GET", invoicePDF+"?nonce="+nonce, "", nil), 401, "Unauthorized")
	if !strings.Contains(p.Detail, "nonce tokens only work on the preview page") {
		t.Fatalf("detail %q", p.Detail)
	}
	// The nonce was not consumed by the refused call.
	expectStatus(t, fetch(t, browser(t), h.ts.URL+"/ws/1/reports/1627/preview?nonce="+nonce), 200)
	// The cookie does not open the API either.
	b := browser(t)
	expectStatus(t, fetch(t, b, h.ts.URL+"/ws/1/reports/1627/preview?nonce="+newNonce(t, h, DefaultToken)), 200)
	r := fetch(t, b, h.ts.URL+invoicePDF)
	expectStatus(t, r, 401)
}

func TestNonceStoreSweeps(t *testing.T) {
	h := newHarness(t, Options{NonceTTL: time.Minute})
	for range 500 {
		newNonce(t, h, DefaultToken)
	}
	h.clock.Advance(2 * time.Minute)
	newNonce(t, h, DefaultToken)
	h.srv.mu.Lock()
	n := len(h.srv.nonces.m)
	h.srv.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d nonces kept after expiry", n)
	}
}
