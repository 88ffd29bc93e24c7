package cxapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Sentinel errors. Every error returned by the client matches at most a few
// of these with errors.Is; an *APIError matches the one for its status code.
var (
	// ErrNoToken: the client has no token; no request was sent.
	ErrNoToken = errors.New("no CxReports access token configured")
	// ErrInvalidArgument: a caller-supplied value cannot be sent (empty
	// workspace, report without id or code, params that are not a JSON
	// object, ...); no request was sent.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrUnauthorized: HTTP 401, the token is missing, wrong or expired.
	ErrUnauthorized = errors.New("unauthorized")
	// ErrForbidden: HTTP 403.
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: HTTP 404 (or 410).
	ErrNotFound = errors.New("not found")
	// ErrConflict: HTTP 409.
	ErrConflict = errors.New("conflict")
	// ErrBadRequest: HTTP 400 or 422.
	ErrBadRequest = errors.New("bad request")
	// ErrRateLimited: HTTP 429; see APIError.RetryAfter.
	ErrRateLimited = errors.New("rate limited")
	// ErrServer: HTTP 5xx.
	ErrServer = errors.New("server error")
	// ErrUnexpectedResponse: HTML or non-JSON where JSON was expected, or
	// JSON that cannot be decoded or lacks a required key.
	ErrUnexpectedResponse = errors.New("unexpected response")
	// ErrHTMLPage: an HTML page (typically a login page or a proxy's) came
	// where JSON or a document was expected. Such errors also match
	// ErrUnexpectedResponse.
	ErrHTMLPage = errors.New("the server answered with an HTML page")
	// ErrNotPDF: a document endpoint answered something other than the
	// expected document (wrong content type, or a PDF without "%PDF-").
	ErrNotPDF = errors.New("not the expected document")
	// ErrTruncated: the body is shorter than its Content-Length, the
	// connection broke while reading it, a PDF lacks "%%EOF" near its end, or
	// the document is empty.
	ErrTruncated = errors.New("truncated response")
	// ErrTooLarge: the response exceeds MaxJSONBytes or MaxDocumentBytes.
	ErrTooLarge = errors.New("response too large")
	// ErrUnreachable: DNS failure, connection refused or broken, TLS failure.
	ErrUnreachable = errors.New("cannot reach the CxReports server")
	// ErrTimeout: a deadline passed (Config.Timeout or the ctx deadline).
	// Such errors also match context.DeadlineExceeded.
	ErrTimeout = errors.New("request timed out")
)

// APIError is a non-2xx HTTP answer.
type APIError struct {
	// StatusCode is the HTTP status.
	StatusCode int
	// Method is the HTTP method.
	Method string
	// Path is the escaped request path, never the query and never the token.
	Path string
	// Title and Detail come from a ProblemDetails body (RFC 7807: "title",
	// "detail", validation "errors") or an {"error": "..."} body, or from
	// the first line of a plain-text body. They are cleaned of control
	// characters and clipped.
	Title, Detail string
	// RetryAfter is the server's Retry-After (seconds or HTTP date), 0 if
	// absent.
	RetryAfter time.Duration
}

// Error formats the error as "GET /api/v1/ws/demo/reports: 404 Report not found".
func (e *APIError) Error() string {
	msg := e.Title
	if msg == "" {
		msg = http.StatusText(e.StatusCode)
	}
	if e.Detail != "" && e.Detail != msg {
		if msg != "" {
			msg += ": "
		}
		msg += e.Detail
	}
	s := fmt.Sprintf("%s %s: %d %s", e.Method, e.Path, e.StatusCode, msg)
	if e.RetryAfter > 0 {
		s += fmt.Sprintf(" (retry after %s)", e.RetryAfter)
	}
	return strings.TrimSpace(s)
}

// Is maps the status code to the sentinel errors: 400/422 ErrBadRequest,
// 401 ErrUnauthorized, 403 ErrForbidden, 404/410 ErrNotFound, 409
// ErrConflict, 429 ErrRateLimited, 5xx ErrServer.
func (e *APIError) Is(target error) bool {
	switch e.StatusCode {
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return target == ErrBadRequest
	case http.StatusUnauthorized:
		return target == ErrUnauthorized
	case http.StatusForbidden:
		return target == ErrForbidden
	case http.StatusNotFound, http.StatusGone:
		return target == ErrNotFound
	case http.StatusConflict:
		return target == ErrConflict
	case http.StatusTooManyRequests:
		return target == ErrRateLimited
	}
	return e.StatusCode >= 500 && e.StatusCode <= 599 && target == ErrServer
}

// Hint suggests what a user can do about the error; "" if nothing useful.
func (e *APIError) Hint() string {
	switch {
	case e.StatusCode == http.StatusUnauthorized:
		return "the access token is missing, wrong or expired; create a personal access token in CxReports (User menu > Personal Access Tokens)"
	case e.StatusCode == http.StatusForbidden:
		return "the token's user may not access this workspace or resource"
	case e.StatusCode == http.StatusNotFound || e.StatusCode == http.StatusGone:
		return "check the workspace id or code and the report, job or file id"
	case e.StatusCode == http.StatusBadRequest || e.StatusCode == http.StatusUnprocessableEntity:
		return "the server rejected the request values; check params, data and options"
	case e.StatusCode == http.StatusConflict:
		return "the resource is busy or in a conflicting state; check its status and try again"
	case e.StatusCode == http.StatusTooManyRequests:
		if e.RetryAfter > 0 {
			return fmt.Sprintf("too many requests; wait %s before trying again", e.RetryAfter)
		}
		return "too many requests; wait a little before trying again"
	case e.StatusCode >= 500:
		return "the CxReports server failed; try again later"
	}
	return ""
}

// newAPIError builds the error for a non-2xx response, reading (a bounded
// part of) and closing its body. The second result tells whether the
// response carried a usable Retry-After header.
func (c *Client) newAPIError(r *request, resp *http.Response) (*APIError, bool) {
	e := &APIError{StatusCode: resp.StatusCode, Method: r.method, Path: c.errPath(r)}
	d, hasRetryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	e.RetryAfter = d
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	_ = resp.Body.Close()

	ct := resp.Header.Get("Content-Type")
	trimmed := bytes.TrimSpace(bytes.TrimPrefix(body, []byte("\xef\xbb\xbf")))
	switch {
	case len(trimmed) > 0 && trimmed[0] == '{':
		e.Title, e.Detail = problemText(trimmed)
	case len(trimmed) > 0 && !looksLikeHTML(ct, trimmed):
		mt := mediaType(ct)
		if mt == "" || strings.HasPrefix(mt, "text/") {
			line, _, _ := strings.Cut(string(trimmed), "\n")
			e.Detail = line
		}
	}
	e.Title = c.cleanText(e.Title)
	e.Detail = c.cleanText(e.Detail)
	return e, hasRetryAfter
}

// problemText extracts a title and a detail from a ProblemDetails or
// {"error": ...} JSON body.
func problemText(body []byte) (title, detail string) {
	var pd struct {
		Title   string          `json:"title"`
		Detail  string          `json:"detail"`
		Message string          `json:"message"`
		Error   json.RawMessage `json:"error"`
		Errors  json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &pd) != nil {
		return "", ""
	}
	title, detail = pd.Title, pd.Detail
	if detail == "" {
		detail = pd.Message
	}
	if len(pd.Error) > 0 {
		var s string
		if json.Unmarshal(pd.Error, &s) == nil && s != "" {
			if title == "" {
				title = s
			} else if detail == "" {
				detail = s
			}
		}
	}
	if v := validationText(pd.Errors); v != "" {
		switch {
		case detail == "":
			detail = v
		case !strings.Contains(v, detail) && !strings.Contains(detail, v):
			// The errors map often repeats the detail; add it only when it
			// says something more.
			detail += "; " + v
		}
	}
	return title, detail
}

// validationText flattens an ASP.NET validation "errors" object
// ({"field": ["message", ...]}) into "field: message; ...".
func validationText(raw json.RawMessage) string {
	if len(raw) == 0 {
		return ""
	}
	var m map[string][]string
	if json.Unmarshal(raw, &m) != nil {
		return ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		msgs := strings.Join(m[k], " ")
		// Some servers repeat the field name inside its messages.
		msgs = strings.TrimPrefix(msgs, k+": ")
		if k == "" || k == "$" {
			parts = append(parts, msgs)
		} else {
			parts = append(parts, k+": "+msgs)
		}
	}
	return strings.Join(parts, "; ")
}

// cleanText makes server-supplied text safe for an error message: no token,
// no control characters, at most 300 bytes.
func (c *Client) cleanText(s string) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, s)
	s = strings.Join(strings.Fields(s), " ")
	return clip(c.scrub(s), 300)
}

// parseRetryAfter reads a Retry-After header given as delay-seconds or an
// HTTP date. ok is false when the header is absent or unreadable.
func parseRetryAfter(h string, now time.Time) (d time.Duration, ok bool) {
	h = strings.TrimSpace(h)
	if h == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(h, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		const maxSecs = 1 << 30 // far beyond any wait we accept; avoids overflow
		return time.Duration(min(secs, maxSecs)) * time.Second, true
	}
	t, err := http.ParseTime(h)
	if err != nil {
		return 0, false
	}
	if d = t.Sub(now); d < 0 {
		d = 0
	}
	return d.Round(time.Second), true
}

// transportError classifies an error from http.Client.Do. It drops the
// *url.Error wrapper (whose message repeats the URL and its query) and keeps
// the underlying error, scrubbed, in the chain.
func (c *Client) transportError(actx context.Context, r *request, err error) error {
	if cerr := c.ctxError(actx, r); cerr != nil {
		return cerr
	}
	inner := err
	var ue *url.Error
	if errors.As(err, &ue) && ue.Err != nil {
		inner = ue.Err
	}
	var (
		dnsErr  *net.DNSError
		opErr   *net.OpError
		certErr *tls.CertificateVerificationError
		unkAuth x509.UnknownAuthorityError
		hostErr x509.HostnameError
		invErr  x509.CertificateInvalidError
		recErr  tls.RecordHeaderError
		netErr  net.Error
	)
	switch {
	case errors.As(inner, &dnsErr):
		return &transportErr{fmt.Errorf("%s: %w: cannot resolve host %s: %w", c.prefix(r), ErrUnreachable, c.host, c.redact(inner)), !dnsErr.IsNotFound}
	case errors.As(inner, &certErr), errors.As(inner, &unkAuth), errors.As(inner, &hostErr), errors.As(inner, &invErr), errors.As(inner, &recErr):
		return &transportErr{fmt.Errorf("%s: %w: TLS with %s failed: %w", c.prefix(r), ErrUnreachable, c.host, c.redact(inner)), false}
	case errors.As(inner, &opErr) && opErr.Op == "dial":
		return &transportErr{fmt.Errorf("%s: %w: cannot connect to %s: %w", c.prefix(r), ErrUnreachable, c.host, c.redact(inner)), true}
	case errors.As(inner, &netErr) && netErr.Timeout():
		return &transportErr{fmt.Errorf("%s: %w: %w (%w)", c.prefix(r), ErrTimeout, c.redact(inner), context.DeadlineExceeded), false}
	}
	return &transportErr{fmt.Errorf("%s: %w: request to %s failed: %w", c.prefix(r), ErrUnreachable, c.host, c.redact(inner)), true}
}

// transportErr marks a classified transport error and whether an idempotent
// request may be retried after it.
type transportErr struct {
	err       error
	retryable bool
}

func (e *transportErr) Error() string { return e.err.Error() }
func (e *transportErr) Unwrap() error { return e.err }

func isRetryableTransport(err error) bool {
	var te *transportErr
	return errors.As(err, &te) && te.retryable
}
