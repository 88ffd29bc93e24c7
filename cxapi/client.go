// Package cxapi is a typed, context-aware client for the CxReports REST API.
//
// It is modelled on google/go-github: every call takes a context first,
// optional values travel in options structs, and the package holds no global
// mutable state. A [Client] is safe for concurrent use; [Client.WithToken]
// derives a client for another user's personal access token that shares the
// same HTTP connections.
//
// Failures are reported as wrapped errors that match the sentinels in
// errors.go with [errors.Is] (for example [ErrNotFound] or [ErrUnauthorized]);
// HTTP status failures are [*APIError] values. No error message ever contains
// the access token or a request's query string (which may carry report
// parameters, data or a nonce).
//
// The package knows nothing about MCP.
package cxapi

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

const (
	defaultUserAgent        = "cxreports-mcp"
	defaultTimeout          = 30 * time.Second
	defaultMaxRetries       = 2
	defaultMaxJSONBytes     = 10 << 20
	defaultMaxDocumentBytes = 1 << 30

	// retryBase and retryCap bound the exponential backoff between retries.
	retryBase = 200 * time.Millisecond
	retryCap  = 5 * time.Second
	// maxRetryWait is the longest wait (from Retry-After or backoff) the client
	// accepts before a retry; a server asking for more gets its error returned.
	maxRetryWait = 30 * time.Second
	// maxErrorBody caps how much of an error response body is read.
	maxErrorBody = 64 << 10

	acceptJSON     = "application/json"
	acceptDocument = "application/pdf, */*"
	apiPrefix      = "/api/v1"
)

// Config configures a [Client]. Only BaseURL is required; zero values select
// the documented defaults.
type Config struct {
	// BaseURL is the root of the CxReports instance, e.g.
	// "https://tenant.cx-reports.app". Trailing slashes are stripped; it must
	// be an absolute http(s) URL without query, fragment or credentials. A
	// sub-path (a server behind a path prefix) is kept.
	BaseURL string
	// Token is the personal access token sent as "Authorization: Bearer".
	// It never appears in an error string. Surrounding whitespace is trimmed.
	// An empty token is allowed here; calls that need it then fail with
	// ErrNoToken before any request is sent.
	Token string
	// HTTPClient is optional. The default has dial, TLS and idle timeouts but
	// no overall Timeout, so that large downloads can stream.
	HTTPClient *http.Client
	// UserAgent defaults to "cxreports-mcp".
	UserAgent string
	// Timeout is the deadline of one JSON call, retries included (default
	// 30s). For document downloads it bounds the wait for the response
	// headers of each attempt; reading the body is bounded only by the ctx.
	Timeout time.Duration
	// MaxRetries is how often idempotent GETs are retried on 429, 502, 503,
	// 504 and connection errors, with exponential backoff (200ms base, 5s
	// cap) that honours Retry-After. Default 2; -1 disables retries.
	MaxRetries int
	// MaxJSONBytes caps JSON response bodies (default 10 MiB); larger
	// responses fail with ErrTooLarge.
	MaxJSONBytes int64
	// MaxDocumentBytes caps document downloads (default 1 GiB); larger
	// documents fail with ErrTooLarge.
	MaxDocumentBytes int64
}

// Client talks to one CxReports instance with one token. Create it with
// [New]; it is immutable afterwards and safe for concurrent use.
type Client struct {
	base     string // scheme://host[/sub-path], no trailing slash
	basePath string // escaped sub-path of base, "" at the root
	host     string // host[:port], for messages

	token      string
	hc         *http.Client
	userAgent  string
	timeout    time.Duration
	maxRetries int
	maxJSON    int64
	maxDoc     int64

	// retryBase and retryCap are the backoff parameters (fields so tests can
	// shorten them).
	retryBase time.Duration
	retryCap  time.Duration
}

// New validates cfg and returns a client. The error says what is wrong with
// the configuration; it never echoes the token.
func New(cfg Config) (*Client, error) {
	base, basePath, host, err := parseBaseURL(cfg.BaseURL)
	if err != nil {
		return nil, fmt.Errorf("cxapi: %w", err)
	}
	c := &Client{
		base:       base,
		basePath:   basePath,
		host:       host,
		token:      normalizeToken(cfg.Token),
		hc:         cfg.HTTPClient,
		userAgent:  strings.TrimSpace(cfg.UserAgent),
		timeout:    cfg.Timeout,
		maxRetries: cfg.MaxRetries,
		maxJSON:    cfg.MaxJSONBytes,
		maxDoc:     cfg.MaxDocumentBytes,
		retryBase:  retryBase,
		retryCap:   retryCap,
	}
	switch {
	case c.timeout < 0:
		return nil, errors.New("cxapi: Timeout must not be negative")
	case c.maxJSON < 0:
		return nil, errors.New("cxapi: MaxJSONBytes must not be negative")
	case c.maxDoc < 0:
		return nil, errors.New("cxapi: MaxDocumentBytes must not be negative")
	case hasControl(c.userAgent):
		return nil, errors.New("cxapi: UserAgent must not contain control characters")
	}
	if c.hc == nil {
		c.hc = defaultHTTPClient()
	}
	if c.userAgent == "" {
		c.userAgent = defaultUserAgent
	}
	if c.timeout == 0 {
		c.timeout = defaultTimeout
	}
	switch {
	case c.maxRetries == 0:
		c.maxRetries = defaultMaxRetries
	case c.maxRetries < 0:
		c.maxRetries = 0
	}
	if c.maxJSON == 0 {
		c.maxJSON = defaultMaxJSONBytes
	}
	if c.maxDoc == 0 {
		c.maxDoc = defaultMaxDocumentBytes
	}
	return c, nil
}

// parseBaseURL validates a base URL and splits it into the normalized base,
// its escaped path and its host.
func parseBaseURL(raw string) (base, basePath, host string, err error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return "", "", "", errors.New("base URL is empty")
	}
	lower := strings.ToLower(s)
	if !strings.HasPrefix(lower, "http://") && !strings.HasPrefix(lower, "https://") {
		return "", "", "", errors.New("base URL must start with http:// or https://")
	}
	u, perr := url.Parse(s)
	if perr != nil {
		// url.Error repeats the URL (which could hold credentials); keep only
		// the reason.
		var ue *url.Error
		if errors.As(perr, &ue) {
			perr = ue.Err
		}
		return "", "", "", fmt.Errorf("base URL is not a valid URL: %v", perr)
	}
	switch {
	case u.Host == "" || u.Hostname() == "":
		return "", "", "", errors.New("base URL has no host")
	case u.User != nil:
		return "", "", "", errors.New("base URL must not contain a user name or password; pass the token separately")
	case u.RawQuery != "" || u.ForceQuery:
		return "", "", "", errors.New("base URL must not contain a query (?...)")
	case u.Fragment != "" || strings.Contains(s, "#"):
		return "", "", "", errors.New("base URL must not contain a fragment (#...)")
	}
	basePath = strings.TrimRight(u.EscapedPath(), "/")
	if strings.HasSuffix(strings.ToLower(basePath), apiPrefix) {
		return "", "", "", errors.New("base URL must be the CxReports root, without /api/v1 (e.g. https://tenant.cx-reports.app)")
	}
	base = strings.ToLower(u.Scheme) + "://" + u.Host + basePath
	return base, basePath, u.Host, nil
}

// defaultHTTPClient returns a client whose transport has sane connection
// timeouts but no overall Timeout, so document bodies can stream.
func defaultHTTPClient() *http.Client {
	return &http.Client{Transport: &http.Transport{
		Proxy:                 http.ProxyFromEnvironment,
		DialContext:           (&net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          100,
		MaxIdleConnsPerHost:   10,
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ExpectContinueTimeout: time.Second,
	}}
}

func normalizeToken(t string) string { return strings.TrimSpace(t) }

// WithToken returns a shallow copy of c that sends token instead, sharing the
// HTTP client and every other setting. Use it for per-user tokens.
func (c *Client) WithToken(token string) *Client {
	cp := *c
	cp.token = normalizeToken(token)
	return &cp
}

// BaseURL returns the normalized base URL (no trailing slash).
func (c *Client) BaseURL() string { return c.base }

// TokenHash returns a short stable hash of the token (the first 16 hex digits
// of its SHA-256), suitable as a per-user cache key. It is "" when no token
// is set. It never returns the token itself.
func (c *Client) TokenHash() string {
	if c.token == "" {
		return ""
	}
	sum := sha256.Sum256([]byte(c.token))
	return hex.EncodeToString(sum[:])[:16]
}

// request describes one API call.
type request struct {
	method string
	path   string // escaped path below the base, starting with "/"
	query  string // encoded query without "?", "" for none
	body   []byte // nil: no body
	accept string
	retry  bool // idempotent: may be retried
}

// errPath is the path shown in errors: the escaped path only, no query.
func (c *Client) errPath(r *request) string { return c.basePath + r.path }

// prefix is the "METHOD /path" that starts every error message of a call.
func (c *Client) prefix(r *request) string { return r.method + " " + c.errPath(r) }

// errHeaderTimeout is the cancellation cause when a document's response
// headers did not arrive within Timeout.
var errHeaderTimeout = errors.New("no response headers within the timeout")

// checkToken fails with ErrNoToken or ErrInvalidArgument before any request
// when the token cannot be sent.
func (c *Client) checkToken() error {
	if c.token == "" {
		return ErrNoToken
	}
	for i := 0; i < len(c.token); i++ {
		if b := c.token[i]; b < 0x20 || b == 0x7f || b >= 0x80 {
			return fmt.Errorf("%w: the token contains characters that cannot be sent in an HTTP header", ErrInvalidArgument)
		}
	}
	return nil
}

// attempt sends one HTTP request. A non-nil error is already classified. On
// success the caller must call release after it has read the body; actx is
// the context the body is read under (for classifying read errors).
func (c *Client) attempt(ctx context.Context, r *request, headerTimeout time.Duration) (resp *http.Response, actx context.Context, release func(), err error) {
	actx, cancel := context.WithCancelCause(ctx)
	var timer *time.Timer
	if headerTimeout > 0 {
		timer = time.AfterFunc(headerTimeout, func() { cancel(errHeaderTimeout) })
	}
	var body io.Reader
	if r.body != nil {
		body = bytes.NewReader(r.body)
	}
	u := c.base + r.path
	if r.query != "" {
		u += "?" + r.query
	}
	req, err := http.NewRequestWithContext(actx, r.method, u, body)
	if err != nil {
		cancel(nil)
		// The parse error would repeat the URL and its query: keep it out.
		return nil, nil, nil, fmt.Errorf("%s: %w: cannot build the request URL", c.prefix(r), ErrInvalidArgument)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", r.accept)
	req.Header.Set("User-Agent", c.userAgent)
	if r.body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err = c.hc.Do(req)
	if timer != nil {
		timer.Stop()
	}
	if err != nil {
		err = c.transportError(actx, r, err)
		cancel(nil)
		return nil, nil, nil, err
	}
	return resp, actx, func() { cancel(nil) }, nil
}

// do sends r, retrying idempotent requests on transient failures, and
// returns a 2xx response. Any other status becomes an *APIError.
func (c *Client) do(ctx context.Context, r *request, headerTimeout time.Duration) (*http.Response, context.Context, func(), error) {
	if err := c.checkToken(); err != nil {
		return nil, nil, nil, err
	}
	for attempt := 0; ; attempt++ {
		resp, actx, release, err := c.attempt(ctx, r, headerTimeout)
		var (
			wait      time.Duration
			retryable bool
		)
		switch {
		case err != nil:
			retryable = r.retry && isRetryableTransport(err)
			wait = c.backoff(attempt)
		case resp.StatusCode >= 200 && resp.StatusCode < 300:
			return resp, actx, release, nil
		default:
			apiErr, hasRetryAfter := c.newAPIError(r, resp)
			release()
			err = apiErr
			retryable = r.retry && retryableStatus(resp.StatusCode)
			wait = c.backoff(attempt)
			if hasRetryAfter {
				wait = apiErr.RetryAfter
			}
		}
		if !retryable || attempt >= c.maxRetries || wait > maxRetryWait {
			return nil, nil, nil, err
		}
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) <= wait {
			// Waiting would outlive the caller's deadline: report the real
			// failure now instead of a timeout later.
			return nil, nil, nil, err
		}
		if sleep(ctx, wait) != nil {
			return nil, nil, nil, c.ctxError(ctx, r)
		}
	}
}

// backoff returns the wait before retry number attempt+1: exponential from
// retryBase, capped at retryCap, with jitter in [d/2, d].
func (c *Client) backoff(attempt int) time.Duration {
	d := c.retryBase
	for i := 0; i < attempt && d < c.retryCap; i++ {
		d *= 2
	}
	d = min(d, c.retryCap)
	if half := d / 2; half > 0 {
		d = half + rand.N(half+1)
	}
	return d
}

// sleep waits for d or until ctx is done, whichever comes first.
func sleep(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// doJSON performs a JSON call under the per-call Timeout and decodes the
// response into out (out may be nil to only check the response).
func (c *Client) doJSON(ctx context.Context, r *request, out any) error {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	r.accept = acceptJSON
	resp, actx, release, err := c.do(ctx, r, 0)
	if err != nil {
		return err
	}
	defer release()
	defer resp.Body.Close()

	if resp.ContentLength > c.maxJSON {
		return fmt.Errorf("%s: %w: the response has %d bytes, more than the %d allowed", c.prefix(r), ErrTooLarge, resp.ContentLength, c.maxJSON)
	}
	body, rerr := io.ReadAll(io.LimitReader(resp.Body, c.maxJSON+1))
	if rerr != nil {
		return c.bodyError(actx, r, int64(len(body)), resp.ContentLength, rerr)
	}
	if int64(len(body)) > c.maxJSON {
		return fmt.Errorf("%s: %w: the response is larger than the %d bytes allowed", c.prefix(r), ErrTooLarge, c.maxJSON)
	}
	ct := resp.Header.Get("Content-Type")
	if looksLikeHTML(ct, body) {
		return fmt.Errorf("%s: %w: %w; check the base URL and token", c.prefix(r), ErrUnexpectedResponse, ErrHTMLPage)
	}
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(body)) == 0 {
		return fmt.Errorf("%s: %w: empty response body where JSON was expected", c.prefix(r), ErrUnexpectedResponse)
	}
	if err := json.Unmarshal(body, out); err != nil {
		return fmt.Errorf("%s: %w: cannot decode the JSON response (content type %q): %w",
			c.prefix(r), ErrUnexpectedResponse, clip(c.scrub(ct), 80), c.redact(err))
	}
	return nil
}

// ctxError reports why ctx is done: ErrTimeout (also matching
// context.DeadlineExceeded) for deadlines and the header timeout, and
// context.Canceled for cancellation. It returns nil if ctx is not done.
func (c *Client) ctxError(ctx context.Context, r *request) error {
	if ctx.Err() == nil {
		return nil
	}
	if errors.Is(context.Cause(ctx), errHeaderTimeout) {
		return fmt.Errorf("%s: %w: no response headers within %s (%w)", c.prefix(r), ErrTimeout, c.timeout, context.DeadlineExceeded)
	}
	if errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return fmt.Errorf("%s: %w (%w)", c.prefix(r), ErrTimeout, context.DeadlineExceeded)
	}
	return fmt.Errorf("%s: %w", c.prefix(r), ctx.Err())
}

// bodyError classifies a failure while reading a response body after n of
// want (-1: unknown) bytes.
func (c *Client) bodyError(actx context.Context, r *request, n, want int64, err error) error {
	if cerr := c.ctxError(actx, r); cerr != nil {
		return cerr
	}
	if errors.Is(err, io.ErrUnexpectedEOF) {
		if want >= 0 {
			return fmt.Errorf("%s: %w: the connection closed after %d of %d bytes", c.prefix(r), ErrTruncated, n, want)
		}
		return fmt.Errorf("%s: %w: the connection closed after %d bytes", c.prefix(r), ErrTruncated, n)
	}
	return fmt.Errorf("%s: %w: reading the response failed after %d bytes: %w", c.prefix(r), ErrTruncated, n, c.redact(err))
}

// scrub removes the token from s, defence in depth for texts that come from
// the server or the network stack.
func (c *Client) scrub(s string) string {
	if c.token != "" {
		s = strings.ReplaceAll(s, c.token, "[REDACTED]")
	}
	return s
}

// redact wraps err so that its message is scrubbed while errors.Is/As still
// see the original.
func (c *Client) redact(err error) error {
	return &redactedError{msg: c.scrub(err.Error()), err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// looksLikeHTML reports whether a response is an HTML page rather than JSON.
func looksLikeHTML(contentType string, body []byte) bool {
	if isHTMLType(contentType) {
		return true
	}
	b := bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
	b = bytes.TrimLeft(b, " \t\r\n")
	return len(b) > 0 && b[0] == '<'
}

func isHTMLType(contentType string) bool {
	mt := mediaType(contentType)
	return mt == "text/html" || mt == "application/xhtml+xml"
}

// mediaType returns the lower-cased media type of a Content-Type header
// without parameters.
func mediaType(contentType string) string {
	mt, _, _ := strings.Cut(contentType, ";")
	return strings.ToLower(strings.TrimSpace(mt))
}

// marshalBody encodes v as compact JSON without HTML escaping.
func marshalBody(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}

func hasControl(s string) bool {
	for _, r := range s {
		if r < 0x20 || r == 0x7f {
			return true
		}
	}
	return false
}

// clip shortens s to at most n bytes (on a rune boundary) for messages.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "..."
}

func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
