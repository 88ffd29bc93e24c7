package tools

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
	jsv "github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// harness is a sandbox, a client of it, an MCP server with the tools, and
// an in-process MCP client pinned to protocol 2025-11-25, as today's hosts.
type harness struct {
	t      *testing.T
	sb     *sandbox.Server
	url    string
	deps   *Deps
	client *client.Client
}

type harnessOption func(*Deps)

func withDeps(f func(*Deps)) harnessOption { return harnessOption(f) }

func newHarness(t *testing.T, opts ...harnessOption) *harness {
	t.Helper()
	return harnessOn(t, sandbox.Options{}, nil, opts...)
}

// harnessOn is newHarness with a sandbox made from sbOpts and, when clock
// is not nil, the tools and their name cache on that clock.
func harnessOn(t *testing.T, sbOpts sandbox.Options, clock Clock, opts ...harnessOption) *harness {
	t.Helper()
	sb := sandbox.New(sbOpts)
	hs := httptest.NewServer(sb)
	t.Cleanup(hs.Close)
	api, err := cxapi.New(cxapi.Config{BaseURL: hs.URL, Token: sandbox.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	deps := &Deps{
		Client:           func(context.Context) (API, error) { return api, nil },
		DefaultWorkspace: sandbox.DemoWorkspaceCode,
		Timezone:         "Europe/Belgrade",
		OutputDir:        t.TempDir(),
		EmbedLimit:       DefaultEmbedLimit,
		Clock:            clock,
		Names:            NewNameCache(NameCacheOptions{Clock: clock}),
	}
	for _, o := range opts {
		o(deps)
	}
	h := &harness{t: t, sb: sb, url: hs.URL, deps: deps}
	h.client = connect(t, All(), deps)
	return h
}

// connect serves the tools in-process and returns an initialized client.
func connect(t *testing.T, list []Tool, deps *Deps) *client.Client {
	t.Helper()
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false))
	if err := Register(s, list, deps); err != nil {
		t.Fatal(err)
	}
	c, err := client.NewInProcessClientWithOptions(s, client.WithProtocolVersion(mcp.ProtocolVersion20251125))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	req.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// call runs a tool with raw JSON arguments ("" sends none).
func (h *harness) call(name, args string) *mcp.CallToolResult {
	h.t.Helper()
	return callTool(h.t, h.client, name, args)
}

func callTool(t *testing.T, c *client.Client, name, args string) *mcp.CallToolResult {
	t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	if args != "" {
		req.Params.Arguments = json.RawMessage(args)
	}
	res, err := c.CallTool(context.Background(), req)
	if err != nil {
		t.Fatalf("%s(%s): %v", name, args, err)
	}
	if res.IsError {
		return res
	}
	checkStructured(t, name, res)
	return res
}

// ok asserts success and returns the first text block.
func (h *harness) ok(name, args string) (string, *mcp.CallToolResult) {
	h.t.Helper()
	res := h.call(name, args)
	if res.IsError {
		h.t.Fatalf("%s(%s) failed: %s", name, args, text(res))
	}
	return text(res), res
}

// fail asserts an isError result and returns its text.
func (h *harness) fail(name, args string) string {
	h.t.Helper()
	res := h.call(name, args)
	if !res.IsError {
		h.t.Fatalf("%s(%s) succeeded, want an error: %s", name, args, text(res))
	}
	return text(res)
}

func text(res *mcp.CallToolResult) string {
	if len(res.Content) == 0 {
		return ""
	}
	tc, ok := res.Content[0].(mcp.TextContent)
	if !ok {
		return ""
	}
	return tc.Text
}

// checkStructured validates a successful result's structuredContent
// against the tool's committed outputSchema, when it has one.
func checkStructured(t *testing.T, name string, res *mcp.CallToolResult) {
	t.Helper()
	out, err := schemas.Output(name)
	if err != nil {
		t.Fatal(err)
	}
	if out == nil {
		return
	}
	if res.StructuredContent == nil {
		t.Fatalf("%s declares an outputSchema but returned no structuredContent", name)
	}
	doc, _ := jsv.UnmarshalJSON(bytes.NewReader(out))
	c := jsv.NewCompiler()
	c.AddResource("out.json", doc)
	sch, err := c.Compile("out.json")
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(res.StructuredContent)
	val, _ := jsv.UnmarshalJSON(bytes.NewReader(raw))
	if err := sch.Validate(val); err != nil {
		t.Fatalf("%s: structuredContent does not match outputSchema: %v\n%s", name, err, raw)
	}
}

// lastRequest returns the newest request the sandbox saw whose path has
// the given prefix.
func (h *harness) lastRequest(pathPrefix string) sandbox.RecordedRequest {
	h.t.Helper()
	reqs := h.sb.Requests()
	for i := len(reqs) - 1; i >= 0; i-- {
		if strings.HasPrefix(reqs[i].Path, pathPrefix) {
			return reqs[i]
		}
	}
	h.t.Fatalf("no request to %s; saw %d requests", pathPrefix, len(reqs))
	return sandbox.RecordedRequest{}
}

// newServer serves h for the test and returns its URL.
func newServer(t *testing.T, h http.Handler) string {
	t.Helper()
	hs := httptest.NewServer(h)
	t.Cleanup(hs.Close)
	return hs.URL
}

// callRequest makes a tools/call request with raw JSON arguments.
func callRequest(args string) mcp.CallToolRequest {
	req := mcp.CallToolRequest{}
	req.Params.RawArguments = json.RawMessage(args)
	return req
}
