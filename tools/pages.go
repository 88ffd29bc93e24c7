package tools

import "bytes"

// pageCounter counts the page objects of a PDF as it streams past, by
// looking for "/Type /Page" not followed by "s". It is cheap and exact for
// PDFs whose page dictionaries are not compressed; for PDFs that keep them
// in compressed object streams it finds none, and the page count is then
// left out of the result. It allocates nothing per write.
type pageCounter struct {
	tail  [pageTail]byte // the end of the previous chunk
	ntail int
	seam  [2 * pageTail]byte
	pages int
}

// pageTail is more than the longest match ("/Type" + white space + "/Page" + 1).
const pageTail = 64

func (c *pageCounter) Write(p []byte) (int, error) {
	// Matches that start in the previous chunk and end in this one.
	if c.ntail > 0 {
		head := p[:min(len(p), pageTail)]
		seam := append(append(c.seam[:0], c.tail[:c.ntail]...), head...)
		c.pages += countPages(seam, func(start, next int) bool { return start < c.ntail && next >= c.ntail })
	}
	// Matches wholly inside this chunk, decided by a byte inside it.
	c.pages += countPages(p, func(int, int) bool { return true })
	if len(p) >= pageTail {
		c.ntail = copy(c.tail[:], p[len(p)-pageTail:])
	} else {
		// Keep the newest pageTail bytes of the old tail and p.
		keep := append(append(c.seam[:0], c.tail[:c.ntail]...), p...)
		if len(keep) > pageTail {
			keep = keep[len(keep)-pageTail:]
		}
		c.ntail = copy(c.tail[:], keep)
	}
	return len(p), nil
}

// countPages counts "/Type /Page" names in data whose following byte is
// inside data and for which keep(start of "/Type", index of that byte) holds.
func countPages(data []byte, keep func(start, next int) bool) int {
	n := 0
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("/Page"))
		if j < 0 {
			return n
		}
		at := i + j
		next := at + len("/Page")
		if next < len(data) && isDelimiter(data[next]) {
			if start, ok := typeBefore(data[:at]); ok && keep(start, next) {
				n++
			}
		}
		i = at + 1
	}
}

// typeBefore reports whether b ends with "/Type" and optional white space,
// and where that "/Type" starts.
func typeBefore(b []byte) (int, bool) {
	t := bytes.TrimRight(b, " \t\r\n\f\x00")
	if !bytes.HasSuffix(t, []byte("/Type")) {
		return 0, false
	}
	return len(t) - len("/Type"), true
}

// isDelimiter reports whether c may follow a PDF name.
func isDelimiter(c byte) bool {
	return bytes.IndexByte([]byte(" \t\r\n\f\x00/<>[]()%"), c) >= 0
}
