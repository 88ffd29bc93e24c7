package sandbox

import (
	"bufio"
	"context"
	"io"
	"strconv"
)

// largePDF writes a PDF of about sizeMB MiB without holding it in memory:
// a header, a catalogue, a page tree, one font, then for every page a page
// object and an uncompressed content stream of fixed-width text lines, an
// xref table with exact byte offsets, and the trailer. Every page's content
// has the same length (numbers are zero-padded), so the total size and
// every offset are computed up front; nothing grows with the page count.
type largePDF struct {
	pages int
}

// Layout of a large-document page.
const (
	lpLinesPerPage = 70
	lpLineWidth    = 96
)

// Fixed parts of the file.
const (
	lpHeader    = "%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
	lpCatalog   = "1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
	lpFont      = "3 0 obj\n<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>\nendobj\n"
	lpStreamEnd = "\nendstream\nendobj\n"
)

func newLargePDF(sizeMB int) largePDF {
	per := int64(len(appendLargePageObj(nil, 0)) + len(appendLargeContentHead(nil, 0, 0)) + lpContentLen() + len(lpStreamEnd))
	pages := int((int64(sizeMB)<<20 + per/2) / per)
	return largePDF{pages: max(pages, 1)}
}

// Object numbers: 1 catalogue, 2 page tree, 3 font, then 4+2i the page i
// (0-based) and 5+2i its content stream.
func lpPageObjNum(i int) int    { return 4 + 2*i }
func lpContentObjNum(i int) int { return 5 + 2*i }

func appendLargePageObj(dst []byte, i int) []byte {
	dst = strconv.AppendInt(dst, int64(lpPageObjNum(i)), 10)
	dst = append(dst, " 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents "...)
	dst = strconv.AppendInt(dst, int64(lpContentObjNum(i)), 10)
	return append(dst, " 0 R >>\nendobj\n"...)
}

func appendLargeContentHead(dst []byte, i, length int) []byte {
	dst = strconv.AppendInt(dst, int64(lpContentObjNum(i)), 10)
	dst = append(dst, " 0 obj\n<< /Length "...)
	if length == 0 {
		length = lpContentLen()
	}
	dst = strconv.AppendInt(dst, int64(length), 10)
	return append(dst, " >>\nstream\n"...)
}

// appendPadded appends n zero-padded to width digits.
func appendPadded(dst []byte, n, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(n), 10)
	for range width - len(s) {
		dst = append(dst, '0')
	}
	return append(dst, s...)
}

const lpFiller = "The quick brown fox jumps over the lazy dog. Pack my box with five dozen liquor jugs. 0123456789 "

// appendLargeContent appends the content stream of page i (1-based page
// numbers are printed) of a document with total pages.
func appendLargeContent(dst []byte, i, total int) []byte {
	dst = append(dst, "BT\n/F1 8 Tf\n10 TL\n36 756 Td\n("...)
	dst = append(dst, "Large document - page "...)
	dst = appendPadded(dst, i+1, 6)
	dst = append(dst, " of "...)
	dst = appendPadded(dst, total, 6)
	dst = append(dst, ") Tj T*\n"...)
	for l := 1; l < lpLinesPerPage; l++ {
		dst = append(dst, "(Line "...)
		dst = appendPadded(dst, l, 2)
		dst = append(dst, ": "...)
		start := len(dst)
		off := 0
		for len(dst)-start < lpLineWidth-10 {
			n := min(len(lpFiller)-off, lpLineWidth-10-(len(dst)-start))
			dst = append(dst, lpFiller[off:off+n]...)
			off = 0
		}
		dst = append(dst, ") Tj T*\n"...)
	}
	return append(dst, "ET"...)
}

// lpContentLen is the (constant) length of every content stream.
func lpContentLen() int { return len(appendLargeContent(nil, 0, 1)) }

// appendPagesObj appends the start of the page tree object.
func (l largePDF) appendPagesObj(dst []byte) []byte {
	dst = append(dst, "2 0 obj\n<< /Type /Pages /Count "...)
	dst = strconv.AppendInt(dst, int64(l.pages), 10)
	return append(dst, " /Kids ["...)
}

// pagesObjLen is the length of the page tree object.
func (l largePDF) pagesObjLen() int64 {
	n := int64(len(l.appendPagesObj(nil)))
	var scratch [32]byte
	for i := range l.pages {
		n += int64(len(strconv.AppendInt(append(scratch[:0], ' '), int64(lpPageObjNum(i)), 10)) + len(" 0 R"))
	}
	return n + int64(len(" ] >>\nendobj\n"))
}

// objectsEnd returns the offset of the xref table.
func (l largePDF) objectsEnd() int64 {
	off := int64(len(lpHeader)+len(lpCatalog)) + l.pagesObjLen() + int64(len(lpFont))
	content := int64(lpContentLen() + len(lpStreamEnd))
	var scratch [256]byte
	for i := range l.pages {
		off += int64(len(appendLargePageObj(scratch[:0], i))+len(appendLargeContentHead(scratch[:0], i, 0))) + content
	}
	return off
}

func (l largePDF) objCount() int { return 3 + 2*l.pages + 1 } // with object 0

func (l largePDF) appendTrailer(dst []byte, xref int64) []byte {
	dst = append(dst, "trailer\n<< /Size "...)
	dst = strconv.AppendInt(dst, int64(l.objCount()), 10)
	dst = append(dst, " /Root 1 0 R >>\nstartxref\n"...)
	dst = strconv.AppendInt(dst, xref, 10)
	return append(dst, "\n%%EOF\n"...)
}

func (l largePDF) appendXrefHead(dst []byte) []byte {
	dst = append(dst, "xref\n0 "...)
	dst = strconv.AppendInt(dst, int64(l.objCount()), 10)
	return append(dst, "\n0000000000 65535 f \n"...)
}

// size is the exact byte length of the document.
func (l largePDF) size() int64 {
	xref := l.objectsEnd()
	return xref + int64(len(l.appendXrefHead(nil))) + 20*int64(l.objCount()-1) + int64(len(l.appendTrailer(nil, xref)))
}

// countingWriter tracks the offset for the xref table.
type countingWriter struct {
	w *bufio.Writer
	n int64
}

func (c *countingWriter) write(b []byte) error {
	n, err := c.w.Write(b)
	c.n += int64(n)
	return err
}

// writeTo streams the document to w, stopping when ctx is done. Memory use
// is a 64 KiB buffer and one page's scratch space whatever the size.
func (l largePDF) writeTo(ctx context.Context, w io.Writer) (int64, error) {
	cw := &countingWriter{w: bufio.NewWriterSize(w, 64<<10)}
	buf := make([]byte, 0, 16<<10)
	buf = append(append(append(buf, lpHeader...), lpCatalog...), l.appendPagesObj(nil)...)
	if err := cw.write(buf); err != nil {
		return cw.n, err
	}
	for i := range l.pages {
		buf = append(strconv.AppendInt(append(buf[:0], ' '), int64(lpPageObjNum(i)), 10), " 0 R"...)
		if err := cw.write(buf); err != nil {
			return cw.n, err
		}
	}
	if err := cw.write(append(append(buf[:0], " ] >>\nendobj\n"...), lpFont...)); err != nil {
		return cw.n, err
	}
	// Page object offsets are recomputed while writing the xref, so
	// nothing is stored per page.
	contentLen := lpContentLen()
	for i := range l.pages {
		if i%64 == 0 && ctx.Err() != nil {
			return cw.n, ctx.Err()
		}
		buf = appendLargePageObj(buf[:0], i)
		buf = appendLargeContentHead(buf, i, contentLen)
		buf = appendLargeContent(buf, i, l.pages)
		buf = append(buf, lpStreamEnd...)
		if err := cw.write(buf); err != nil {
			return cw.n, err
		}
	}
	xref := cw.n
	if err := cw.write(l.appendXrefHead(buf[:0])); err != nil {
		return cw.n, err
	}
	entry := func(off int64) error {
		buf = appendPadded(buf[:0], int(off), 10)
		buf = append(buf, " 00000 n \n"...)
		return cw.write(buf)
	}
	catalog := int64(len(lpHeader))
	pagesObj := catalog + int64(len(lpCatalog))
	font := pagesObj + l.pagesObjLen()
	for _, off := range []int64{catalog, pagesObj, font} {
		if err := entry(off); err != nil {
			return cw.n, err
		}
	}
	off := font + int64(len(lpFont))
	var scratch [256]byte
	for i := range l.pages {
		if err := entry(off); err != nil {
			return cw.n, err
		}
		pageLen := int64(len(appendLargePageObj(scratch[:0], i)))
		if err := entry(off + pageLen); err != nil {
			return cw.n, err
		}
		off += pageLen + int64(len(appendLargeContentHead(scratch[:0], i, contentLen))+contentLen+len(lpStreamEnd))
	}
	if err := cw.write(l.appendTrailer(buf[:0], xref)); err != nil {
		return cw.n, err
	}
	return cw.n, cw.w.Flush()
}
