package toolargs

import (
	"context"
	"encoding/json"
	"testing"
)

func TestGuardKeepsUnparsableArguments(t *testing.T) {
	msg := []byte(`{"jsonrpc":"2.0","id":7,"method":"tools/call","params":{"name":"list_reports","arguments":{"limit":1e309,"x":[-1E400]},"_meta":{"progressToken":"p"}}}`)
	ctx, out := Guard(context.Background(), msg)
	want := `{"id":7,"jsonrpc":"2.0","method":"tools/call","params":{"_meta":{"progressToken":"p"},"arguments":{},"name":"list_reports"}}`
	if string(out) != want {
		t.Errorf("message\n got %s\nwant %s", out, want)
	}
	raw, ok := Original(ctx)
	if !ok || string(raw) != `{"limit":1e309,"x":[-1E400]}` {
		t.Errorf("original arguments %q, %v", raw, ok)
	}
	var v any
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatal(err)
	}
}

func TestGuardLeavesOtherMessagesAlone(t *testing.T) {
	for _, msg := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"limit":1e308}}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":"1e309"}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/list","params":{"cursor":1e309}}`,
		`{"jsonrpc":"2.0","id":1,"method":"ping","params":{"note":"tools/call","n":1e309}}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":[1e309]}`,
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"arguments":{"a":1e309}`,
		`not json "tools/call"`,
	} {
		ctx := context.Background()
		gotCtx, out := Guard(ctx, []byte(msg))
		if string(out) != msg || gotCtx != ctx {
			t.Errorf("Guard changed %s into %s", msg, out)
		}
		if _, ok := Original(gotCtx); ok {
			t.Errorf("Guard kept arguments of %s", msg)
		}
	}
}
