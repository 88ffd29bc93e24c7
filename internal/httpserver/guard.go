package httpserver

import (
	"bytes"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/cxreports-mcp/cxreports-mcp/internal/toolargs"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
)

// guard holds the request checks every MCP endpoint shares: Host, Origin
// (with CORS for allowed origins), bearer token and the caller's own
// CxReports token.
type guard struct {
	allowedHosts     map[string]bool // lower-case "host" or "host:port"
	allowedOrigins   map[string]bool // normalized "scheme://host[:port]"
	authDigest       []byte          // SHA-256 of the bearer token; nil: no auth
	requireUserToken bool
}

func newGuard(opts Options) (*guard, error) {
	g := &guard{allowedHosts: map[string]bool{}, allowedOrigins: map[string]bool{}, requireUserToken: opts.RequireUserToken}
	for _, h := range opts.AllowedHosts {
		h = strings.ToLower(strings.TrimSpace(h))
		if h == "" || strings.ContainsAny(h, "/ ") {
			return nil, fmt.Errorf("allowed host %q is not a host name or host:port", h)
		}
		g.allowedHosts[h] = true
	}
	for _, o := range opts.AllowedOrigins {
		n, ok := normalizeOrigin(strings.TrimSpace(o))
		if !ok {
			return nil, fmt.Errorf("allowed origin %q is not an origin such as https://app.example.com", o)
		}
		g.allowedOrigins[n] = true
	}
	if opts.AuthToken != "" {
		d := sha256.Sum256([]byte(opts.AuthToken))
		g.authDigest = d[:]
	}
	return g, nil
}

// check runs every guard on r. It answers the request itself and returns
// false when r must not go on; otherwise it returns r's context carrying
// the caller's CxReports token.
func (g *guard) check(w http.ResponseWriter, r *http.Request) (*http.Request, bool) {
	if !g.hostAllowed(r) {
		writeError(w, http.StatusForbidden, fmt.Sprintf("Forbidden: Host %q is not allowed; a reverse proxy's host name must be listed with --allowed-hosts", r.Host))
		return nil, false
	}
	origin := r.Header.Get("Origin")
	if origin != "" {
		if !g.originAllowed(r, origin) {
			writeError(w, http.StatusForbidden, fmt.Sprintf("Forbidden: Origin %q is not allowed; list it with --allowed-origins to let that web page connect", origin))
			return nil, false
		}
		h := w.Header()
		h.Set("Access-Control-Allow-Origin", origin)
		h.Add("Vary", "Origin")
		h.Set("Access-Control-Expose-Headers", "Mcp-Session-Id, WWW-Authenticate")
	}
	if r.Method == http.MethodOptions {
		// A CORS preflight carries no credentials; answer it before auth.
		h := w.Header()
		h.Set("Allow", "GET, POST, DELETE, OPTIONS")
		if origin != "" {
			h.Set("Access-Control-Allow-Methods", "GET, POST, DELETE, OPTIONS")
			h.Set("Access-Control-Allow-Headers", "Content-Type, Accept, Authorization, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID, "+UserTokenHeader)
			h.Set("Access-Control-Max-Age", "600")
		}
		w.WriteHeader(http.StatusNoContent)
		return nil, false
	}
	if g.authDigest != nil {
		tok, ok := bearerToken(r.Header.Get("Authorization"))
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="cxreports-mcp"`)
			writeError(w, http.StatusUnauthorized, "Unauthorized: send the server's access token as Authorization: Bearer <token>")
			return nil, false
		}
		d := sha256.Sum256([]byte(tok))
		if subtle.ConstantTimeCompare(d[:], g.authDigest) != 1 {
			w.Header().Set("WWW-Authenticate", `Bearer realm="cxreports-mcp", error="invalid_token"`)
			writeError(w, http.StatusUnauthorized, "Unauthorized: the bearer token is not this server's access token")
			return nil, false
		}
	}
	userToken := strings.TrimSpace(r.Header.Get(UserTokenHeader))
	if userToken == "" && g.requireUserToken {
		w.Header().Set("WWW-Authenticate", `CxReports-Token realm="cxreports-mcp"`)
		writeError(w, http.StatusUnauthorized, "Unauthorized: this server acts with each user's own rights; send your CxReports personal access token in the "+UserTokenHeader+" header")
		return nil, false
	}
	return r.WithContext(withUserToken(r.Context(), userToken)), true
}

// hostAllowed is the DNS-rebinding check: on a loopback connection the
// Host must be a loopback name or listed; on other connections it must be
// listed when a list was given.
func (g *guard) hostAllowed(r *http.Request) bool {
	host := strings.ToLower(r.Host)
	if g.allowedHosts[host] || g.allowedHosts[hostname(host)] {
		return true
	}
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if ok && local != nil && !isLoopbackHost(hostname(local.String())) {
		return len(g.allowedHosts) == 0
	}
	return isLoopbackHost(hostname(host))
}

// originAllowed accepts the listed origins and the loopback origins of the
// port the request arrived on.
func (g *guard) originAllowed(r *http.Request, origin string) bool {
	n, ok := normalizeOrigin(origin)
	if !ok {
		return false
	}
	if g.allowedOrigins[n] {
		return true
	}
	u, _ := url.Parse(n)
	local, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr)
	if !ok || local == nil || !isLoopbackHost(u.Hostname()) {
		return false
	}
	_, localPort, err := net.SplitHostPort(local.String())
	return err == nil && u.Port() == localPort
}

// normalizeOrigin returns scheme://host[:port] in lower case without a
// default port, or false when s is not an http(s) origin.
func normalizeOrigin(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.User != nil ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false
	}
	scheme, host, port := strings.ToLower(u.Scheme), strings.ToLower(u.Hostname()), u.Port()
	if strings.Contains(host, ":") {
		host = "[" + host + "]"
	}
	if port == "" || (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		return scheme + "://" + host, true
	}
	if _, err := strconv.ParseUint(port, 10, 16); err != nil {
		return "", false
	}
	return scheme + "://" + host + ":" + port, true
}

// hostname strips the port from host[:port] and the brackets from an IPv6
// literal.
func hostname(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}

// isLoopbackHost reports whether a host name (no port) is localhost or a
// loopback IP address.
func isLoopbackHost(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip, err := netip.ParseAddr(host)
	return err == nil && ip.IsLoopback()
}

func bearerToken(header string) (string, bool) {
	scheme, tok, ok := strings.Cut(strings.TrimSpace(header), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", false
	}
	tok = strings.TrimSpace(tok)
	return tok, tok != ""
}

// message is the envelope of one JSON-RPC message: enough to tell a
// request from a notification or a response.
type message struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	parsed bool
}

// isRequest reports whether m expects an answer.
func (m message) isRequest() bool {
	return m.Method != "" && len(m.ID) > 0 && string(m.ID) != "null"
}

// isResponse reports whether m answers a request of the server.
func (m message) isResponse() bool {
	return m.Method == "" && len(m.ID) > 0 && string(m.ID) != "null"
}

// readMessage reads a POST body of at most limit bytes, parses its
// envelope, and returns the request for the next handler with the body put
// back, passed through toolargs.Guard (so that a tools/call whose
// arguments mcp-go cannot parse, such as 1e309, is answered by the tool's
// own validation). It answers 413 itself when the body is too large and
// returns false.
func readMessage(w http.ResponseWriter, r *http.Request, limit int64) (message, *http.Request, bool) {
	tooLarge := func() (message, *http.Request, bool) {
		w.Header().Set("Connection", "close")
		writeError(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("Payload Too Large: a message may have at most %d bytes (--max-body-size)", limit))
		return message{}, r, false
	}
	if r.ContentLength > limit {
		return tooLarge()
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var maxErr *http.MaxBytesError
	if errors.As(err, &maxErr) {
		return tooLarge()
	}
	if err != nil {
		writeError(w, http.StatusBadRequest, "Bad Request: cannot read the request body")
		return message{}, r, false
	}
	var m message
	m.parsed = json.Unmarshal(body, &m) == nil
	ctx, body := toolargs.Guard(r.Context(), body)
	r = r.WithContext(ctx)
	r.Body = io.NopCloser(bytes.NewReader(body))
	r.ContentLength = int64(len(body))
	return m, r, true
}

// idKey canonicalizes a JSON-RPC id so that a request's and its
// response's spelling compare equal.
func idKey(raw json.RawMessage) string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return string(raw)
	}
	b, _ := json.Marshal(v)
	return string(b)
}

// writeError answers with status and a JSON-RPC error body, as the
// official SDKs do for transport errors.
func writeError(w http.ResponseWriter, status int, msg string) {
	code := -32000
	if status == http.StatusBadRequest {
		code = -32600
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Del("Content-Length")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(map[string]any{
		"jsonrpc": "2.0",
		"id":      nil,
		"error":   map[string]any{"code": code, "message": msg},
	})
}
