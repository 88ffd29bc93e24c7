package tools

import (
	"context"
	"fmt"
	"io"
	"time"
)

// downloadProgressEvery spaces the progress of a download: a document that
// arrives within it reports none.
const downloadProgressEvery = time.Second

// downloadProgress passes a document download through to w and, when the
// call asked for progress, reports the bytes received so far (of the
// announced size, when known) at most once per downloadProgressEvery.
type downloadProgress struct {
	w     io.Writer
	p     *progress
	clock Clock
	total int64 // -1 until the size is known
	got   int64
	next  time.Time
}

// downloadProgress wraps w for the save path of a call; without a
// progressToken it returns w itself.
func (e *Env) downloadProgress(ctx context.Context, w io.Writer) io.Writer {
	p := e.progress(ctx)
	if !p.enabled() || ctx.Value(noDownloadProgress{}) != nil {
		return w
	}
	clock := e.deps.clock()
	return &downloadProgress{w: w, p: p, clock: clock, total: -1, next: clock.Now().Add(downloadProgressEvery)}
}

// ExpectSize implements cxapi.SizeReceiver.
func (d *downloadProgress) ExpectSize(n int64) { d.total = n }

func (d *downloadProgress) Write(b []byte) (int, error) {
	n, err := d.w.Write(b)
	d.got += int64(n)
	if now := d.clock.Now(); n > 0 && !now.Before(d.next) {
		d.next = now.Add(downloadProgressEvery)
		if d.total > 0 {
			d.p.send(float64(d.got), float64(d.total), fmt.Sprintf("Downloading: %s of %s.", humanBytes(d.got), humanBytes(d.total)))
		} else {
			d.p.send(float64(d.got), 0, fmt.Sprintf("Downloading: %s so far.", humanBytes(d.got)))
		}
	}
	return n, err
}

// noDownloadProgress marks a context whose downloads report no progress of
// their own: the items of a batch, which reports finished items instead.
type noDownloadProgress struct{}

// withoutDownloadProgress returns ctx marked with noDownloadProgress.
func withoutDownloadProgress(ctx context.Context) context.Context {
	return context.WithValue(ctx, noDownloadProgress{}, true)
}
