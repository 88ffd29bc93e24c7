package app

import (
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
)

// callProgressToken is the progressToken `call` sends with its request.
const callProgressToken = "cxreports-mcp-call"

// progressPrinter shows the progress notifications of one tool call on a
// terminal stream (stderr: stdout carries the result), one line each,
// until stop. Notifications that arrive after stop are dropped.
type progressPrinter struct {
	mu    sync.Mutex
	w     io.Writer
	token string
	done  bool
}

func newProgressPrinter(w io.Writer, token string) *progressPrinter {
	return &progressPrinter{w: w, token: token}
}

// handle is the client's notification handler.
func (p *progressPrinter) handle(n mcp.JSONRPCNotification) {
	if n.Method != string(mcp.MethodNotificationProgress) {
		return
	}
	f := n.Params.AdditionalFields
	if tok, _ := f["progressToken"].(string); tok != p.token {
		return
	}
	line, _ := f["message"].(string)
	if line == "" {
		line = fmt.Sprint(f["progress"])
		if total, ok := f["total"]; ok {
			line += fmt.Sprint(" of ", total)
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.done {
		fmt.Fprintf(p.w, "… %s\n", line)
	}
}

// stop ends the printing; the result follows.
func (p *progressPrinter) stop() {
	p.mu.Lock()
	p.done = true
	p.mu.Unlock()
}

// hasPreviewLink reports whether a result's text holds a preview link to
// the sandbox at base.
func hasPreviewLink(res *mcp.CallToolResult, base string) bool {
	for _, c := range res.Content {
		if t, ok := c.(mcp.TextContent); ok {
			for _, field := range strings.Fields(t.Text) {
				if rest, ok := strings.CutPrefix(field, base+"/ws/"); ok && strings.Contains(rest, "/preview") {
					return true
				}
			}
		}
	}
	return false
}
