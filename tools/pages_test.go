package tools

import (
	"strings"
	"testing"
)

func TestPageCounterAcrossChunks(t *testing.T) {
	doc := "%PDF-1.4\n1 0 obj <</Type /Pages /Count 3>> endobj\n" +
		"2 0 obj <</Type /Page /Parent 1 0 R>> endobj\n" +
		"3 0 obj <</Type/Page/Parent 1 0 R>> endobj\n" +
		"4 0 obj <</Type  \n/Page>> endobj\n" +
		"5 0 obj <</Type /PageLabel>> endobj\n%%EOF\n"
	for size := 1; size <= len(doc); size++ {
		c := &pageCounter{}
		for i := 0; i < len(doc); i += size {
			c.Write([]byte(doc[i:min(i+size, len(doc))]))
		}
		if c.pages != 3 {
			t.Fatalf("chunks of %d bytes: %d pages, want 3", size, c.pages)
		}
	}
	big, small := []byte(strings.Repeat(doc, 100)), []byte(doc)
	c := &pageCounter{}
	if n := testing.AllocsPerRun(100, func() {
		c.Write(big)
		c.Write(small)
	}); n != 0 {
		t.Errorf("%v allocations per run", n)
	}
}
