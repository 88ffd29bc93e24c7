package stdio

import (
	"context"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/internal/toolargs"
)

// TestUnparsableArgumentsReachTheTool: a number mcp-go cannot parse no
// longer fails the whole request; the tool receives the arguments as sent.
func TestUnparsableArgumentsReachTheTool(t *testing.T) {
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("raw", mcp.WithDescription("raw")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		raw, ok := toolargs.Original(ctx)
		if !ok {
			raw = req.Params.RawArguments
		}
		return mcp.NewToolResultError("got " + string(raw)), nil
	})
	p := startPipe(t, s, Options{})
	p.send(t, initialize)
	p.next(t)
	p.send(t, callMsg(1, "raw", `{"limit":1e309}`))
	if got := resultText(t, p.next(t)); got != `got {"limit":1e309}` {
		t.Errorf("tool saw %q", got)
	}
	p.send(t, callMsg(2, "raw", `{"limit":5}`))
	if got := resultText(t, p.next(t)); got != `got {"limit":5}` {
		t.Errorf("tool saw %q", got)
	}
}

// TestPanicOutsideToolsIsAnswered: a panic in mcp-go or a hook, outside
// any tool handler, becomes -32603 for that request and the session goes
// on.
func TestPanicOutsideToolsIsAnswered(t *testing.T) {
	hooks := &server.Hooks{}
	hooks.AddBeforeListTools(func(ctx context.Context, id any, req *mcp.ListToolsRequest) { panic("boom in a hook") })
	hooks.AddBeforeAny(func(ctx context.Context, id any, method mcp.MCPMethod, message any) {
		if method == mcp.MethodNotificationCancelled {
			panic("boom in a notification")
		}
	})
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false), server.WithHooks(hooks))
	p := startPipe(t, s, Options{})
	p.send(t, initialize)
	p.next(t)
	p.send(t, `{"jsonrpc":"2.0","id":1,"method":"tools/list"}`)
	m := p.next(t)
	e, _ := m["error"].(map[string]any)
	if m["id"] != float64(1) || e["code"] != float64(mcp.INTERNAL_ERROR) || e["message"] != "internal error while handling tools/list; the server is still running" {
		t.Fatalf("got %v", m)
	}
	p.send(t, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":99}}`)
	p.send(t, `{"jsonrpc":"2.0","id":2,"method":"ping"}`)
	if m := p.next(t); m["id"] != float64(2) || m["result"] == nil {
		t.Fatalf("after the panics: %v", m)
	}
}

func resultText(t *testing.T, m map[string]any) string {
	t.Helper()
	res, ok := m["result"].(map[string]any)
	if !ok {
		t.Fatalf("not a result: %v", m)
	}
	content, _ := res["content"].([]any)
	if len(content) == 0 {
		t.Fatalf("no content: %v", m)
	}
	text, _ := content[0].(map[string]any)["text"].(string)
	if !strings.HasPrefix(text, "got ") && res["isError"] != true {
		t.Fatalf("unexpected result: %v", m)
	}
	return text
}
