package cxapi

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Document describes a downloaded document that was streamed into the
// caller's writer.
type Document struct {
	// FileName comes from Content-Disposition (filename* preferred, then
	// filename), reduced to a base name; "" if none.
	FileName string
	// ContentType is the Content-Type header as sent.
	ContentType string
	// Size is the number of bytes written.
	Size int64
}

// SizeReceiver is implemented by a download's writer that wants the size
// the server announced (Content-Length; -1 when unknown) before the bytes
// arrive, for example to show progress.
type SizeReceiver interface {
	ExpectSize(n int64)
}

// Content types of the export formats.
const (
	ContentTypePDF  = "application/pdf"
	ContentTypeDOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	ContentTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	ContentTypePPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
	ContentTypeHTML = "text/html"
)

const (
	pdfMagic = "%PDF-"
	pdfEOF   = "%%EOF"
	// tailSize is how far from the end "%%EOF" may be.
	tailSize = 1024
	// maxFileName caps FileName in bytes.
	maxFileName = 255
	// copyBufferSize is the size of the reads from the connection: large
	// reads mean few system calls per megabyte of a large document.
	copyBufferSize = 256 << 10
)

// docExpect is what a download must deliver: a content type ("" for any)
// and whether it is a PDF whatever the header says.
type docExpect struct {
	contentType string
	pdf         bool
}

// expectFormat maps an export format (name, case-insensitive, or the
// numbers 0-4) to the content type expected. Unknown formats expect
// nothing in particular.
func expectFormat(format string) docExpect {
	switch strings.ToLower(strings.TrimSpace(format)) {
	case "", "pdf", "0":
		return docExpect{ContentTypePDF, true}
	case "docx", "1":
		return docExpect{contentType: ContentTypeDOCX}
	case "xlsx", "2":
		return docExpect{contentType: ContentTypeXLSX}
	case "pptx", "3":
		return docExpect{contentType: ContentTypePPTX}
	case "html", "4":
		return docExpect{contentType: ContentTypeHTML}
	}
	return docExpect{}
}

// download sends r and streams the document into w while counting it. It
// checks the content type against exp, "%PDF-" at the start and "%%EOF" in
// the last KiB of a PDF, the length against Content-Length and
// MaxDocumentBytes. Config.Timeout bounds the wait for
// the headers of each attempt; the body is read under ctx alone.
func (c *Client) download(ctx context.Context, r *request, exp docExpect, w io.Writer) (*Document, error) {
	if w == nil {
		return nil, fmt.Errorf("%w: no writer for the document", ErrInvalidArgument)
	}
	r.accept = acceptDocument
	resp, actx, release, err := c.do(ctx, r, c.timeout)
	if err != nil {
		return nil, err
	}
	defer release()
	defer resp.Body.Close()

	ct := resp.Header.Get("Content-Type")
	lct := strings.ToLower(ct)
	if exp.contentType != "" && !strings.Contains(lct, exp.contentType) {
		if isHTMLType(ct) {
			return nil, fmt.Errorf("%s: %w: expected %s but %w (%w); check the base URL and token",
				c.prefix(r), ErrNotPDF, exp.contentType, ErrHTMLPage, ErrUnexpectedResponse)
		}
		return nil, fmt.Errorf("%s: %w: expected content type %s, got %q", c.prefix(r), ErrNotPDF, exp.contentType, clip(c.scrub(ct), 100))
	}
	isPDF := exp.pdf || strings.Contains(lct, ContentTypePDF)
	if resp.ContentLength > c.maxDoc {
		return nil, fmt.Errorf("%s: %w: the document has %d bytes, more than the %d allowed", c.prefix(r), ErrTooLarge, resp.ContentLength, c.maxDoc)
	}
	empty := fmt.Errorf("%s: %w: the document is empty", c.prefix(r), ErrTruncated)
	if resp.ContentLength == 0 {
		return nil, empty
	}

	br := bufio.NewReaderSize(resp.Body, 32<<10)
	head, perr := br.Peek(len(pdfMagic))
	if perr != nil && perr != io.EOF {
		return nil, c.bodyError(actx, r, 0, resp.ContentLength, perr)
	}
	if len(head) == 0 {
		return nil, empty
	}
	if isPDF && string(head) != pdfMagic {
		if len(head) < len(pdfMagic) && strings.HasPrefix(pdfMagic, string(head)) {
			return nil, fmt.Errorf("%s: %w: the PDF ends after %d bytes", c.prefix(r), ErrTruncated, len(head))
		}
		return nil, fmt.Errorf("%s: %w: the body does not start with %s", c.prefix(r), ErrNotPDF, pdfMagic)
	}

	if sr, ok := w.(SizeReceiver); ok {
		sr.ExpectSize(resp.ContentLength)
	}
	sink := &docSink{w: w}
	src := &readTracker{r: io.LimitReader(br, c.maxDoc)}
	n, err := io.CopyBuffer(sink, src, make([]byte, copyBufferSize))
	if err != nil {
		if src.err != nil {
			return nil, c.bodyError(actx, r, n, resp.ContentLength, src.err)
		}
		return nil, fmt.Errorf("%s: writing the document failed after %d bytes: %w", c.prefix(r), n, err)
	}
	if n == c.maxDoc {
		if _, err := br.ReadByte(); err == nil {
			return nil, fmt.Errorf("%s: %w: the document is larger than the %d bytes allowed", c.prefix(r), ErrTooLarge, c.maxDoc)
		}
	}
	if n == 0 {
		return nil, empty
	}
	if resp.ContentLength > 0 && n < resp.ContentLength {
		return nil, fmt.Errorf("%s: %w: got %d of %d bytes", c.prefix(r), ErrTruncated, n, resp.ContentLength)
	}
	if isPDF && !bytes.Contains(sink.tail, []byte(pdfEOF)) {
		return nil, fmt.Errorf("%s: %w: the PDF has no %s marker at its end", c.prefix(r), ErrTruncated, pdfEOF)
	}
	return &Document{
		FileName:    ParseContentDisposition(resp.Header.Get("Content-Disposition")),
		ContentType: ct,
		Size:        n,
	}, nil
}

// docSink writes to the caller's writer and keeps the last tailSize bytes.
type docSink struct {
	w    io.Writer
	tail []byte
}

func (s *docSink) Write(p []byte) (int, error) {
	n, err := s.w.Write(p)
	if n > len(p) || n < 0 {
		n = 0
	}
	s.keep(p[:n])
	if err == nil && n < len(p) {
		err = io.ErrShortWrite
	}
	return n, err
}

// keep appends p to the tail buffer, dropping all but the last tailSize
// bytes.
func (s *docSink) keep(p []byte) {
	if len(p) >= tailSize {
		s.tail = append(s.tail[:0], p[len(p)-tailSize:]...)
		return
	}
	if over := len(s.tail) + len(p) - tailSize; over > 0 {
		s.tail = s.tail[:copy(s.tail, s.tail[over:])]
	}
	s.tail = append(s.tail, p...)
}

// readTracker remembers a read error other than io.EOF, to tell read
// failures from write failures after io.Copy.
type readTracker struct {
	r   io.Reader
	err error
}

func (t *readTracker) Read(p []byte) (int, error) {
	n, err := t.r.Read(p)
	if err != nil && err != io.EOF {
		t.err = err
	}
	return n, err
}

// ParseContentDisposition returns the file name of a Content-Disposition
// header: the RFC 5987 filename* when present and decodable, else filename.
// It copes with malformed headers (unquoted spaces, other charsets) and
// returns a safe base name: no directory part, no control characters,
// valid UTF-8, at most 255 bytes, never "." or "..". It returns "" if the
// header names no file.
func ParseContentDisposition(h string) string {
	h = strings.TrimSpace(h)
	if h == "" {
		return ""
	}
	name := ""
	if _, params, err := mime.ParseMediaType(h); err == nil {
		name = params["filename"]
	}
	if name == "" {
		name = fallbackFileName(h)
	}
	return safeFileName(name)
}

// fallbackFileName digs a file name out of a header that mime.ParseMediaType
// rejects.
func fallbackFileName(h string) string {
	lower := asciiLower(h) // same length as h, unlike strings.ToLower

	if i := strings.Index(lower, "filename*="); i >= 0 {
		v, _, _ := strings.Cut(h[i+len("filename*="):], ";")
		v = strings.Trim(strings.TrimSpace(v), `"`)
		if parts := strings.SplitN(v, "'", 3); len(parts) == 3 {
			if dec, err := url.PathUnescape(parts[2]); err == nil && dec != "" {
				switch cs := strings.ToLower(parts[0]); {
				case cs == "iso-8859-1" || cs == "latin1":
					return latin1ToUTF8(dec)
				default:
					return dec
				}
			}
		}
	}
	if i := strings.Index(lower, "filename="); i >= 0 {
		v := strings.TrimLeft(h[i+len("filename="):], " \t")
		if strings.HasPrefix(v, `"`) {
			var b strings.Builder
			for j := 1; j < len(v); j++ {
				switch ch := v[j]; {
				case ch == '\\' && j+1 < len(v):
					j++
					b.WriteByte(v[j])
				case ch == '"':
					return b.String()
				default:
					b.WriteByte(ch)
				}
			}
			return b.String()
		}
		v, _, _ = strings.Cut(v, ";")
		return strings.TrimSpace(v)
	}
	return ""
}

// asciiLower lower-cases ASCII letters only, keeping byte offsets.
func asciiLower(s string) string {
	b := []byte(s)
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return string(b)
}

func latin1ToUTF8(s string) string {
	rs := make([]rune, len(s))
	for i := 0; i < len(s); i++ {
		rs[i] = rune(s[i])
	}
	return string(rs)
}

// safeFileName reduces a file name to a harmless base name.
func safeFileName(s string) string {
	s = strings.ToValidUTF8(s, "_")
	if i := strings.LastIndexAny(s, `/\`); i >= 0 {
		s = s[i+1:]
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if len(s) > maxFileName {
		n := maxFileName
		for n > 0 && !utf8.RuneStart(s[n]) {
			n--
		}
		s = strings.TrimSpace(s[:n])
	}
	if s == "." || s == ".." {
		return ""
	}
	return s
}
