package pdftext

import (
	"bytes"
	"context"
	"errors"
	"os"
	"strings"
	"testing"
)

// The committed fixtures, made as README.md in testdata says:
// statement.pdf is Chromium's print-to-PDF of statement.html (CID
// TrueType subset fonts with ToUnicode maps, Flate streams, ligatures);
// statement-objstm.pdf is the same file rewritten with compressed object
// streams and a cross-reference stream; encrypted.pdf is AES-256 encrypted.

// Chromium draws the table row by row, cell by cell; the ligature glyphs
// of "Office", "fiscal", "final", "workflow" come out spelled, and the
// superscript of "1er" stays on its line.
const statementPage1 = "Relevé de compte\n" +
	"Titulaire : Jürgen Müller, Straße des 17. Juni 4, 10623 Berlin\n" +
	"Compte n° 987654321 — période du 1er au 31 mars 2026\n" +
	"Date\tLibellé\tMontant\n" +
	"2026-03-02\tCafé de Flore\t−12,50 €\n" +
	"2026-03-09\tOffice fiscal, affiliation\t−240,00 €\n" +
	"2026-03-15\tSalaire mars\t3 150,00 €\n" +
	"2026-03-28\tŁódź Śródmieście — Zażółć gęślą jaźń\t−87,35 €\n" +
	"Solde final : 2 810,15 €\n" +
	"The first official statement; its efficient workflow needs no further action.\n"

const statementPage2 = "Page two: summary\n" +
	"Total credits 3 150,00 € and total debits 339,85 €.\n" +
	"Grüße aus München — ¡Hasta luego!\n"

func extractBytes(t *testing.T, b []byte, opts Options) (*Text, error) {
	t.Helper()
	return Extract(context.Background(), bytes.NewReader(b), int64(len(b)), opts)
}

func readFixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := readTestdata(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func readTestdata(name string) ([]byte, error) { return os.ReadFile("testdata/" + name) }

func TestChromiumPDF(t *testing.T) {
	for _, name := range []string{"statement.pdf", "statement-objstm.pdf"} {
		t.Run(name, func(t *testing.T) {
			got, err := extractBytes(t, readFixture(t, name), Options{})
			if err != nil {
				t.Fatal(err)
			}
			want := &Text{PageCount: 2, Pages: []Page{{Number: 1, Text: statementPage1}, {Number: 2, Text: statementPage2}}}
			assertText(t, got, want)
			if n := got.Chars(); n != 535 {
				t.Errorf("Chars() = %d, want 535", n)
			}
		})
	}
}

func TestFixtureIsChromiums(t *testing.T) {
	// Guard against replacing the fixture with something easier: it must
	// stay a Chromium (Skia) PDF with embedded subset CID fonts.
	b := readFixture(t, "statement.pdf")
	for _, want := range []string{"/Producer (Skia/PDF", "HeadlessChrome", "/Subtype /Type0", "/Encoding /Identity-H", "/ToUnicode", "AAAAAA+LiberationSans-Bold", "/FlateDecode"} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("statement.pdf lacks %q", want)
		}
	}
	if b := readFixture(t, "statement-objstm.pdf"); !bytes.Contains(b, []byte("/ObjStm")) || !bytes.Contains(b, []byte("/XRef")) {
		t.Error("statement-objstm.pdf has no object streams or no cross-reference stream")
	}
	for _, name := range []string{"statement.pdf", "statement-objstm.pdf", "encrypted.pdf"} {
		if n := len(readFixture(t, name)); n > 100<<10 {
			t.Errorf("%s is %d bytes; keep fixtures under 100 KiB", name, n)
		}
	}
}

func TestCharacterCap(t *testing.T) {
	b := readFixture(t, "statement.pdf")
	// 120 characters end inside the third line; the cut goes back to the
	// end of the second line only when that is near, so here it does not.
	got, err := extractBytes(t, b, Options{MaxChars: 120})
	if err != nil {
		t.Fatal(err)
	}
	assertText(t, got, &Text{
		PageCount: 2,
		Pages:     []Page{{Number: 1, Text: "Relevé de compte\nTitulaire : Jürgen Müller, Straße des 17. Juni 4, 10623 Berlin\nCompte n° 987654321 — période du 1er au "}},
		Truncated: true,
		Note:      "Text cut at 120 characters, in page 1 of 2.",
	})
	// Ending just after a line break keeps whole lines.
	got, _ = extractBytes(t, b, Options{MaxChars: 82})
	if want := "Relevé de compte\nTitulaire : Jürgen Müller, Straße des 17. Juni 4, 10623 Berlin\n"; len(got.Pages) != 1 || got.Pages[0].Text != want {
		t.Errorf("cut at 82: %+v", got.Pages)
	}
	// A cap reached exactly at the end of page 1 leaves page 2 out and says so.
	got, _ = extractBytes(t, b, Options{MaxChars: len([]rune(statementPage1))})
	assertText(t, got, &Text{
		PageCount: 2,
		Pages:     []Page{{Number: 1, Text: statementPage1}},
		Truncated: true,
		Note:      "Text cut at 431 characters, in page 2 of 2.",
	})
}

func TestPageCap(t *testing.T) {
	got, err := extractBytes(t, readFixture(t, "statement-objstm.pdf"), Options{MaxPages: 1})
	if err != nil {
		t.Fatal(err)
	}
	assertText(t, got, &Text{
		PageCount: 2,
		Pages:     []Page{{Number: 1, Text: statementPage1}},
		Truncated: true,
		Note:      "Only the first 1 of 2 pages were read.",
	})
}

func TestPDF20Header(t *testing.T) {
	// The parser itself refuses anything but %PDF-1.0 to 1.7; Extract
	// reads PDF 2.0 files and headers with a comment on the same line.
	for _, header := range []string{"%PDF-2.0", "%PDF-1.4"} {
		b := bytes.Clone(readFixture(t, "statement.pdf"))
		copy(b, header)
		if header == "%PDF-1.4" {
			// "%PDF-1.4" plus a space where the line break was.
			b[8] = ' '
		}
		got, err := extractBytes(t, b, Options{})
		if err != nil {
			t.Fatalf("%q: %v", b[:9], err)
		}
		if got.Pages[0].Text != statementPage1 {
			t.Errorf("%q: page 1 = %q", b[:9], got.Pages[0].Text)
		}
	}
}

func TestNotAPDF(t *testing.T) {
	statement := readFixture(t, "statement.pdf")
	for _, tc := range []struct {
		name  string
		input []byte
		want  error
		text  string
	}{
		{"empty", nil, ErrNotPDF, "not a PDF file"},
		{"html login page", []byte("<!DOCTYPE html><html><body>Sign in</body></html>"), ErrNotPDF, "not a PDF file"},
		{"zip", []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00"), ErrNotPDF, "not a PDF file"},
		{"header only", []byte("%PDF-1.4\n"), ErrMalformed, "malformed PDF: the file is damaged or incomplete (runtime error: slice bounds out of range [-91:])"},
		{"garbage after header", append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xde, 0xad, 0xbe, 0xef}, 300)...), ErrMalformed, "malformed PDF: not a PDF file: missing %%EOF"},
		{"first half", statement[:len(statement)/2], ErrMalformed, "malformed PDF: not a PDF file: missing %%EOF"},
		{"no xref", append(bytes.Repeat([]byte("%PDF-1.4\n"), 20), "startxref\n999999\n%%EOF\n"...), ErrMalformed, "malformed PDF: reading at offset 999999: EOF"},
		{"encrypted", readFixture(t, "encrypted.pdf"), ErrEncrypted, "the PDF is encrypted: malformed PDF: 256-bit encryption key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := extractBytes(t, tc.input, Options{})
			if !errors.Is(err, tc.want) || got != nil {
				t.Fatalf("got %v, %v; want %v", got, err, tc.want)
			}
			if !strings.HasPrefix(err.Error(), tc.text) {
				t.Errorf("error %q, want it to start with %q", err, tc.text)
			}
		})
	}
}

func TestCancelled(t *testing.T) {
	b := readFixture(t, "statement.pdf")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Extract(ctx, bytes.NewReader(b), int64(len(b)), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	// Cancelled while reading: the guard fails the next read.
	ctx, cancel = context.WithCancel(context.Background())
	r := &cancelAfter{r: bytes.NewReader(b), reads: 3, cancel: cancel}
	if _, err := Extract(ctx, r, int64(len(b)), Options{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
}

// cancelAfter cancels a context after some reads.
type cancelAfter struct {
	r      *bytes.Reader
	reads  int
	cancel context.CancelFunc
}

func (c *cancelAfter) ReadAt(p []byte, off int64) (int, error) {
	if c.reads--; c.reads == 0 {
		c.cancel()
	}
	return c.r.ReadAt(p, off)
}

func assertText(t *testing.T, got, want *Text) {
	t.Helper()
	if got.PageCount != want.PageCount || got.Truncated != want.Truncated || got.Note != want.Note || len(got.Pages) != len(want.Pages) {
		t.Fatalf("got %d pages of %d, truncated %v, note %q; want %d of %d, %v, %q",
			len(got.Pages), got.PageCount, got.Truncated, got.Note, len(want.Pages), want.PageCount, want.Truncated, want.Note)
	}
	for i := range want.Pages {
		if got.Pages[i] != want.Pages[i] {
			t.Errorf("page %d:\n got %d %v %q\nwant %d %v %q", i+1, got.Pages[i].Number, got.Pages[i].Unreadable, got.Pages[i].Text, want.Pages[i].Number, want.Pages[i].Unreadable, want.Pages[i].Text)
		}
	}
}
