package toolargs

import (
	"context"
	"encoding/json"
	"strings"
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
		`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"a":"1e309 in a string","b":1e99}}}`,
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

func TestGuardFindsEveryOverflow(t *testing.T) {
	for _, n := range []string{"1e309", "-1E+400", "2.5e00309", strings.Repeat("9", 310), "0.1e999"} {
		msg := `{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"x","arguments":{"n":` + n + `}}}`
		if !mayOverflow([]byte(msg)) {
			t.Errorf("mayOverflow misses %s", n)
		}
		ctx, out := Guard(context.Background(), []byte(msg))
		if raw, ok := Original(ctx); !ok || string(raw) != `{"n":`+n+`}` || !strings.Contains(string(out), `"arguments":{}`) {
			t.Errorf("%s: Guard kept %q and sent %s", n, raw, out)
		}
	}
	for _, n := range []string{"-1E+99", "1.5", strings.Repeat("9", 299), "1e-99", "e999"} {
		if mayOverflow([]byte(`{"n":` + n + `}`)) {
			t.Errorf("mayOverflow flags %s", n)
		}
	}
}

func BenchmarkGuardMultiMegabyteCall(b *testing.B) {
	msg := []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"push_temporary_data","arguments":{"content":{"blob":"` + strings.Repeat("x", 5<<20) + `"}}}}`)
	b.SetBytes(int64(len(msg)))
	for b.Loop() {
		Guard(context.Background(), msg)
	}
}
