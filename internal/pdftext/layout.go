package pdftext

import (
	"math"
	"strings"

	"github.com/ledongthuc/pdf"
)

// layout turns the glyphs of a page, in the order the content stream draws
// them, into lines of text. Browsers and report engines draw in reading
// order (Chromium follows the DOM), so the stream order is kept rather
// than re-sorting by position, which would scramble multi-column layouts.
//
//   - A new line starts when the baseline moves by more than half the font
//     size; a superscript (1er) stays on its line.
//   - A tab separates runs far apart on one line (table cells) and runs
//     drawn right to left of each other; a space separates words whose
//     spaces were not drawn as glyphs.
//   - Ligature glyphs (ﬁ, ﬂ, ﬀ, …) are spelled out, and no-break spaces
//     become spaces, so that a search for "office" finds "Oﬃce".
func layout(glyphs []pdf.Text) string {
	var out, line strings.Builder
	var lineY, prevX, prevW, prevSize float64
	started := false
	flush := func() {
		if s := strings.TrimSpace(line.String()); s != "" {
			out.WriteString(s)
			out.WriteByte('\n')
		}
		line.Reset()
	}
	for _, g := range glyphs {
		if g.S == "" || g.S == "\n" {
			continue // the parser marks the end of each TJ with "\n"
		}
		size := math.Max(math.Abs(g.FontSize), 1)
		if started {
			switch sep := separator(g, prevX, prevW, math.Max(size, prevSize)); {
			case math.Abs(g.Y-lineY) > 0.5*math.Max(size, prevSize):
				flush()
			case sep != "" && line.Len() > 0 && !endsInSpace(line.String()) && !isSpace(g.S):
				line.WriteString(sep)
			}
		}
		if line.Len() == 0 {
			lineY = g.Y
		}
		started = true
		line.WriteString(spellOut(g.S))
		prevX, prevW, prevSize = g.X, g.W, size
	}
	flush()
	return out.String()
}

// separator returns what goes between the previous glyph (at prevX, prevW
// wide, or 0 when its width is unknown) and g on the same line: "\t", " "
// or "".
func separator(g pdf.Text, prevX, prevW, size float64) string {
	if g.X < prevX-0.5*size {
		return "\t" // drawn to the left of the previous glyph: another run
	}
	if prevW > 0 {
		gap := g.X - (prevX + prevW)
		switch {
		case gap > 2*size:
			return "\t"
		case gap > 0.2*size:
			return " "
		}
		return ""
	}
	// Width unknown (the parser gives none for CID fonts, which Chromium
	// uses): judge by the distance between glyph origins; no glyph is much
	// wider than the font size.
	d := g.X - prevX
	switch {
	case d > 2.5*size:
		return "\t"
	case d > 1.2*size:
		return " "
	}
	return ""
}

// spellOut replaces presentation forms with the letters they stand for,
// no-break spaces with spaces, and drops soft hyphens.
func spellOut(s string) string {
	if !strings.ContainsFunc(s, func(r rune) bool { return r >= 0xFB00 && r <= 0xFB06 || r == 0xA0 || r == 0xAD }) {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		switch r {
		case 0xFB00:
			b.WriteString("ff")
		case 0xFB01:
			b.WriteString("fi")
		case 0xFB02:
			b.WriteString("fl")
		case 0xFB03:
			b.WriteString("ffi")
		case 0xFB04:
			b.WriteString("ffl")
		case 0xFB05, 0xFB06:
			b.WriteString("st")
		case 0xA0:
			b.WriteByte(' ')
		case 0xAD:
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func isSpace(s string) bool { return strings.TrimSpace(s) == "" }

func endsInSpace(s string) bool {
	return strings.HasSuffix(s, " ") || strings.HasSuffix(s, "\t")
}
