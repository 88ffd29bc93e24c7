// Package pdftext extracts the text of a PDF page by page, for a model to
// read: lines in the order the document draws them, table cells separated
// by tabs, typographic ligatures spelled out, and the whole capped in pages
// and characters with a note saying what was left out.
//
// It reads the PDF with github.com/ledongthuc/pdf (see COMPARISON.md for
// why). That parser panics on malformed input and can loop on cyclic
// structures, so Extract recovers panics, walks the page tree itself with
// bounds, and reads the file through a guard that stops after a read
// budget or when the context ends. Nothing here runs at package init.
package pdftext

import (
	"context"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"unicode/utf8"

	"github.com/ledongthuc/pdf"
)

// Default caps of an extraction.
const (
	// DefaultMaxPages is the most pages read when Options.MaxPages is 0.
	DefaultMaxPages = 50
	// DefaultMaxChars is the most characters returned when Options.MaxChars
	// is 0: about 5,000 tokens.
	DefaultMaxChars = 20000
)

// Errors of Extract, for errors.Is. The error's text says more.
var (
	// ErrNotPDF: the input does not start like a PDF file.
	ErrNotPDF = errors.New("not a PDF file")
	// ErrEncrypted: the PDF needs a password.
	ErrEncrypted = errors.New("the PDF is encrypted")
	// ErrMalformed: the PDF could not be parsed.
	ErrMalformed = errors.New("malformed PDF")
)

// Options caps an extraction. Zero values take the defaults.
type Options struct {
	// MaxPages is the most pages read, from the first.
	MaxPages int
	// MaxChars is the most characters (Unicode code points) returned over
	// all pages, newlines included.
	MaxChars int
}

func (o Options) withDefaults() Options {
	if o.MaxPages <= 0 {
		o.MaxPages = DefaultMaxPages
	}
	if o.MaxChars <= 0 {
		o.MaxChars = DefaultMaxChars
	}
	return o
}

// Page is the text of one page.
type Page struct {
	// Number is the page's 1-based position in the document.
	Number int
	// Text is the page's lines, each ending in a newline; empty when the
	// page draws no text (a scan, say).
	Text string
	// Unreadable is set when this page's content could not be parsed; the
	// other pages are still read.
	Unreadable bool
}

// Text is the text of a document.
type Text struct {
	// Pages are the pages read, in order; possibly fewer than PageCount.
	Pages []Page
	// PageCount is the number of pages the document has.
	PageCount int
	// Truncated is set when some text was left out.
	Truncated bool
	// Note says, in one sentence, what was left out; empty unless Truncated.
	Note string
}

// Chars returns the number of characters in all pages.
func (t *Text) Chars() int {
	n := 0
	for _, p := range t.Pages {
		n += utf8.RuneCountInString(p.Text)
	}
	return n
}

// Extract reads the text of the PDF in r (size bytes long), within the
// caps of opts. It never panics; a damaged page is marked Unreadable and
// the rest are still read. It returns an error wrapping ErrNotPDF,
// ErrEncrypted or ErrMalformed when the document cannot be opened, and
// ctx.Err() when ctx ends first.
func Extract(ctx context.Context, r io.ReaderAt, size int64, opts Options) (*Text, error) {
	opts = opts.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	head := make([]byte, 5)
	if n, _ := r.ReadAt(head, 0); n < len(head) || string(head) != "%PDF-" {
		return nil, ErrNotPDF
	}
	g := &guardedReader{r: headerFix{r}, ctx: ctx}
	// Checking the cross-reference sections reads each at most once.
	g.allow(maxXrefSections * int(min(size/4096+2, 1<<20)))
	if err := checkXref(g, size); err != nil {
		return nil, err
	}
	if err := g.stopped(); err != nil {
		return nil, err
	}
	g.allow(openReads)
	doc, err := open(g, size)
	if err != nil {
		if g.stopped() != nil {
			return nil, g.stopped()
		}
		return nil, err
	}
	g.allow(walkReads*opts.MaxPages + openReads)
	pages, count, err := collectPages(doc, opts.MaxPages)
	if err != nil {
		if g.stopped() != nil {
			return nil, g.stopped()
		}
		return nil, err
	}
	t := &Text{PageCount: count}
	left := opts.MaxChars
	for i, p := range pages {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		g.allow(pageReads)
		s, ok := pageText(p)
		if stop := g.stopped(); stop != nil {
			if ctx.Err() != nil {
				return nil, ctx.Err()
			}
			t.Truncated = true
			t.Note = fmt.Sprintf("Stopped at page %d of %d: the PDF is too complex to read further.", i+1, count)
			return t, nil
		}
		n := utf8.RuneCountInString(s)
		if n > left {
			if part := cut(s, left); part != "" {
				t.Pages = append(t.Pages, Page{Number: i + 1, Text: part})
			}
			t.Truncated = true
			t.Note = fmt.Sprintf("Text cut at %d characters, in page %d of %d.", opts.MaxChars, i+1, count)
			return t, nil
		}
		left -= n
		t.Pages = append(t.Pages, Page{Number: i + 1, Text: s, Unreadable: !ok})
	}
	if len(pages) < count {
		t.Truncated = true
		t.Note = fmt.Sprintf("Only the first %d of %d pages were read.", len(pages), count)
	}
	return t, nil
}

// open parses the PDF's cross-reference data.
func open(r io.ReaderAt, size int64) (doc *pdf.Reader, err error) {
	defer func() {
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("%w: %s", ErrMalformed, detail(p))
		}
	}()
	doc, err = pdf.NewReader(r, size)
	switch {
	case err == nil:
		return doc, nil
	case errors.Is(err, pdf.ErrInvalidPassword), strings.Contains(err.Error(), "encrypt"):
		return nil, fmt.Errorf("%w: %v", ErrEncrypted, err)
	}
	return nil, fmt.Errorf("%w: %s", ErrMalformed, detail(err))
}

// detail words a parser failure: its own message, or for a crash inside
// the parser (an index out of range, say) what that means for the user.
func detail(failure any) string {
	if re, ok := failure.(runtime.Error); ok {
		return "the file is damaged or incomplete (" + re.Error() + ")"
	}
	return strings.TrimPrefix(fmt.Sprint(failure), "malformed PDF: ")
}

// headerFix shows the parser the header "%PDF-1.7\n" in place of the
// file's own first nine bytes. The parser refuses any header but
// %PDF-1.0 to %PDF-1.7 followed by a line break, so PDF 2.0 files and
// headers followed by a comment on the same line would be refused,
// although nothing else reads those bytes: objects are found through the
// cross-reference offsets. Extract checks the "%PDF-" prefix itself.
type headerFix struct{ r io.ReaderAt }

const parserHeader = "%PDF-1.7\n"

func (h headerFix) ReadAt(p []byte, off int64) (int, error) {
	n, err := h.r.ReadAt(p, off)
	if off < int64(len(parserHeader)) {
		copy(p[:n], parserHeader[off:])
	}
	return n, err
}

// pageText returns the text of one page, or false when its content could
// not be parsed or is too large to.
func pageText(p pdf.Page) (s string, ok bool) {
	defer func() {
		if recover() != nil {
			s, ok = "", false
		}
	}()
	if contentTooLarge(p) {
		return "", false
	}
	return layout(p.Content().Text), true
}

// cut returns the first n runes of s, ending at a line break when one is
// near the end, so that a cut rarely splits a line.
func cut(s string, n int) string {
	end := len(s)
	for i := range s {
		if n == 0 {
			end = i
			break
		}
		n--
	}
	s = s[:end]
	if i := strings.LastIndexByte(s, '\n'); i >= 0 && i >= len(s)*4/5 {
		return s[:i+1]
	}
	return s
}
