package pdftext

import (
	"bytes"
	"context"
	"testing"
)

// BenchmarkExtract reads the text of the 2-page Chromium fixture.
func BenchmarkExtract(b *testing.B) {
	for _, name := range []string{"statement.pdf", "statement-objstm.pdf"} {
		pdf, err := readTestdata(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Extract(context.Background(), bytes.NewReader(pdf), int64(len(pdf)), Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
