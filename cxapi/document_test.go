package cxapi

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestDownloadPDF(t *testing.T) {
	// A document larger than the copy buffer, so the tail logic sees many writes.
	big := "%PDF-1.7\n" + strings.Repeat("stream data 0123456789\n", 3*copyBufferSize/23) + "trailer\n%%EOF\n"
	f := newFake(t, pdfOK(big))
	c := newTestClient(t, f.URL, nil)
	var buf bytes.Buffer
	doc, err := c.DownloadPDF(context.Background(), "26", ReportByID(160), nil, &buf)
	if err != nil {
		t.Fatal(err)
	}
	want := Document{FileName: "Sample report.pdf", ContentType: "application/pdf", Size: int64(len(big))}
	if *doc != want || buf.String() != big {
		t.Errorf("document = %+v, want %+v (%d bytes written)", *doc, want, buf.Len())
	}
}

func TestDocumentChecks(t *testing.T) {
	ctx := context.Background()
	farEOF := "%PDF-1.4\n%%EOF\n" + strings.Repeat("x", 2000)
	tests := []struct {
		name    string
		handler http.HandlerFunc
		format  string
		want    error
		msg     string
		max     int64 // MaxDocumentBytes, default 4096
	}{
		{"short of Content-Length", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.Header().Set("Content-Length", strconv.Itoa(len(samplePDF)+100))
			_, _ = io.WriteString(w, samplePDF)
		}, "", ErrTruncated, "the connection closed after", 0},
		{"no %%EOF", respond(200, "application/pdf", "%PDF-1.4\n1 0 obj\n"), "", ErrTruncated, "no %%EOF marker", 0},
		{"%%EOF too far from the end", respond(200, "application/pdf", farEOF), "", ErrTruncated, "no %%EOF marker", 0},
		{"wrong content type", respond(200, "application/octet-stream", samplePDF), "", ErrNotPDF, `expected content type application/pdf, got "application/octet-stream"`, 0},
		{"no content type", respond(200, "", samplePDF), "", ErrNotPDF, "expected content type", 0},
		{"HTML page", respond(200, "text/html; charset=utf-8", "<html>Sign in</html>"), "", ErrUnexpectedResponse, "HTML page", 0},
		{"HTML page is also ErrHTMLPage", respond(200, "text/html; charset=utf-8", "<html>Sign in</html>"), "", ErrHTMLPage, "not the expected document: expected application/pdf but the server answered with an HTML page", 0},
		{"no %PDF-", respond(200, "application/pdf", "<html>%%EOF</html>"), "", ErrNotPDF, "does not start with %PDF-", 0},
		{"empty with length", respond(200, "application/pdf", ""), "", ErrTruncated, "empty", 0},
		{"empty chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			w.WriteHeader(200)
			w.(http.Flusher).Flush()
		}, "", ErrTruncated, "empty", 0},
		{"three bytes", respond(200, "application/pdf", "%PD"), "", ErrTruncated, "ends after 3 bytes", 0},
		{"too large by length", respond(200, "application/pdf", samplePDF+strings.Repeat(" ", 200)), "", ErrTooLarge, "more than the 128 allowed", 128},
		{"too large chunked", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "application/pdf")
			_, _ = io.WriteString(w, "%PDF-")
			w.(http.Flusher).Flush()
			_, _ = io.WriteString(w, strings.Repeat("x", 300))
		}, "", ErrTooLarge, "larger than the 128 bytes allowed", 128},
		{"404", respond(404, "application/problem+json", `{"title":"Report not found"}`), "", ErrNotFound, "404 Report not found", 0},
		{"docx", respond(200, ContentTypeDOCX, "PK\x03\x04docx"), "docx", nil, "", 0},
		{"DOCX as number", respond(200, ContentTypeDOCX, "PK\x03\x04docx"), "1", nil, "", 0},
		{"docx expected, pdf sent", respond(200, "application/pdf", samplePDF), "docx", ErrNotPDF, "expected content type " + ContentTypeDOCX, 0},
		{"xlsx", respond(200, ContentTypeXLSX, "PK"), "xlsx", nil, "", 0},
		{"pptx", respond(200, ContentTypePPTX, "PK"), "Pptx", nil, "", 0},
		{"html", respond(200, "text/html; charset=utf-8", "<html></html>"), "html", nil, "", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handler)
			c := newTestClient(t, f.URL, func(cfg *Config) {
				cfg.MaxDocumentBytes = tc.max
				if tc.max == 0 {
					cfg.MaxDocumentBytes = 4096
				}
			})
			_, err := c.Export(ctx, "demo", ReportByID(1), &ExportRequest{Format: tc.format}, io.Discard)
			if tc.want == nil {
				if err != nil {
					t.Fatalf("error = %v", err)
				}
				return
			}
			if !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("error = %v, want %v containing %q", err, tc.want, tc.msg)
			}
			if !strings.HasPrefix(err.Error(), "export: POST /api/v1/ws/demo/reports/1/pdf: ") {
				t.Errorf("error lacks context: %v", err)
			}
		})
	}
}

func TestDocumentNeverExceedsCap(t *testing.T) {
	f := newFake(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		_, _ = io.WriteString(w, "%PDF-")
		w.(http.Flusher).Flush()
		_, _ = io.WriteString(w, strings.Repeat("x", 1000))
	})
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.MaxDocumentBytes = 100 })
	var buf bytes.Buffer
	if _, err := c.DownloadPDF(context.Background(), "1", ReportByID(1), nil, &buf); !errors.Is(err, ErrTooLarge) || buf.Len() > 100 {
		t.Errorf("error %v after %d bytes", err, buf.Len())
	}
}

func TestDownloadExportAnyType(t *testing.T) {
	ctx := context.Background()
	f := newFake(t, respond(200, "text/csv", "a,b\n"))
	var buf bytes.Buffer
	doc, err := newTestClient(t, f.URL, nil).DownloadExport(ctx, "1", 5, &buf)
	if err != nil || doc.ContentType != "text/csv" || doc.Size != 4 || doc.FileName != "" {
		t.Errorf("csv: %+v, %v", doc, err)
	}
	// A PDF is still checked.
	f = newFake(t, respond(200, "application/pdf", "%PDF-1.4 no end"))
	if _, err := newTestClient(t, f.URL, nil).DownloadExport(ctx, "1", 5, io.Discard); !errors.Is(err, ErrTruncated) {
		t.Errorf("pdf without EOF: %v", err)
	}
}

type failingWriter struct{}

func (failingWriter) Write(p []byte) (int, error) { return 0, errors.New("disk full") }

func TestDocumentWriterError(t *testing.T) {
	f := newFake(t, pdfOK(samplePDF))
	_, err := newTestClient(t, f.URL, nil).DownloadPDF(context.Background(), "1", ReportByID(1), nil, failingWriter{})
	if err == nil || errors.Is(err, ErrTruncated) || !strings.Contains(err.Error(), "disk full") {
		t.Errorf("error = %v", err)
	}
}

func TestTailBuffer(t *testing.T) {
	var s docSink
	data := []byte(strings.Repeat("abcdefghij", 300))
	for i := 0; i < len(data); {
		n := min(1+i%37, len(data)-i)
		s.keep(data[i : i+n])
		i += n
	}
	if !bytes.Equal(s.tail, data[len(data)-tailSize:]) {
		t.Error("tail is not the last KiB")
	}
	s.keep(data)
	if !bytes.Equal(s.tail, data[len(data)-tailSize:]) || cap(s.tail) > 4*tailSize {
		t.Error("tail after a big write")
	}
}

func TestParseContentDisposition(t *testing.T) {
	tests := []struct{ in, want string }{
		{`attachment; filename="Sample report.pdf"; filename*=UTF-8''Sample%20report.pdf`, "Sample report.pdf"},
		{`attachment; filename="fallback.pdf"; filename*=UTF-8''%E2%82%AC%20rates.pdf`, "€ rates.pdf"},
		{`attachment; filename*=UTF-8''%E2%82%AC%20rates.pdf`, "€ rates.pdf"},
		{`attachment; filename="a.pdf"`, "a.pdf"},
		{`inline; filename=report.pdf`, "report.pdf"},
		{`attachment; filename=Sample report.pdf`, "Sample report.pdf"},
		{`attachment; filename=Sample report.pdf; size=3`, "Sample report.pdf"},
		{`attachment; filename="unterminated.pdf`, "unterminated.pdf"},
		{`attachment; filename*=iso-8859-1''caf%E9.pdf`, "café.pdf"},
		{`attachment; filename*=UTF-8''bad%ZZ; filename="ok.pdf"`, "ok.pdf"},
		{`attachment; filename="../../etc/passwd"`, "passwd"},
		{`attachment; filename="C:\\temp\\x.pdf"`, "x.pdf"},
		{"attachment; filename=\"a\x01b\u202e.pdf\"", "ab.pdf"},
		{`attachment; filename=".."`, ""},
		{`attachment; filename="  "`, ""},
		{`attachment`, ""},
		{`inline`, ""},
		{``, ""},
		{`attachment; filename="` + strings.Repeat("é", 200) + `.pdf"`, strings.Repeat("é", 127)},
	}
	for _, tc := range tests {
		if got := ParseContentDisposition(tc.in); got != tc.want {
			t.Errorf("ParseContentDisposition(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func FuzzParseContentDisposition(f *testing.F) {
	for _, s := range []string{
		`attachment; filename="Sample report.pdf"; filename*=UTF-8''Sample%20report.pdf`,
		`attachment; filename=Sample report.pdf`,
		`attachment; filename*=iso-8859-1''caf%E9.pdf`,
		`attachment; filename="..\\..\\x"`,
		`inline; filename*0="a"; filename*1="b"`,
		"attachment; filename=\"\xff\xfe\"",
		``,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, h string) {
		got := ParseContentDisposition(h)
		if !utf8.ValidString(got) || len(got) > maxFileName || strings.ContainsAny(got, `/\`) ||
			got == "." || got == ".." || got != strings.TrimSpace(got) {
			t.Fatalf("ParseContentDisposition(%q) = %q: unsafe name", h, got)
		}
		for _, r := range got {
			if unicode.IsControl(r) {
				t.Fatalf("ParseContentDisposition(%q) = %q: control character", h, got)
			}
		}
	})
}
