package tools

import "context"

// localClientKey marks a context whose MCP client runs on this machine.
type localClientKey struct{}

// WithLocalClient marks ctx as serving an MCP client that runs on this
// machine as the same user, which is what a stdio connection is. Only then
// do the tools save documents in the client's roots (its project folder)
// or in a folder the call names.
//
// A transport that serves remote clients (HTTP, SSE) must not set it: a
// remote client must not steer where the server writes, so without the
// mark documents always go to the output folder. The mark is a context
// value; set it on the context a transport hands to mcp-go.
func WithLocalClient(ctx context.Context) context.Context {
	return context.WithValue(ctx, localClientKey{}, true)
}

// LocalClient reports whether ctx was marked by WithLocalClient.
func LocalClient(ctx context.Context) bool {
	local, _ := ctx.Value(localClientKey{}).(bool)
	return local
}
