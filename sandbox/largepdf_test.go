package sandbox

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// checkPDFStructure verifies the xref table: every offset points at its
// object, startxref points at the table, the file ends with %%EOF.
func checkPDFStructure(t *testing.T, b []byte) (objects int) {
	t.Helper()
	if !bytes.HasPrefix(b, []byte("%PDF-1.4\n")) || !bytes.HasSuffix(b, []byte("%%EOF\n")) {
		t.Fatal("bad header or trailer")
	}
	m := regexp.MustCompile(`startxref\n(\d+)\n%%EOF\n$`).FindSubmatch(b)
	if m == nil {
		t.Fatal("no startxref")
	}
	xref, _ := strconv.Atoi(string(m[1]))
	if !bytes.HasPrefix(b[xref:], []byte("xref\n0 ")) {
		t.Fatalf("startxref %d does not point at the xref table", xref)
	}
	rest := b[xref+len("xref\n0 "):]
	nl := bytes.IndexByte(rest, '\n')
	count, _ := strconv.Atoi(string(rest[:nl]))
	entries := rest[nl+1:]
	for i := 1; i < count; i++ {
		e := entries[20*i : 20*i+20]
		if !bytes.HasSuffix(e, []byte(" 00000 n \n")) {
			t.Fatalf("xref entry %d malformed: %q", i, e)
		}
		off, _ := strconv.Atoi(string(e[:10]))
		if want := strconv.Itoa(i) + " 0 obj\n"; !bytes.HasPrefix(b[off:], []byte(want)) {
			t.Fatalf("object %d: offset %d points at %q", i, off, b[off:off+20])
		}
	}
	if !bytes.Contains(b, []byte("trailer\n<< /Size "+strconv.Itoa(count)+" /Root 1 0 R >>")) {
		t.Fatal("trailer size mismatch")
	}
	return count
}

func TestLargePDFSizeAndStructure(t *testing.T) {
	for _, mb := range []int{1, 3, 12} {
		l := newLargePDF(mb)
		var buf bytes.Buffer
		n, err := l.writeTo(context.Background(), &buf)
		if err != nil {
			t.Fatal(err)
		}
		if n != int64(buf.Len()) || n != l.size() {
			t.Fatalf("%d MB: wrote %d, buffer %d, size() %d", mb, n, buf.Len(), l.size())
		}
		if target := int64(mb) << 20; n < target*97/100 || n > target*103/100 {
			t.Fatalf("%d MB: %d bytes is not about %d", mb, n, target)
		}
		if objs := checkPDFStructure(t, buf.Bytes()); objs != 4+2*l.pages {
			t.Fatalf("%d objects for %d pages", objs, l.pages)
		}
	}
	// Every content stream has the same length whatever the page number.
	if len(appendLargeContent(nil, 0, 1)) != len(appendLargeContent(nil, 99998, 99999)) {
		t.Fatal("content length varies")
	}
}

func TestLargePDFOverHTTP(t *testing.T) {
	h := newHarness(t)
	r := h.get("/api/v1/ws/demo/reports/large-document/pdf?params=" + url.QueryEscape(`{"sizeMB":2}`))
	expectStatus(t, r, 200)
	if r.ContentLength != int64(len(r.body)) || r.Header.Get("Content-Type") != "application/pdf" {
		t.Fatalf("Content-Length %d, body %d", r.ContentLength, len(r.body))
	}
	if r.Header.Get("Content-Disposition") != `attachment; filename="Large document.pdf"; filename*=UTF-8''Large%20document.pdf` {
		t.Fatal(r.Header.Get("Content-Disposition"))
	}
	checkPDFStructure(t, r.body)
	// Default 5 MiB, by id too; base64 params work.
	d := h.get("/api/v1/ws/1/reports/9001/pdf")
	if d.ContentLength != newLargePDF(DefaultLargeDocumentMB).size() {
		t.Fatalf("default size %d", d.ContentLength)
	}
	text := pdftotext(t, r.body, "-l", "1")
	pages := newLargePDF(2).pages
	if !strings.Contains(text, "Large document - page 000001 of "+strings.Repeat("0", 6-len(strconv.Itoa(pages)))+strconv.Itoa(pages)) ||
		!strings.Contains(text, "Line 01: The quick brown fox") {
		t.Fatalf("page 1 text:\n%s", text)
	}
	for _, bad := range []string{`{"sizeMB":0}`, `{"sizeMB":501}`, `{"sizeMB":"big"}`, `{"sizeMB":2.5}`} {
		p := expectProblem(t, h.get("/api/v1/ws/1/reports/9001/pdf?params="+url.QueryEscape(bad)), 400, ValidationTitle)
		if len(p.Errors["params.sizeMB"]) != 1 {
			t.Errorf("%s: %+v", bad, p)
		}
	}
	expectStatus(t, h.get("/api/v1/ws/1/reports/9001/pdf?params="+url.QueryEscape(`{"sizeMB":"1"}`)), 200)
	expectProblem(t, h.get("/api/v1/ws/1/reports/9001/pdf?format=docx"), 400, ValidationTitle)
	// The preview describes it without rendering megabytes.
	pr := h.req("GET", "/ws/1/reports/large-document/preview", DefaultToken, nil)
	expectStatus(t, pr, 200)
	if !strings.Contains(string(pr.body), "about 5 MiB") {
		t.Fatalf("preview: %s", truncate(pr.body))
	}
}

func TestLargePDFStopsOnCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	w := &cancelAfter{n: 1 << 20, cancel: cancel}
	_, err := newLargePDF(50).writeTo(ctx, w)
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err %v", err)
	}
	if w.written > 3<<20 {
		t.Fatalf("kept writing %d bytes after cancel", w.written)
	}
}

type cancelAfter struct {
	n, written int
	cancel     func()
}

func (c *cancelAfter) Write(b []byte) (int, error) {
	c.written += len(b)
	if c.written > c.n {
		c.cancel()
	}
	return len(b), nil
}

// BenchmarkLargePDFStream streams documents of 5 and 50 MiB: allocations
// per op stay the same (a 64 KiB buffer and one page of scratch), showing
// that memory does not grow with the document.
func BenchmarkLargePDFStream(b *testing.B) {
	for _, mb := range []int{5, 50} {
		b.Run(strconv.Itoa(mb)+"MB", func(b *testing.B) {
			l := newLargePDF(mb)
			b.SetBytes(l.size())
			b.ReportAllocs()
			for b.Loop() {
				if _, err := l.writeTo(context.Background(), io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
