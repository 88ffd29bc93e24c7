package pdftext

import (
	"bytes"
	"compress/zlib"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// buildPDF writes a PDF whose objects are objs (object i+1 is objs[i])
// with a correct cross-reference table; trailer is added to the trailer
// dictionary, where %d is replaced by the xref offset when asked.
func buildPDF(objs []string, trailer string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.4\n")
	offsets := make([]int, len(objs))
	for i, o := range objs {
		offsets[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	xref := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, off := range offsets {
		fmt.Fprintf(&b, "%010d 00000 n \n", off)
	}
	if bytes.Contains([]byte(trailer), []byte("%d")) {
		trailer = fmt.Sprintf(trailer, xref)
	}
	fmt.Fprintf(&b, "trailer\n<< /Size %d /Root 1 0 R %s >>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, trailer, xref)
	return b.Bytes()
}

const (
	catalog = "<< /Type /Catalog /Pages 2 0 R >>"
	font    = "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
)

func stream(s string) string {
	return fmt.Sprintf("<< /Length %d >>\nstream\n%s\nendstream", len(s), s)
}

func TestBuiltPDF(t *testing.T) {
	// The builder itself makes readable PDFs: the corrupt cases below
	// differ from this one only in what they break.
	b := buildPDF([]string{
		catalog,
		"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("BT /F1 12 Tf 72 720 Td (Hello, world) Tj ET"),
		font,
	}, "")
	got, err := extractBytes(t, b, Options{})
	if err != nil {
		t.Fatal(err)
	}
	assertText(t, got, &Text{PageCount: 1, Pages: []Page{{Number: 1, Text: "Hello, world\n"}}})
}

func TestCorruptPDFs(t *testing.T) {
	page := "<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>"
	hello := stream("BT /F1 12 Tf 72 720 Td (Hello) Tj ET")
	for _, tc := range []struct {
		name    string
		pdf     []byte
		want    *Text // nil: an error wrapping ErrMalformed
		errText string
	}{
		{
			name: "page tree node is its own kid",
			pdf:  buildPDF([]string{catalog, "<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>", page, hello, font}, ""),
			// The walk goes down the cycle to the depth limit, then meets
			// the page once per level on the way back.
			want: repeatPage("Hello\n", maxTreeDepth),
		},
		{
			name: "page is its own parent and has no resources",
			pdf:  buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", "<< /Type /Page /Parent 3 0 R /Contents 4 0 R >>", hello, font}, ""),
			want: &Text{PageCount: 1, Truncated: true, Note: "Stopped at page 1 of 1: the PDF is too complex to read further."},
		},
		{
			name:    "xref section is its own previous section",
			pdf:     buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, hello, font}, "/Prev %d"),
			errText: "malformed PDF: read budget exhausted",
		},
		{
			name: "graphics state restored more often than saved",
			pdf:  buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, stream("Q Q BT /F1 12 Tf (Hello) Tj ET"), font}, ""),
			want: &Text{PageCount: 1, Pages: []Page{{Number: 1, Unreadable: true}}},
		},
		{
			name:    "no page tree",
			pdf:     buildPDF([]string{"<< /Type /Catalog >>"}, ""),
			errText: "malformed PDF: no page tree",
		},
		{
			name:    "xref table claims 400 million objects",
			pdf:     bytes.Replace(buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page, hello, font}, ""), []byte("xref\n0 6\n"), []byte("xref\n400000000 6\n"), 1),
			errText: "malformed PDF: cross-reference section claims objects 400000000 to 400000006 in a file of 592 bytes",
		},
		{
			name:    "xref stream claims 400 million objects",
			pdf:     xrefStreamPDF("/Size 400000000 /W [1 2 1]"),
			errText: "malformed PDF: cross-reference stream claims 400000000 objects in a file of 131 bytes",
		},
		{
			name:    "xref stream index out of bounds",
			pdf:     xrefStreamPDF("/Size 3 /Index [0 1 99999999 2] /W [1 2 1]"),
			errText: "malformed PDF: cross-reference stream claims objects 99999999 to 99999999+2 in a file of 147 bytes",
		},
		{
			name:    "xref stream fields too wide",
			pdf:     xrefStreamPDF("/Size 3 /W [1 200000 1]"),
			errText: "malformed PDF: cross-reference stream has field widths [1 200000 1]",
		},
		{
			name: "content decompresses to 3 MiB",
			pdf: buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
				deflated("BT /F1 12 Tf (" + strings.Repeat("a", 3<<20) + ") Tj ET"), font}, ""),
			want: &Text{PageCount: 1, Pages: []Page{{Number: 1, Unreadable: true}}},
		},
		{
			name: "content decompresses to 512 KiB",
			pdf: buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page,
				deflated("BT /F1 12 Tf (" + strings.Repeat("a", 512<<10) + ") Tj ET"), font}, ""),
			want: &Text{PageCount: 1, Pages: []Page{{Number: 1, Text: strings.Repeat("a", DefaultMaxChars)}}, Truncated: true, Note: "Text cut at 20000 characters, in page 1 of 1."},
		},
		{
			name: "count lies",
			pdf:  buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 900 >>", page, hello, font}, ""),
			want: &Text{PageCount: 1, Pages: []Page{{Number: 1, Text: "Hello\n"}}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := extractBytes(t, tc.pdf, Options{})
			if tc.want == nil {
				if !errors.Is(err, ErrMalformed) || err.Error() != tc.errText {
					t.Fatalf("got %v, %v; want ErrMalformed %q", got, err, tc.errText)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			assertText(t, got, tc.want)
		})
	}
}

// xrefStreamPDF is a PDF whose cross-reference stream has the given
// dictionary entries (and no usable data: the guard must refuse it first).
func xrefStreamPDF(entries string) []byte {
	var b bytes.Buffer
	b.WriteString("%PDF-1.5\n")
	off := b.Len()
	fmt.Fprintf(&b, "1 0 obj\n<< /Type /XRef %s /Root 2 0 R /Length 4 >>\nstream\n\x01\x00\x00\x00\nendstream\nendobj\n", entries)
	fmt.Fprintf(&b, "startxref\n%d\n%%%%EOF\n", off)
	return b.Bytes()
}

// deflated is a Flate-compressed stream object holding s.
func deflated(s string) string {
	var z bytes.Buffer
	w := zlib.NewWriter(&z)
	w.Write([]byte(s))
	w.Close()
	return fmt.Sprintf("<< /Length %d /Filter /FlateDecode >>\nstream\n%s\nendstream", z.Len(), z.Bytes())
}

func repeatPage(text string, n int) *Text {
	t := &Text{PageCount: n}
	for i := range n {
		t.Pages = append(t.Pages, Page{Number: i + 1, Text: text})
	}
	return t
}

// FuzzExtract checks that no input makes Extract panic or hang, and that
// every failure is one of its errors. Seeds: the fixtures and small PDFs.
func FuzzExtract(f *testing.F) {
	for _, name := range []string{"statement.pdf", "statement-objstm.pdf", "encrypted.pdf"} {
		b, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add(buildPDF([]string{catalog, "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
		"<< /Type /Page /Parent 2 0 R /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
		stream("BT /F1 12 Tf 72 720 Td (Hello) Tj ET"), font}, ""))
	f.Add([]byte("%PDF-1.4\n%%EOF\n"))
	f.Fuzz(func(t *testing.T, b []byte) {
		got, err := extractBytes(t, b, Options{MaxPages: 5, MaxChars: 2000})
		switch {
		case err == nil:
			if got.Chars() > 2000 || len(got.Pages) > 5 {
				t.Fatalf("caps exceeded: %d chars, %d pages", got.Chars(), len(got.Pages))
			}
		case !errors.Is(err, ErrNotPDF) && !errors.Is(err, ErrMalformed) && !errors.Is(err, ErrEncrypted):
			t.Fatalf("unexpected error %v", err)
		}
	})
}
