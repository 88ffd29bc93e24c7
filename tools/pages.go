package tools

import "bytes"

// pageCounter counts the page objects of a PDF as it streams past, by
// looking for "/Type /Page" not followed by "s". It is cheap and exact for
// PDFs whose page dictionaries are not compressed; for PDFs that keep them
// in compressed object streams it finds none, and the page count is then
// left out of the result.
type pageCounter struct {
	tail  []byte // the end of the previous chunk, to see matches across chunks
	pages int
}

const pageTail = 64

func (c *pageCounter) Write(p []byte) (int, error) {
	data := append(c.tail, p...)
	carried := len(c.tail)
	for i := 0; ; {
		j := bytes.Index(data[i:], []byte("/Page"))
		if j < 0 {
			break
		}
		at := i + j
		next := at + len("/Page")
		// Decide each match in the chunk that holds the byte after it,
		// so no match is counted twice.
		if next < len(data) && next >= carried && data[next] != 's' && isDelimiter(data[next]) && precededByType(data[:at]) {
			c.pages++
		}
		i = at + 1
	}
	if len(data) > pageTail {
		data = data[len(data)-pageTail:]
	}
	c.tail = append(c.tail[:0], data...)
	return len(p), nil
}

// precededByType reports whether b ends with "/Type" and optional white space.
func precededByType(b []byte) bool {
	b = bytes.TrimRight(b, " \t\r\n\f\x00")
	return bytes.HasSuffix(b, []byte("/Type"))
}

// isDelimiter reports whether c may follow a PDF name.
func isDelimiter(c byte) bool {
	return bytes.IndexByte([]byte(" \t\r\n\f\x00/<>[]()%"), c) >= 0
}
