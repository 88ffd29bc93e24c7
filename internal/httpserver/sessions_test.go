package httpserver

import (
	"bufio"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestSessionIDs(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{})
	id := initialize(t, base, nil)
	if !strings.HasPrefix(id, "mcp-session-") || len(id) != len("mcp-session-")+26 {
		t.Errorf("session id %q", id)
	}
	madeUp := "mcp-session-" + strings.Repeat("A", 26)
	const missing = "Bad Request: the Mcp-Session-Id header is missing; send initialize first and then the session id it returned"
	const unknown = "Not Found: no such session (it ended or never existed); send initialize to start a new one"
	for _, tc := range []struct {
		method, session, body string
		status                int
		msg                   string
	}{
		{"POST", "", listBody, 400, missing},
		{"POST", madeUp, listBody, 404, unknown},
		{"POST", "mcp-session-e2f4ad3e-2b6b-4a32-9d5e-3f0c1a7b9c11", listBody, 404, unknown},
		{"POST", madeUp, `{"jsonrpc":"2.0","method":"notifications/initialized"}`, 404, unknown},
		{"POST", madeUp, `{"jsonrpc":"2.0","id":9,"method":"tools/call","params":{"name":"list_workspaces"}}`, 404, unknown},
		{"GET", "", "", 400, missing},
		{"GET", madeUp, "", 404, unknown}, // mcp-go alone would register it
		{"DELETE", "", "", 400, missing},
		{"DELETE", madeUp, "", 404, unknown},
		{"POST", id, listBody, 200, ""},
		{"GET", id, "", 200, ""},
	} {
		h := map[string]string{}
		if tc.session != "" {
			h["Mcp-Session-Id"] = tc.session
		}
		r := do(t, tc.method, base+"/mcp", h, tc.body)
		if r.status != tc.status || r.errorMessage() != tc.msg {
			t.Errorf("%s with session %q: %d %q, want %d %q", tc.method, tc.session, r.status, r.errorMessage(), tc.status, tc.msg)
		}
		if tc.method == "GET" && tc.status == 200 && r.header.Get("Content-Type") != "text/event-stream" {
			t.Errorf("GET stream content type %q", r.header.Get("Content-Type"))
		}
	}
	// A made-up id stays unknown after a GET tried it.
	if r := do(t, "POST", base+"/mcp", map[string]string{"Mcp-Session-Id": madeUp}, listBody); r.status != 404 {
		t.Errorf("made-up id after GET: %d", r.status)
	}
	// DELETE ends a live session; afterwards its id answers 404.
	h := map[string]string{"Mcp-Session-Id": id}
	if r := do(t, "DELETE", base+"/mcp", h, ""); r.status != 200 {
		t.Errorf("DELETE live session: %d %s", r.status, r.body)
	}
	for _, method := range []string{"POST", "GET", "DELETE"} {
		if r := do(t, method, base+"/mcp", h, listBody); r.status != 404 || r.errorMessage() != unknown {
			t.Errorf("%s after DELETE: %d %s", method, r.status, r.body)
		}
	}
	if r := do(t, "PUT", base+"/mcp", nil, listBody); r.status != 405 || r.header.Get("Allow") != "GET, POST, DELETE, OPTIONS" {
		t.Errorf("PUT: %d %v", r.status, r.header)
	}
	if r := do(t, "GET", base+"/nope", nil, ""); r.status != 404 || r.errorMessage() != "Not Found: the MCP endpoint of this server is /mcp" {
		t.Errorf("unknown path: %d %s", r.status, r.body)
	}
}

func TestStatelessSessions(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{Stateless: true})
	r := do(t, "POST", base+"/mcp", nil, initializeBody)
	if r.status != 200 || r.header.Get("Mcp-Session-Id") != "" {
		t.Errorf("initialize: %d, session %q", r.status, r.header.Get("Mcp-Session-Id"))
	}
	// No session needed, and a stale header from a proxy or another replica is ignored.
	for _, session := range []string{"", "mcp-session-from-another-replica"} {
		h := map[string]string{}
		if session != "" {
			h["Mcp-Session-Id"] = session
		}
		r := do(t, "POST", base+"/mcp", h, `{"jsonrpc":"2.0","id":4,"method":"tools/call","params":{"name":"list_reports","arguments":{"limit":1}}}`)
		if r.status != 200 || !strings.Contains(r.body, `1627 \"Invoice\"`) {
			t.Errorf("call with session %q: %d %.300s", session, r.status, r.body)
		}
	}
	for _, method := range []string{"GET", "DELETE"} {
		r := do(t, method, base+"/mcp", nil, "")
		if r.status != 405 || r.header.Get("Allow") != "POST, OPTIONS" {
			t.Errorf("%s: %d Allow %q", method, r.status, r.header.Get("Allow"))
		}
	}
	if _, err := New(st.mcp, Options{Transport: TransportSSE, Stateless: true}); err == nil ||
		err.Error() != "the legacy SSE transport keeps a session per stream and cannot be stateless; use --transport http with --stateless" {
		t.Errorf("stateless SSE: %v", err)
	}
}

func TestSSESessions(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{Transport: TransportSSE})
	if r := do(t, "POST", base+"/message", nil, listBody); r.status != 400 ||
		r.errorMessage() != "Bad Request: the sessionId query parameter is missing; open GET /sse first and POST to the endpoint it names" {
		t.Errorf("no session: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", base+"/message?sessionId=made-up", nil, listBody); r.status != 404 {
		t.Errorf("made-up session: %d %s", r.status, r.body)
	}
	if r := do(t, "POST", base+"/sse", nil, listBody); r.status != 405 || r.header.Get("Allow") != "GET, OPTIONS" {
		t.Errorf("POST /sse: %d %v", r.status, r.header)
	}
	c := connect(t, base, TransportSSE, nil)
	if endpoint := clientEndpoint(c); !regexp.MustCompile(`^` + regexp.QuoteMeta(base) + `/message\?sessionId=[A-Z2-7]{26}$`).MatchString(endpoint) {
		t.Errorf("endpoint %q", endpoint)
	}
	// With a public URL (a reverse proxy with a path prefix) the endpoint event is absolute.
	_, base2 := st.serve(t, Options{Transport: TransportSSE, PublicURL: "https://mcp.example.com/cxr"})
	req, _ := http.NewRequestWithContext(t.Context(), "GET", base2+"/sse", nil)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "data: "); ok {
			if !regexp.MustCompile(`^https://mcp\.example\.com/cxr/message\?sessionId=[A-Z2-7]{26}$`).MatchString(line) {
				t.Errorf("endpoint event %q", line)
			}
			break
		}
	}
}

// Open event streams carry keep-alive pings.
func TestKeepAlive(t *testing.T) {
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		t.Run(transport, func(t *testing.T) {
			st := newStack(t)
			_, base := st.serve(t, Options{Transport: transport, KeepAlive: 20 * time.Millisecond})
			req, _ := http.NewRequestWithContext(t.Context(), "GET", base+"/sse", nil)
			if transport == TransportHTTP {
				id := initialize(t, base, nil)
				req, _ = http.NewRequestWithContext(t.Context(), "GET", base+"/mcp", nil)
				req.Header.Set("Mcp-Session-Id", id)
			}
			req.Header.Set("Accept", "text/event-stream")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			sc := bufio.NewScanner(res.Body)
			for sc.Scan() {
				if line := sc.Text(); strings.HasPrefix(line, "data:") && strings.Contains(line, `"method":"ping"`) {
					return
				}
			}
			t.Fatalf("stream ended without a ping: %v", sc.Err())
		})
	}
}
