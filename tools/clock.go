package tools

import (
	"context"
	"time"
)

// Clock is the time source of tools that wait: the background export
// polls on it. Tests substitute a clock that advances instantly.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// Sleep waits for d, or returns ctx's error when ctx ends first.
	Sleep(ctx context.Context, d time.Duration) error
}

// realClock is the wall clock.
type realClock struct{}

func (realClock) Now() time.Time { return time.Now() }

func (realClock) Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// DefaultExportWait keeps a call that waits for a background export well
// under the ~60 s after which MCP clients give up.
const DefaultExportWait = 25 * time.Second

func (d *Deps) clock() Clock {
	if d.Clock == nil {
		return realClock{}
	}
	return d.Clock
}

func (d *Deps) exportWait() time.Duration {
	if d.ExportWait <= 0 {
		return DefaultExportWait
	}
	return d.ExportWait
}
