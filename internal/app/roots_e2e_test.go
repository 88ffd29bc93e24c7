package app_test

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestStdioRootsAndResources drives the real binary as a client that
// shares a project folder (MCP roots) would: the server asks roots/list
// in the middle of a tool call, saves the export in the root, lists it
// with resources/list and serves its bytes with resources/read.
func TestStdioRootsAndResources(t *testing.T) {
	bin := buildBinary(t)
	out, project := t.TempDir(), t.TempDir()
	cmd := exec.Command(bin, "--demo", "--demo-addr", "127.0.0.1:0")
	cmd.Env = append(os.Environ(), "CXREPORTS_OUTPUT_DIR="+out, "CXREPORTS_TIMEZONE=UTC")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		stdin.Close()
		cmd.Wait()
	})
	sc := bufio.NewScanner(stdout)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	send := func(v any) {
		b, _ := json.Marshal(v)
		if _, err := stdin.Write(append(b, '\n')); err != nil {
			t.Fatal(err)
		}
	}
	rootsAsked := 0
	// request sends a request and returns its result, answering the
	// server's roots/list requests on the way.
	request := func(id int, method string, params any) map[string]any {
		t.Helper()
		send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
		for sc.Scan() {
			var m map[string]any
			if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
				t.Fatalf("stdout carried a line that is not JSON: %q", sc.Text())
			}
			if m["method"] == "roots/list" {
				rootsAsked++
				send(map[string]any{"jsonrpc": "2.0", "id": m["id"], "result": map[string]any{
					"roots": []any{map[string]any{"uri": (&url.URL{Scheme: "file", Path: project}).String(), "name": "project"}},
				}})
				continue
			}
			if n, ok := m["id"].(float64); ok && int(n) == id {
				if m["error"] != nil {
					t.Fatalf("%s: %v", method, m["error"])
				}
				return m["result"].(map[string]any)
			}
		}
		t.Fatalf("no answer to %s: %v", method, sc.Err())
		return nil
	}

	init := request(1, "initialize", map[string]any{
		"protocolVersion": "2025-11-25", "capabilities": map[string]any{"roots": map[string]any{"listChanged": true}},
		"clientInfo": map[string]any{"name": "e2e", "version": "1"},
	})
	if caps, _ := json.Marshal(init["capabilities"]); !strings.Contains(string(caps), `"resources":{}`) {
		t.Errorf("capabilities: %s", caps)
	}
	send(map[string]any{"jsonrpc": "2.0", "method": "notifications/initialized"})

	res := request(2, "tools/call", map[string]any{"name": "export_pdf", "arguments": map[string]any{"report_id": 1627}})
	text := res["content"].([]any)[0].(map[string]any)["text"].(string)
	path := filepath.Join(project, "Invoice.pdf")
	if res["isError"] == true || !strings.Contains(text, "\nPath: "+path+"\n") || !strings.HasSuffix(text, "\nSaved in the client's project folder (its first MCP root).") {
		t.Fatalf("export_pdf:\n%s", text)
	}
	file, err := os.ReadFile(path)
	if err != nil || rootsAsked != 1 {
		t.Fatalf("%v; roots asked %d times", err, rootsAsked)
	}

	list := request(3, "resources/list", map[string]any{})
	var found bool
	for _, r := range list["resources"].([]any) {
		found = found || r.(map[string]any)["uri"] == "cxreports://exports/Invoice.pdf"
	}
	if !found {
		t.Errorf("resources/list lacks the export: %v", list)
	}
	read := request(4, "resources/read", map[string]any{"uri": "cxreports://exports/Invoice.pdf"})
	c := read["contents"].([]any)[0].(map[string]any)
	blob, err := base64.StdEncoding.DecodeString(c["blob"].(string))
	if err != nil || c["mimeType"] != "application/pdf" || !bytes.Equal(blob, file) {
		t.Errorf("resources/read: %v, mimeType %v, %d bytes vs %d in the file", err, c["mimeType"], len(blob), len(file))
	}
	// The roots were asked for once in this session.
	request(5, "tools/call", map[string]any{"name": "export_pdf", "arguments": map[string]any{"report_id": 1627}})
	if _, err := os.Stat(filepath.Join(project, "Invoice-2.pdf")); err != nil || rootsAsked != 1 {
		t.Errorf("second export: %v; roots asked %d times", err, rootsAsked)
	}
}
