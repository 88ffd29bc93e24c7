// Package toolargs keeps the arguments of a tools/call request exactly as
// the client sent them when mcp-go cannot parse them.
//
// mcp-go decodes a call's arguments into Go values before any handler
// runs. A JSON number beyond the range of float64 (such as 1e309) makes it
// reject the whole request with -32600 "unparsable tools/call request", so
// the model never learns which argument was wrong. Transports pass each incoming message
// through [Guard] before handing it to mcp-go: for such a call, Guard
// returns the message with its arguments replaced by {} and a context that
// carries the original arguments ([Original]), which the tool's own
// validation then reports argument by argument, as an isError result.
//
// The stdio transport calls Guard before HandleMessage. An HTTP transport
// does the same in a middleware in front of mcp-go's handler, which takes
// its context from the request:
//
//	body, err := io.ReadAll(r.Body)
//	...
//	ctx, body := toolargs.Guard(r.Context(), body)
//	r = r.WithContext(ctx)
//	r.Body = io.NopCloser(bytes.NewReader(body))
//	r.ContentLength = int64(len(body))
package toolargs

import (
	"bytes"
	"context"
	"encoding/json"
)

type originalKey struct{}

// Guard inspects one incoming JSON-RPC message. When it is a tools/call
// request whose arguments mcp-go would refuse to parse, Guard returns a
// copy with "arguments": {} and ctx extended with the original arguments;
// otherwise it returns ctx and msg unchanged. It never fails: a message it
// cannot read is left for mcp-go to answer.
func Guard(ctx context.Context, msg []byte) (context.Context, []byte) {
	if !mayOverflow(msg) || !bytes.Contains(msg, []byte(`"tools/call"`)) {
		return ctx, msg
	}
	var top map[string]json.RawMessage
	if json.Unmarshal(msg, &top) != nil {
		return ctx, msg
	}
	var method string
	if json.Unmarshal(top["method"], &method) != nil || method != "tools/call" {
		return ctx, msg
	}
	var params map[string]json.RawMessage
	if json.Unmarshal(top["params"], &params) != nil {
		return ctx, msg
	}
	args, ok := params["arguments"]
	if !ok || parsable(args) {
		return ctx, msg
	}
	params["arguments"] = json.RawMessage(`{}`)
	p, err := json.Marshal(params)
	if err != nil {
		return ctx, msg
	}
	top["params"] = p
	out, err := json.Marshal(top)
	if err != nil {
		return ctx, msg
	}
	return context.WithValue(ctx, originalKey{}, append(json.RawMessage(nil), args...)), out
}

// mayOverflow reports whether msg may hold a number beyond float64: one
// with an exponent of three or more digits, or 300 digits in a row. It is
// a single pass without allocations, so that the messages of nearly every
// call (multi-megabyte ones included) are not parsed again. A false alarm
// (such a number inside a string) only costs the full check.
func mayOverflow(msg []byte) bool {
	digits := 0
	for i := 0; i < len(msg); i++ {
		c := msg[i]
		switch {
		case c >= '0' && c <= '9':
			digits++
			if digits >= 300 {
				return true
			}
		case (c == 'e' || c == 'E') && digits > 0:
			j := i + 1
			if j < len(msg) && (msg[j] == '+' || msg[j] == '-') {
				j++
			}
			n := 0
			for j < len(msg) && msg[j] >= '0' && msg[j] <= '9' {
				n++
				j++
			}
			if n >= 3 {
				return true
			}
			digits = 0
		default:
			digits = 0
		}
	}
	return false
}

// parsable reports whether mcp-go can decode args: it decodes them the
// same way (into an any).
func parsable(args json.RawMessage) bool {
	var v any
	return json.Unmarshal(args, &v) == nil
}

// Original returns the arguments that Guard took out of the call being
// handled, if it took any.
func Original(ctx context.Context) (json.RawMessage, bool) {
	raw, ok := ctx.Value(originalKey{}).(json.RawMessage)
	return raw, ok
}
