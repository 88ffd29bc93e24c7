package pdftext

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ledongthuc/pdf"
)

// The parser trusts a damaged file in three ways that no recover() can
// catch: it re-reads objects endlessly when references form a cycle, it
// sizes its cross-reference table by the object numbers the file claims
// (a claim of 400 million objects is a fatal out-of-memory error), and it
// keeps every glyph of a page's content in memory, however far that
// content decompresses. The guards in this file bound each one.

// Read budgets, in ReadAt calls. The parser keeps no object cache: it
// re-reads an object from the file on every access, in chunks of at most
// 4 KiB, so a reference cycle in a damaged file shows up as endless
// reading. Each phase of an extraction gets its own budget, and a spent
// budget fails every further read. Measured on real documents: opening
// takes 4–32 reads, a Chromium page 45–91.
const (
	openReads = 1000
	pageReads = 5000
	// walkReads is the page tree walk's budget per page wanted.
	walkReads = 64
	// maxTreeDepth bounds the depth of the page tree walked; real trees
	// are a few levels deep, cyclic ones are infinitely deep.
	maxTreeDepth = 32
)

// errReadBudget is what the guard returns once a budget is spent.
var errReadBudget = errors.New("read budget exhausted")

// guardedReader passes reads through until the context ends or the read
// budget is spent; after that every read fails, which makes the parser
// give up (it panics or returns an error).
type guardedReader struct {
	r    io.ReaderAt
	ctx  context.Context
	left int
	stop error
}

// allow sets the budget of the next phase.
func (g *guardedReader) allow(reads int) { g.left = reads }

func (g *guardedReader) ReadAt(p []byte, off int64) (int, error) {
	if g.stop != nil {
		return 0, g.stop
	}
	if err := g.ctx.Err(); err != nil {
		g.stop = err
		return 0, err
	}
	if g.left <= 0 {
		g.stop = errReadBudget
		return 0, g.stop
	}
	g.left--
	return g.r.ReadAt(p, off)
}

// stopped returns why the guard stopped reading: the context's error, or
// an ErrMalformed error for a spent budget; nil while reading goes on.
func (g *guardedReader) stopped() error {
	switch {
	case g.stop == nil:
		return nil
	case errors.Is(g.stop, errReadBudget):
		return fmt.Errorf("%w: %v", ErrMalformed, g.stop)
	}
	return g.stop
}

// maxContentBytes bounds the decompressed content of one page. A dense
// page of text is about 100 KiB (Chromium positions each glyph: about 25
// bytes a glyph); the parser holds about 100 bytes of memory per glyph.
const maxContentBytes = 1 << 20

// contentTooLarge reports whether the page's content streams decompress to
// more than maxContentBytes, reading them once to find out.
func contentTooLarge(p pdf.Page) bool {
	c := p.V.Key("Contents")
	streams := []pdf.Value{c}
	if c.Kind() == pdf.Array {
		streams = streams[:0]
		for i := 0; i < c.Len(); i++ {
			streams = append(streams, c.Index(i))
		}
	}
	var total int64
	for _, s := range streams {
		rd := s.Reader()
		n, _ := io.Copy(io.Discard, io.LimitReader(rd, maxContentBytes-total+1))
		rd.Close()
		if total += n; total > maxContentBytes {
			return true
		}
	}
	return false
}

// maxXrefSections bounds the chain of cross-reference sections checked.
const maxXrefSections = 64

// checkXref reads the cross-reference sections of a PDF the way the parser
// will (the last startxref, then each /Prev) and refuses object numbers
// beyond what a file of this size can hold: every object takes at least a
// few bytes, even compressed. It refuses only what it can see is out of
// bounds; anything it cannot make sense of is left to the parser to
// report.
func checkXref(r io.ReaderAt, size int64) error {
	limit := size/4 + 1<<16
	tail := make([]byte, min(size, 1024))
	n, _ := r.ReadAt(tail, size-int64(len(tail)))
	tail = tail[:n]
	i := bytes.LastIndex(tail, []byte("startxref"))
	if i < 0 {
		return nil
	}
	off, ok := intAt(tail[i+len("startxref"):])
	if !ok {
		return nil
	}
	seen := map[int64]bool{}
	for len(seen) < maxXrefSections && off > 0 && off < size && !seen[off] {
		seen[off] = true
		next, err := checkXrefSection(r, off, size, limit)
		if err != nil {
			return err
		}
		off = next
	}
	return nil
}

// intAt parses the decimal number at the start of b, after white space.
func intAt(b []byte) (int64, bool) {
	b = bytes.TrimLeft(b, " \t\r\n\f\x00")
	end := 0
	for end < len(b) && end < 18 && b[end] >= '0' && b[end] <= '9' {
		end++
	}
	if end == 0 {
		return 0, false
	}
	n, err := strconv.ParseInt(string(b[:end]), 10, 64)
	return n, err == nil
}

// entry returns what follows the first "/key" in dict that is followed by
// open (when open is not 0) after white space, and whether there is one.
func entry(dict []byte, key string, open byte) ([]byte, bool) {
	for rest := dict; ; {
		i := bytes.Index(rest, []byte("/"+key))
		if i < 0 {
			return nil, false
		}
		rest = rest[i+1+len(key):]
		v := bytes.TrimLeft(rest, " \t\r\n\f\x00")
		if open == 0 {
			if len(v) > 0 && v[0] >= '0' && v[0] <= '9' && len(v) < len(rest) {
				return v, true
			}
			continue
		}
		if len(v) > 0 && v[0] == open {
			if end := bytes.IndexByte(v, ']'); end > 0 {
				return v[1:end], true
			}
		}
	}
}

// intEntry returns the number of "/key n" in dict.
func intEntry(dict []byte, key string) (int64, bool) {
	v, ok := entry(dict, key, 0)
	if !ok {
		return 0, false
	}
	return intAt(v)
}

// checkXrefSection checks the section at off and returns the offset of
// the previous one (0 for none).
func checkXrefSection(r io.ReaderAt, off, size, limit int64) (int64, error) {
	br := bufio.NewReader(io.NewSectionReader(r, off, size-off))
	word := func() string {
		var w []byte
		for {
			c, err := br.ReadByte()
			switch {
			case err != nil:
				return string(w)
			case c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0:
				if len(w) > 0 {
					return string(w)
				}
			case len(w) < 32:
				w = append(w, c)
			}
		}
	}
	first := word()
	if first == "xref" {
		// A table: subsections "start count" followed by count entries of
		// three words each, then the trailer dictionary.
	sections:
		for {
			w := word()
			if w == "trailer" || w == "" {
				break
			}
			start, err1 := strconv.ParseInt(w, 10, 64)
			count, err2 := strconv.ParseInt(word(), 10, 64)
			if err1 != nil || err2 != nil {
				return 0, nil
			}
			if start < 0 || count < 0 || start > limit || count > limit || start+count > limit {
				return 0, fmt.Errorf("%w: cross-reference section claims objects %d to %d in a file of %d bytes", ErrMalformed, start, start+count, size)
			}
			for range 3 * count {
				if w := word(); w == "trailer" || w == "" {
					break sections
				}
			}
		}
		return prevOffset(peekDict(br)), nil
	}
	// A cross-reference stream: "id gen obj << … >> stream".
	dict := peekDict(br)
	if n, ok := intEntry(dict, "Size"); ok && n > limit {
		return 0, fmt.Errorf("%w: cross-reference stream claims %d objects in a file of %d bytes", ErrMalformed, n, size)
	}
	if idx, ok := entry(dict, "Index", '['); ok {
		f := bytes.Fields(idx)
		for i := 0; i+1 < len(f); i += 2 {
			start, err1 := strconv.ParseInt(string(f[i]), 10, 64)
			count, err2 := strconv.ParseInt(string(f[i+1]), 10, 64)
			if err1 != nil || err2 != nil || start > limit || count > limit || start+count > limit {
				return 0, fmt.Errorf("%w: cross-reference stream claims objects %s to %s+%s in a file of %d bytes", ErrMalformed, f[i], f[i], f[i+1], size)
			}
		}
	}
	if w, ok := entry(dict, "W", '['); ok {
		for _, f := range bytes.Fields(w) {
			if n, err := strconv.Atoi(string(f)); err != nil || n > 8 {
				return 0, fmt.Errorf("%w: cross-reference stream has field widths [%s]", ErrMalformed, w)
			}
		}
	}
	return prevOffset(dict), nil
}

// peekDict returns the next few KiB of br, where a trailer or stream
// dictionary is, cut at "stream" or "startxref".
func peekDict(br *bufio.Reader) []byte {
	b, _ := br.Peek(4096)
	for _, end := range []string{"stream", "startxref"} {
		if i := bytes.Index(b, []byte(end)); i >= 0 {
			b = b[:i]
		}
	}
	return b
}

func prevOffset(dict []byte) int64 {
	n, _ := intEntry(dict, "Prev")
	return n
}
