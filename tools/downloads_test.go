package tools

import (
	"context"
	"errors"
	"testing"
)

// TestDownloadSlots: downloads beyond MaxDownloads wait (and give up with
// their context); a released slot is reused.
func TestDownloadSlots(t *testing.T) {
	d := &Deps{MaxDownloads: 1}
	release, err := d.downloadSlot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := d.downloadSlot(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("second slot: %v, want to wait until cancelled", err)
	}
	release()
	again, err := d.downloadSlot(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	again()
}
