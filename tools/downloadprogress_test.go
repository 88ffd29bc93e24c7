package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
)

// tickingClock advances by step at every reading, so that a download
// "takes" step per write.
type tickingClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func (c *tickingClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(c.step)
	return c.now
}

func (c *tickingClock) Sleep(ctx context.Context, d time.Duration) error { return ctx.Err() }

func TestSynchronousDownloadReportsBytesAsProgress(t *testing.T) {
	clock := &tickingClock{now: time.Date(2026, 3, 31, 10, 0, 0, 0, time.UTC), step: 600 * time.Millisecond}
	h := newHarness(t, func(d *Deps) { d.Clock = clock })
	notes := collectProgress(h.client)

	// Without a progressToken: no progress, and the writer is not wrapped.
	h.ok("export_pdf", `{"report_type":"large-document","params":{"sizeMB":1}}`)
	if n := notes.count(); n != 0 {
		t.Fatalf("%d notifications without a progressToken", n)
	}

	req := mcp.CallToolRequest{}
	req.Params.Name = "export_pdf"
	req.Params.Arguments = json.RawMessage(`{"report_type":"large-document","params":{"sizeMB":1}}`)
	req.Params.Meta = &mcp.Meta{ProgressToken: 42}
	res, err := h.client.CallTool(context.Background(), req)
	if err != nil || res.IsError {
		t.Fatalf("call: %v %s", err, text(res))
	}
	st, err := os.Stat(filepath.Join(h.deps.OutputDir, "Large document-2.pdf"))
	if err != nil {
		t.Fatalf("saved file: %v\n%s", err, text(res))
	}
	size := float64(st.Size())
	got := notes.wait(t, 2)
	msg := regexp.MustCompile(`^Downloading: [0-9.]+ (KiB|MiB) of 1\.0 MiB\.$`)
	last := 0.0
	for i, n := range got {
		p, _ := n["progress"].(float64)
		if fmt.Sprint(n["progressToken"]) != "42" || n["total"] != size || p <= last || p > size || !msg.MatchString(fmt.Sprint(n["message"])) {
			t.Errorf("notification %d: %v (file %v bytes)", i, n, size)
		}
		last = p
	}
}
