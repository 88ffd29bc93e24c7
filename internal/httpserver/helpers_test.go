package httpserver

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/client/transport"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/mcpserver"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// stack is the sandbox, the real tools and an MCP server whose CxReports
// client takes the caller's token from the request, as the app does.
type stack struct {
	sb     *sandbox.Server
	mcp    *server.MCPServer
	outDir string
}

func newStack(t testing.TB) *stack {
	t.Helper()
	return newStackWith(t, func(h http.Handler) http.Handler { return h })
}

// newStackWith wraps the sandbox handler, e.g. to observe its requests.
func newStackWith(t testing.TB, wrap func(http.Handler) http.Handler) *stack {
	t.Helper()
	sb := sandbox.New(sandbox.Options{})
	sbs := httptest.NewServer(wrap(sb))
	t.Cleanup(sbs.Close)
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	t.Cleanup(hc.CloseIdleConnections)
	api, err := cxapi.New(cxapi.Config{BaseURL: sbs.URL, Token: sandbox.DefaultToken, HTTPClient: hc})
	if err != nil {
		t.Fatal(err)
	}
	st := &stack{sb: sb, outDir: t.TempDir()}
	deps := &tools.Deps{
		Client: func(ctx context.Context) (tools.API, error) {
			if tok := UserToken(ctx); tok != "" {
				return api.WithToken(tok), nil
			}
			return api, nil
		},
		DefaultWorkspace: sandbox.DemoWorkspaceCode,
		Timezone:         "UTC",
		OutputDir:        st.outDir,
		EmbedLimit:       tools.DefaultEmbedLimit,
	}
	offered, err := tools.Select(tools.All(), tools.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	st.mcp, err = mcpserver.New(mcpserver.Options{Version: "test", Tools: offered, Deps: deps})
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// serve serves the stack over HTTP on a loopback port and returns the
// base URL ("http://127.0.0.1:port").
func (st *stack) serve(t testing.TB, opts Options) (*Server, string) {
	t.Helper()
	s, err := New(st.mcp, opts)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(s)
	t.Cleanup(func() {
		s.Close() // ends event streams, which httptest.Server.Close would wait for
		hs.Close()
	})
	return s, hs.URL
}

// connect returns an initialized mcp-go client of the transport, pinned
// to protocol 2025-11-25 as today's hosts are.
func connect(t testing.TB, base, transportName string, headers map[string]string) *client.Client {
	t.Helper()
	hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
	c, err := dial(base, transportName, headers, hc)
	if err != nil {
		t.Fatalf("connect over %s: %v", transportName, err)
	}
	t.Cleanup(func() {
		c.Close()
		hc.CloseIdleConnections()
	})
	return c
}

// dial connects and initializes a client using hc.
func dial(base, transportName string, headers map[string]string, hc *http.Client) (*client.Client, error) {
	var tr transport.Interface
	var err error
	switch transportName {
	case TransportSSE:
		tr, err = transport.NewSSE(base+"/sse", transport.WithHeaders(headers), transport.WithHTTPClient(hc))
	default:
		tr, err = transport.NewStreamableHTTP(base+"/mcp", transport.WithHTTPHeaders(headers), transport.WithHTTPBasicClient(hc))
	}
	if err != nil {
		return nil, err
	}
	c := client.NewClient(tr, client.WithProtocolVersion(mcp.ProtocolVersion20251125))
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		return nil, err
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	req.Params.ClientInfo = mcp.Implementation{Name: "httpserver-test", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// call runs a tool and fails the test on a protocol error.
func call(t testing.TB, c *client.Client, name, args string) *mcp.CallToolResult {
	t.Helper()
	res, err := callErr(c, name, args)
	if err != nil {
		t.Fatalf("%s(%s): %v", name, args, err)
	}
	return res
}

func callErr(c *client.Client, name, args string) (*mcp.CallToolResult, error) {
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	if args != "" {
		req.Params.Arguments = json.RawMessage(args)
	}
	return c.CallTool(context.Background(), req)
}

func text(res *mcp.CallToolResult) string {
	if len(res.Content) == 0 {
		return ""
	}
	tc, _ := res.Content[0].(mcp.TextContent)
	return tc.Text
}

// reply is one raw HTTP answer.
type reply struct {
	status int
	header http.Header
	body   string
}

// errorMessage is the JSON-RPC error message of a transport error body.
func (r reply) errorMessage() string {
	var b struct {
		Error struct {
			Message string `json:"message"`
		} `json:"error"`
	}
	json.Unmarshal([]byte(r.body), &b)
	return b.Error.Message
}

// do sends one raw request; host, when set, overrides the Host header.
func do(t testing.TB, method, url string, header map[string]string, body string) reply {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, url, rd)
	if err != nil {
		t.Fatal(err)
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Accept", "application/json, text/event-stream")
	for k, v := range header {
		if k == "Host" {
			req.Host = v
			continue
		}
		req.Header.Set(k, v)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", method, url, err)
	}
	defer res.Body.Close()
	if strings.HasPrefix(res.Header.Get("Content-Type"), "text/event-stream") {
		return reply{status: res.StatusCode, header: res.Header} // a stream: do not wait for its end
	}
	b, _ := io.ReadAll(res.Body)
	return reply{status: res.StatusCode, header: res.Header, body: string(b)}
}

const initializeBody = `{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}`

// initialize opens a Streamable HTTP session with raw requests and returns
// its id.
func initialize(t testing.TB, base string, header map[string]string) string {
	t.Helper()
	r := do(t, "POST", base+"/mcp", header, initializeBody)
	id := r.header.Get("Mcp-Session-Id")
	if r.status != 200 || id == "" {
		t.Fatalf("initialize: %d %q %s", r.status, id, r.body)
	}
	h := map[string]string{"Mcp-Session-Id": id}
	for k, v := range header {
		h[k] = v
	}
	if r := do(t, "POST", base+"/mcp", h, `{"jsonrpc":"2.0","method":"notifications/initialized"}`); r.status != 202 {
		t.Fatalf("initialized: %d %s", r.status, r.body)
	}
	return id
}

// clientEndpoint is the message endpoint an SSE client was given.
func clientEndpoint(c *client.Client) string { return client.GetEndpoint(c).String() }

func itoa(n int) string { return strconv.Itoa(n) }
