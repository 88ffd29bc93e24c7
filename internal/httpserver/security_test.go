package httpserver

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
)

const listBody = `{"jsonrpc":"2.0","id":2,"method":"tools/list"}`

func port(t *testing.T, base string) string {
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	return u.Port()
}

func TestOrigin(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{AllowedOrigins: []string{"https://App.Example.com:443"}})
	p := port(t, base)
	for _, tc := range []struct {
		origin string
		status int
	}{
		{"", 200}, // non-browser clients send none
		{"http://127.0.0.1:" + p, 200},
		{"http://localhost:" + p, 200},
		{"http://[::1]:" + p, 200},
		{"https://app.example.com", 200},
		{"https://evil.example", 403},
		{"http://127.0.0.1:1", 403}, // another local port is another site
		{"http://localhost", 403},
		{"null", 403},
		{"https://app.example.com.evil.example", 403},
	} {
		h := map[string]string{}
		if tc.origin != "" {
			h["Origin"] = tc.origin
		}
		r := do(t, "POST", base+"/mcp", h, initializeBody)
		if r.status != tc.status {
			t.Errorf("Origin %q: status %d, want %d: %s", tc.origin, r.status, tc.status, r.body)
			continue
		}
		if tc.status == 403 {
			if want := fmt.Sprintf("Forbidden: Origin %q is not allowed; list it with --allowed-origins to let that web page connect", tc.origin); r.errorMessage() != want {
				t.Errorf("Origin %q: message %q", tc.origin, r.errorMessage())
			}
			if r.header.Get("Access-Control-Allow-Origin") != "" {
				t.Errorf("Origin %q: CORS header on a refusal", tc.origin)
			}
		} else if got := r.header.Get("Access-Control-Allow-Origin"); got != tc.origin {
			t.Errorf("Origin %q: Access-Control-Allow-Origin %q", tc.origin, got)
		}
	}

	// A CORS preflight from an allowed origin, and from another one.
	r := do(t, "OPTIONS", base+"/mcp", map[string]string{"Origin": "https://app.example.com", "Access-Control-Request-Method": "POST"}, "")
	if r.status != 204 || r.header.Get("Access-Control-Allow-Origin") != "https://app.example.com" ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "Mcp-Session-Id") ||
		!strings.Contains(r.header.Get("Access-Control-Allow-Headers"), "X-CxReports-Token") ||
		r.header.Get("Access-Control-Expose-Headers") != "Mcp-Session-Id, WWW-Authenticate" {
		t.Errorf("preflight: %d %v", r.status, r.header)
	}
	if r := do(t, "OPTIONS", base+"/mcp", map[string]string{"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"}, ""); r.status != 403 {
		t.Errorf("evil preflight: %d", r.status)
	}
}

func TestOriginSSE(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{Transport: TransportSSE})
	evil := map[string]string{"Origin": "https://evil.example"}
	if r := do(t, "GET", base+"/sse", evil, ""); r.status != 403 {
		t.Errorf("GET /sse: %d", r.status)
	}
	if r := do(t, "POST", base+"/message?sessionId=x", evil, listBody); r.status != 403 {
		t.Errorf("POST /message: %d", r.status)
	}
	// mcp-go's SSE handler allows every origin; ours names only the checked one.
	r := do(t, "GET", base+"/sse", map[string]string{"Origin": "http://localhost:" + port(t, base)}, "")
	if r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "http://localhost:"+port(t, base) {
		t.Errorf("allowed origin: %d %q", r.status, r.header.Get("Access-Control-Allow-Origin"))
	}
	if r := do(t, "GET", base+"/sse", nil, ""); r.status != 200 || r.header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("no origin: %d %q", r.status, r.header.Get("Access-Control-Allow-Origin"))
	}
}

func TestHost(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{})
	for host, status := range map[string]int{
		"evil.example":                     403,
		"evil.example:" + port(t, base):    403,
		"localhost:" + port(t, base):       200,
		"127.0.0.1":                        200,
		"[::1]:" + port(t, base):           200,
		"mcp.example.com:" + port(t, base): 403,
		"127.0.0.1.evil.example":           403,
	} {
		r := do(t, "POST", base+"/mcp", map[string]string{"Host": host}, initializeBody)
		if r.status != status {
			t.Errorf("Host %q: %d, want %d: %s", host, r.status, status, r.body)
		}
	}

	// A reverse proxy's public name, listed; the loopback names still work.
	_, base = st.serve(t, Options{AllowedHosts: []string{"mcp.example.com"}})
	for host, status := range map[string]int{
		"mcp.example.com":     200,
		"MCP.example.com:443": 200,
		"other.example.com":   403,
		"localhost":           200,
	} {
		r := do(t, "POST", base+"/mcp", map[string]string{"Host": host}, initializeBody)
		if r.status != status {
			t.Errorf("allowed hosts, Host %q: %d, want %d: %s", host, r.status, status, r.body)
		}
		if status == 403 && r.errorMessage() != fmt.Sprintf("Forbidden: Host %q is not allowed; a reverse proxy's host name must be listed with --allowed-hosts", host) {
			t.Errorf("message %q", r.errorMessage())
		}
	}
}

func TestBearerToken(t *testing.T) {
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		t.Run(transport, func(t *testing.T) {
			st := newStack(t)
			_, base := st.serve(t, Options{Transport: transport, AuthToken: "s3cret-token"})
			path, method, body := "/mcp", "POST", initializeBody
			if transport == TransportSSE {
				path, method, body = "/sse", "GET", ""
			}
			for _, tc := range []struct {
				auth, challenge string
				status          int
			}{
				{"", `Bearer realm="cxreports-mcp"`, 401},
				{"Basic czNjcmV0LXRva2Vu", `Bearer realm="cxreports-mcp"`, 401},
				{"Bearer wrong", `Bearer realm="cxreports-mcp", error="invalid_token"`, 401},
				{"Bearer s3cret-token-longer", `Bearer realm="cxreports-mcp", error="invalid_token"`, 401},
				{"Bearer s3cret-token", "", 200},
				{"bearer s3cret-token", "", 200},
			} {
				h := map[string]string{}
				if tc.auth != "" {
					h["Authorization"] = tc.auth
				}
				r := do(t, method, base+path, h, body)
				if r.status != tc.status || r.header.Get("WWW-Authenticate") != tc.challenge {
					t.Errorf("Authorization %q: %d %q, want %d %q", tc.auth, r.status, r.header.Get("WWW-Authenticate"), tc.status, tc.challenge)
				}
				if strings.Contains(r.body, "s3cret") {
					t.Errorf("the token is echoed: %s", r.body)
				}
			}
			// Health checks need no token.
			if r := do(t, "GET", base+"/healthz", nil, ""); r.status != 200 || r.body != "{\"status\":\"ok\"}\n" {
				t.Errorf("healthz: %d %q", r.status, r.body)
			}
			// And a real client with the token works end to end.
			c := connect(t, base, transport, map[string]string{"Authorization": "Bearer s3cret-token"})
			if res := call(t, c, "list_reports", `{"limit":1}`); res.IsError {
				t.Errorf("call with token: %s", text(res))
			}
			if _, err := dial(base, transport, nil, &http.Client{}); err == nil {
				t.Errorf("a client without the token connected")
			}
		})
	}
}

func TestRequireUserToken(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{RequireUserToken: true})
	r := do(t, "POST", base+"/mcp", nil, initializeBody)
	if r.status != 401 || r.errorMessage() != "Unauthorized: this server acts with each user's own rights; send your CxReports personal access token in the X-CxReports-Token header" {
		t.Errorf("without a user token: %d %s", r.status, r.body)
	}
	c := connect(t, base, TransportHTTP, map[string]string{UserTokenHeader: "sandbox-limited-token"})
	if got := text(call(t, c, "list_workspaces", "")); !strings.HasSuffix(got, " (id, code, name):\n- 26 finance \"Finance\"") {
		t.Errorf("list_workspaces with the limited token:\n%s", got)
	}
}

func TestBodyLimit(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{MaxBodyBytes: 1 << 20})
	id := initialize(t, base, nil)
	h := map[string]string{"Mcp-Session-Id": id}
	big := func(n int) string {
		return `{"jsonrpc":"2.0","id":3,"method":"tools/call","params":{"name":"push_temporary_data","arguments":{"content":{"blob":"` + strings.Repeat("x", n) + `"}}}}`
	}
	r := do(t, "POST", base+"/mcp", h, big(1<<20))
	if r.status != 413 || r.errorMessage() != "Payload Too Large: a message may have at most 1048576 bytes (--max-body-size)" {
		t.Errorf("over the limit: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", base+"/mcp", h, big(1<<20-200)); r.status != 200 || !strings.Contains(r.body, "temp_data_id") {
		t.Errorf("just under the limit: %d %.300s", r.status, r.body)
	}
}

// Several-megabyte messages work with the default 16 MiB limit, over both
// transports, and 16 MiB + 1 does not.
func TestLargeMessages(t *testing.T) {
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		t.Run(transport, func(t *testing.T) {
			st := newStack(t)
			_, base := st.serve(t, Options{Transport: transport})
			c := connect(t, base, transport, nil)
			blob := strings.Repeat("0123456789", 300_000) // 3 MB (the race detector makes more slow)
			res := call(t, c, "push_temporary_data", `{"content":{"blob":"`+blob+`"}}`)
			if res.IsError || !strings.HasPrefix(text(res), "Stored the data in workspace demo as temp_data_id ") {
				t.Errorf("3 MB message: %.200s", text(res))
			}
			url := base + "/mcp"
			if transport == TransportSSE {
				url = client.GetEndpoint(c).String()
			}
			r := do(t, "POST", url, nil, strings.Repeat(" ", DefaultMaxBodyBytes+1))
			if r.status != 413 {
				t.Errorf("16 MiB + 1: %d %.200s", r.status, r.body)
			}
		})
	}
}
