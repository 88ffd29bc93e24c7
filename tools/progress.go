package tools

import (
	"context"
	"log/slog"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// progress sends notifications/progress for one tool call, and only when
// the client asked for them by giving the request a progressToken.
type progress struct {
	ctx   context.Context
	token mcp.ProgressToken
	steps int
	log   *slog.Logger
}

// progress returns the progress reporter of the call.
func (e *Env) progress(ctx context.Context) *progress {
	p := &progress{ctx: ctx, log: e.deps.logger()}
	if m := e.req.Params.Meta; m != nil {
		// Echoed as received: a string stays a string and a number a
		// number. (mcp-go decodes a numeric token into a float64, which
		// keeps every integer up to 2^53 exact.)
		p.token = m.ProgressToken
	}
	return p
}

// step reports one more step with a message for people. progress counts
// the steps 1, 2, 3, …, so it strictly increases; there is no total, since
// how long CxReports will take is unknown. A notification that cannot be
// sent is logged and otherwise ignored: progress is a courtesy.
func (p *progress) step(message string) {
	if p.token == nil {
		return
	}
	srv := server.ServerFromContext(p.ctx)
	if srv == nil {
		return
	}
	p.steps++
	err := srv.SendNotificationToClient(p.ctx, string(mcp.MethodNotificationProgress), map[string]any{
		"progressToken": p.token,
		"progress":      p.steps,
		"message":       message,
	})
	if err != nil {
		p.log.Debug("progress notification not sent", "err", err)
	}
}
