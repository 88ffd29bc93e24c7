package tools

import (
	"context"
	"log/slog"
	"sync"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// progress sends notifications/progress for one tool call, and only when
// the client asked for them by giving the request a progressToken.
type progress struct {
	ctx   context.Context
	token mcp.ProgressToken
	log   *slog.Logger

	mu   sync.Mutex // the steps of a batch and downloads report at once
	last float64    // the last progress sent
}

// progress returns the progress reporter of the call: one per call, so
// that every source of progress in it (export polls, downloads, the items
// of a batch) shares one strictly increasing sequence.
func (e *Env) progress(ctx context.Context) *progress {
	e.progOnce.Do(func() {
		e.prog = &progress{ctx: ctx, log: e.deps.logger()}
		if m := e.req.Params.Meta; m != nil {
			// Echoed as received: a string stays a string and a number a
			// number. (mcp-go decodes a numeric token into a float64,
			// which keeps every integer up to 2^53 exact.)
			e.prog.token = m.ProgressToken
		}
	})
	return e.prog
}

// step reports one more step with a message for people. progress counts
// the steps 1, 2, 3, …, so it strictly increases; there is no total, since
// how long CxReports will take is unknown.
func (p *progress) step(message string) {
	p.mu.Lock()
	next := p.last + 1
	p.mu.Unlock()
	p.send(next, 0, message)
}

// enabled reports whether the client asked for progress.
func (p *progress) enabled() bool { return p.token != nil }

// send reports progress of total (0: unknown) with a message, unless it
// would not increase the progress. A notification that cannot be sent is
// logged and otherwise ignored: progress is a courtesy.
func (p *progress) send(progress, total float64, message string) {
	if p.token == nil {
		return
	}
	srv := server.ServerFromContext(p.ctx)
	if srv == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if progress <= p.last {
		return
	}
	p.last = progress
	params := map[string]any{
		"progressToken": p.token,
		"progress":      progress,
		"message":       message,
	}
	if total > 0 {
		params["total"] = total
	}
	if err := srv.SendNotificationToClient(p.ctx, string(mcp.MethodNotificationProgress), params); err != nil {
		p.log.Debug("progress notification not sent", "err", err)
	}
}
