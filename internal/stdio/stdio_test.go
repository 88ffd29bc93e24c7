package stdio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// testServer has tools that make the connection's behaviour visible.
func testServer(t *testing.T, release <-chan struct{}, started chan<- string) *server.MCPServer {
	t.Helper()
	s := server.NewMCPServer("test", "1", server.WithToolCapabilities(false))
	s.AddTool(mcp.NewTool("echo", mcp.WithDescription("echo"), mcp.WithString("text")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		return mcp.NewToolResultText(req.GetString("text", "")), nil
	})
	s.AddTool(mcp.NewTool("progress", mcp.WithDescription("progress")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		srv := server.ServerFromContext(ctx)
		for i := 1; i <= 3; i++ {
			srv.SendNotificationToClient(ctx, "notifications/progress", map[string]any{"progressToken": req.Params.Meta.ProgressToken, "progress": i, "total": 3})
		}
		return mcp.NewToolResultText("done"), nil
	})
	s.AddTool(mcp.NewTool("block", mcp.WithDescription("block")), func(ctx context.Context, req mcp.CallToolRequest) (*mcp.CallToolResult, error) {
		if started != nil {
			started <- "block"
		}
		select {
		case <-release:
			return mcp.NewToolResultText("released"), nil
		case <-ctx.Done():
			if started != nil {
				started <- "cancelled"
			}
			return mcp.NewToolResultError("cancelled"), nil
		}
	})
	return s
}

// pipe runs Serve on an in-memory connection.
type pipe struct {
	in   *io.PipeWriter
	out  *bufio.Scanner
	done chan error
}

func startPipe(t *testing.T, s *server.MCPServer, opts Options) *pipe {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	p := &pipe{in: inW, out: bufio.NewScanner(outR), done: make(chan error, 1)}
	p.out.Buffer(make([]byte, 1<<20), 64<<20)
	go func() {
		p.done <- Serve(context.Background(), s, inR, outW, opts)
		outW.Close()
	}()
	t.Cleanup(func() { inW.Close() })
	return p
}

func (p *pipe) send(t *testing.T, msg string) {
	t.Helper()
	if _, err := io.WriteString(p.in, msg+"\n"); err != nil {
		t.Fatal(err)
	}
}

// next reads the next message from the server.
func (p *pipe) next(t *testing.T) map[string]any {
	t.Helper()
	if !p.out.Scan() {
		t.Fatalf("no more output: %v", p.out.Err())
	}
	var m map[string]any
	if err := json.Unmarshal(p.out.Bytes(), &m); err != nil {
		t.Fatalf("output line is not JSON: %q", p.out.Text())
	}
	return m
}

// rest reads everything until the server closes its output.
func (p *pipe) rest(t *testing.T) []map[string]any {
	t.Helper()
	var all []map[string]any
	for p.out.Scan() {
		var m map[string]any
		if err := json.Unmarshal(p.out.Bytes(), &m); err != nil {
			t.Fatalf("output line is not JSON: %q", p.out.Text())
		}
		all = append(all, m)
	}
	return all
}

const initialize = `{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`

func callMsg(id int, tool, args string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":%q,"arguments":%s}}`, id, tool, args)
}

func TestBurstThenEOFAnswersEveryRequest(t *testing.T) {
	p := startPipe(t, testServer(t, nil, nil), Options{})
	var msgs []string
	msgs = append(msgs, initialize)
	for i := 1; i <= 50; i++ {
		msgs = append(msgs, callMsg(i, "echo", fmt.Sprintf(`{"text":"m%d"}`, i)))
	}
	// Write the whole burst and close stdin at once.
	go func() {
		io.WriteString(p.in, strings.Join(msgs, "\n")+"\n")
		p.in.Close()
	}()
	got := map[int]string{}
	for _, m := range p.rest(t) {
		id := int(m["id"].(float64))
		if _, dup := got[id]; dup {
			t.Errorf("id %d answered twice", id)
		}
		if id == 0 {
			got[0] = "init"
			continue
		}
		res := m["result"].(map[string]any)
		got[id] = res["content"].([]any)[0].(map[string]any)["text"].(string)
	}
	if len(got) != 51 {
		t.Fatalf("got %d answers, want 51", len(got))
	}
	for i := 1; i <= 50; i++ {
		if got[i] != fmt.Sprintf("m%d", i) {
			t.Errorf("answer %d = %q", i, got[i])
		}
	}
	if err := <-p.done; err != nil {
		t.Fatal(err)
	}
}

func TestNotificationsPrecedeTheResult(t *testing.T) {
	p := startPipe(t, testServer(t, nil, nil), Options{})
	p.send(t, initialize)
	p.next(t)
	for round := 0; round < 20; round++ {
		p.send(t, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"progress","arguments":{},"_meta":{"progressToken":"tok-%d"}}}`, round+1, round))
		for i := 1; i <= 3; i++ {
			m := p.next(t)
			if m["method"] != "notifications/progress" {
				t.Fatalf("round %d: message %d is %v, want progress", round, i, m)
			}
			params := m["params"].(map[string]any)
			if params["progressToken"] != fmt.Sprintf("tok-%d", round) || params["progress"].(float64) != float64(i) {
				t.Fatalf("round %d: progress %v", round, params)
			}
		}
		if m := p.next(t); m["id"].(float64) != float64(round+1) {
			t.Fatalf("round %d: want the result, got %v", round, m)
		}
	}
}

func TestCancelledRequestGetsNoAnswer(t *testing.T) {
	started := make(chan string, 4)
	p := startPipe(t, testServer(t, make(chan struct{}), started), Options{})
	p.send(t, initialize)
	p.next(t)
	p.send(t, callMsg(7, "block", `{}`))
	if s := <-started; s != "block" {
		t.Fatal(s)
	}
	p.send(t, `{"jsonrpc":"2.0","method":"notifications/cancelled","params":{"requestId":7,"reason":"user"}}`)
	select {
	case s := <-started:
		if s != "cancelled" {
			t.Fatal(s)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler's context was not cancelled")
	}
	// The next answer is the ping's, not the cancelled call's.
	p.send(t, `{"jsonrpc":"2.0","id":8,"method":"ping"}`)
	if m := p.next(t); m["id"].(float64) != 8 {
		t.Fatalf("got %v, want the ping's answer", m)
	}
}

func TestSlowCallsDoNotBlockPing(t *testing.T) {
	release := make(chan struct{})
	started := make(chan string, 64)
	p := startPipe(t, testServer(t, release, started), Options{MaxConcurrentCalls: 4})
	p.send(t, initialize)
	p.next(t)
	for i := 1; i <= 20; i++ {
		p.send(t, callMsg(i, "block", `{}`))
	}
	for i := 0; i < 4; i++ {
		<-started
	}
	p.send(t, `{"jsonrpc":"2.0","id":100,"method":"ping"}`)
	p.send(t, `{"jsonrpc":"2.0","id":101,"method":"tools/list"}`)
	// Both are answered while every call slot is taken, in either order.
	quick := map[float64]bool{}
	for range 2 {
		m := p.next(t)
		id, _ := m["id"].(float64)
		if (id != 100 && id != 101) || quick[id] {
			t.Fatalf("got %v, want the answers to 100 and 101", m)
		}
		quick[id] = true
	}
	go func() {
		for range started {
		}
	}()
	close(release)
	seen := map[float64]bool{}
	for len(seen) < 20 {
		seen[p.next(t)["id"].(float64)] = true
	}
}

func TestDrainTimeoutAnswersCutOffCalls(t *testing.T) {
	started := make(chan string, 4)
	p := startPipe(t, testServer(t, make(chan struct{}), started), Options{DrainTimeout: 50 * time.Millisecond})
	p.send(t, initialize)
	p.next(t)
	p.send(t, callMsg(1, "block", `{}`))
	<-started
	p.in.Close()
	msgs := p.rest(t)
	if len(msgs) != 1 {
		t.Fatalf("got %d messages, want 1: %v", len(msgs), msgs)
	}
	res := msgs[0]["result"].(map[string]any)
	text := res["content"].([]any)[0].(map[string]any)["text"].(string)
	if res["isError"] != true || !strings.HasPrefix(text, "Client disconnected") {
		t.Fatalf("got %v", res)
	}
}

func TestLargeMessagesAndParseErrors(t *testing.T) {
	p := startPipe(t, testServer(t, nil, nil), Options{MaxMessageBytes: 8 << 20})
	p.send(t, initialize)
	p.next(t)
	big := strings.Repeat("x", 5<<20)
	p.send(t, callMsg(1, "echo", fmt.Sprintf(`{"text":%q}`, big)))
	m := p.next(t)
	text := m["result"].(map[string]any)["content"].([]any)[0].(map[string]any)["text"].(string)
	if len(text) != len(big) {
		t.Fatalf("echo of %d bytes came back with %d", len(big), len(text))
	}
	p.send(t, `{not json`)
	if m := p.next(t); m["error"].(map[string]any)["code"].(float64) != mcp.PARSE_ERROR {
		t.Fatalf("got %v", m)
	}
	p.send(t, `{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"echo","arguments":{"text":"`+strings.Repeat("y", 9<<20)+`"}}}`)
	if m := p.next(t); m["error"].(map[string]any)["code"].(float64) != mcp.PARSE_ERROR {
		t.Fatalf("got %v", m)
	}
	p.send(t, `{"jsonrpc":"2.0","id":3,"method":"ping"}`)
	if m := p.next(t); m["id"].(float64) != 3 {
		t.Fatalf("session did not survive: %v", m)
	}
}

func TestTwoConnectionsInOneProcess(t *testing.T) {
	var wg sync.WaitGroup
	for c := 0; c < 3; c++ {
		wg.Add(1)
		go func(c int) {
			defer wg.Done()
			s := testServer(t, nil, nil)
			var out bytes.Buffer
			var in strings.Builder
			in.WriteString(initialize + "\n")
			for i := 1; i <= 10; i++ {
				in.WriteString(fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"tools/call","params":{"name":"progress","arguments":{},"_meta":{"progressToken":"c%d"}}}`+"\n", i, c))
			}
			if err := Serve(context.Background(), s, strings.NewReader(in.String()), &out, Options{}); err != nil {
				t.Error(err)
			}
			if n := strings.Count(out.String(), fmt.Sprintf(`"progressToken":"c%d"`, c)); n != 30 {
				t.Errorf("connection %d saw %d of its 30 notifications", c, n)
			}
		}(c)
	}
	wg.Wait()
}

// TestProtocolEdges: ids above 2^53 come back unchanged, a null id and a
// batch get -32600, and the session goes on.
func TestProtocolEdges(t *testing.T) {
	p := startPipe(t, testServer(t, nil, nil), Options{})
	p.send(t, initialize)
	p.next(t)
	p.send(t, `{"jsonrpc":"2.0","id":9007199254740993,"method":"ping"}`)
	if !p.out.Scan() || !strings.Contains(p.out.Text(), `"id":9007199254740993`) {
		t.Errorf("big id: %s", p.out.Text())
	}
	p.send(t, `{"jsonrpc":"2.0","id":null,"method":"ping"}`)
	if m := p.next(t); m["error"].(map[string]any)["code"].(float64) != mcp.INVALID_REQUEST {
		t.Errorf("null id: %v", m)
	}
	p.send(t, `[{"jsonrpc":"2.0","id":5,"method":"ping"}]`)
	m := p.next(t)
	if e := m["error"].(map[string]any); e["code"].(float64) != mcp.INVALID_REQUEST || e["message"] != "JSON-RPC batches are not supported: send one message per line" {
		t.Errorf("batch: %v", m)
	}
	p.send(t, `{"jsonrpc":"2.0","id":"after","method":"ping"}`)
	if m := p.next(t); m["id"] != "after" {
		t.Errorf("session did not go on: %v", m)
	}
}
