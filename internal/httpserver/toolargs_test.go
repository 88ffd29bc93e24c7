package httpserver

import (
	"strings"
	"testing"
)

// TestUnusableNumberOverHTTP: a tools/call whose arguments mcp-go cannot
// parse (1e309) is answered by the tool's own validation, naming the
// argument, not by a -32600 about Go types.
func TestUnusableNumberOverHTTP(t *testing.T) {
	st := newStack(t)
	_, base := st.serve(t, Options{})
	id := initialize(t, base, nil)
	r := do(t, "POST", base+"/mcp", map[string]string{"Mcp-Session-Id": id},
		`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_reports","arguments":{"limit":1e309}}}`)
	if r.status != 200 || !strings.Contains(r.body, `"isError":true`) || !strings.Contains(r.body, `argument \"limit\"`) {
		t.Fatalf("%d %s", r.status, r.body)
	}
}
