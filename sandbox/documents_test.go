package sandbox

import (
	"archive/zip"
	"bytes"
	"encoding/base64"
	"encoding/xml"
	"errors"
	"io"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

const invoicePDF = "/api/v1/ws/demo/reports/1627/pdf"

func pdfPageCount(b []byte) int {
	return len(regexp.MustCompile(`/Type /Page\b[^s]`).FindAll(b, -1))
}

func TestPDFHeadersAndContentDisposition(t *testing.T) {
	h := newHarness(t)
	cases := map[string]string{
		invoicePDF:                                  `attachment; filename="Invoice.pdf"; filename*=UTF-8''Invoice.pdf`,
		"/api/v1/ws/demo/reports/invoice/pdf":       `attachment; filename="Invoice.pdf"; filename*=UTF-8''Invoice.pdf`,
		"/api/v1/ws/1/reports/1630/pdf":             `attachment; filename="Invoice (compact).pdf"; filename*=UTF-8''Invoice%20%28compact%29.pdf`,
		"/api/v1/ws/1/reports/1635/pdf":             `attachment; filename="Releve de compte.pdf"; filename*=UTF-8''Relev%C3%A9%20de%20compte.pdf`,
		"/api/v1/ws/1/reports/1628/pdf":             `attachment; filename="Bank Account Statement.pdf"; filename*=UTF-8''Bank%20Account%20Statement.pdf`,
		"/api/v1/ws/1/reports/1627/pdf?format=xlsx": `attachment; filename="Invoice.xlsx"; filename*=UTF-8''Invoice.xlsx`,
	}
	for path, want := range cases {
		r := h.get(path)
		expectStatus(t, r, 200)
		if got := r.Header.Get("Content-Disposition"); got != want {
			t.Errorf("%s: Content-Disposition\n%s\nwant\n%s", path, got, want)
		}
		if r.Header.Get("Content-Length") != itoa(int64(len(r.body))) {
			t.Errorf("%s: Content-Length %s, body %d", path, r.Header.Get("Content-Length"), len(r.body))
		}
	}
	r := h.get(invoicePDF)
	if r.Header.Get("Content-Type") != "application/pdf" || !bytes.HasPrefix(r.body, []byte("%PDF-")) ||
		!bytes.HasSuffix(bytes.TrimSpace(r.body), []byte("%%EOF")) {
		t.Fatalf("not a PDF: %q %q", r.Header.Get("Content-Type"), r.body[:8])
	}
	if ContentDisposition(`a"b\c.pdf`) != `attachment; filename="a_b_c.pdf"; filename*=UTF-8''a%22b%5Cc.pdf` {
		t.Fatal(ContentDisposition(`a"b\c.pdf`))
	}
	if ContentDisposition("Zürich 日本.pdf") != `attachment; filename="Zurich __.pdf"; filename*=UTF-8''Z%C3%BCrich%20%E6%97%A5%E6%9C%AC.pdf` {
		t.Fatal(ContentDisposition("Zürich 日本.pdf"))
	}
}

func TestPDFDeterministic(t *testing.T) {
	h := newHarness(t)
	a := h.get(invoicePDF + "?params=%7B%22month%22%3A%222026-03%22%7D&timezone=UTC")
	b := h.get(invoicePDF + "?params=%7B%22month%22%3A%222026-03%22%7D&timezone=UTC")
	expectStatus(t, a, 200)
	if !bytes.Equal(a.body, b.body) {
		t.Fatal("two renders of the same request differ")
	}
	c := h.get(invoicePDF + "?params=%7B%22month%22%3A%222026-04%22%7D&timezone=UTC")
	if bytes.Equal(a.body, c.body) {
		t.Fatal("different params gave the same PDF")
	}
	// Across servers too.
	if d := newHarness(t).get(invoicePDF + "?params=%7B%22month%22%3A%222026-03%22%7D&timezone=UTC"); !bytes.Equal(a.body, d.body) {
		t.Fatal("another server rendered different bytes")
	}
}

func TestParamsEncodings(t *testing.T) {
	h := newHarness(t)
	raw := `{"month":"2026-03","customer":"TEST Enterprises"}`
	std := base64.URLEncoding.EncodeToString([]byte(raw))
	if !strings.HasSuffix(std, "=") {
		t.Fatalf("test value %q should be padded", std)
	}
	variants := map[string]string{
		"raw, percent-escaped":    url.QueryEscape(raw),
		"raw, + for space":        strings.ReplaceAll(url.PathEscape(raw), "%20", "+"),
		"raw, %20 for space":      url.PathEscape(raw),
		"base64url padded":        url.QueryEscape(std),
		"base64url padded, raw =": std,
		"base64url unpadded":      base64.RawURLEncoding.EncodeToString([]byte(raw)),
		"base64 std":              url.QueryEscape(base64.StdEncoding.EncodeToString([]byte(raw))),
	}
	want := h.get(invoicePDF + "?params=" + url.QueryEscape(raw))
	expectStatus(t, want, 200)
	for name, v := range variants {
		r := h.get(invoicePDF + "?params=" + v)
		expectStatus(t, r, 200)
		if !bytes.Equal(r.body, want.body) {
			t.Errorf("%s (%s): PDF differs from raw JSON", name, v)
		}
	}
	text := pdftotext(t, want.body)
	for _, phrase := range []string{`month = "2026-03"`, `customer = "TEST Enterprises"`} {
		if !strings.Contains(text, phrase) {
			t.Errorf("PDF text lacks %q:\n%s", phrase, text)
		}
	}
	for _, bad := range []string{"%7Bnot-json", "bm90IGpzb24", "%5B1%2C2%5D", "42"} {
		p := expectProblem(t, h.get(invoicePDF+"?params="+bad), 400, ValidationTitle)
		if len(p.Errors["params"]) != 1 || !strings.HasPrefix(p.Detail, "params: ") {
			t.Errorf("params=%s: %+v", bad, p)
		}
	}
	// Empty params is no params.
	expectStatus(t, h.get(invoicePDF+"?params="), 200)
}

func TestPDFText(t *testing.T) {
	h := newHarness(t)
	q := url.Values{
		"params":   {`{"month":"2026-03","note":"Café crème"}`},
		"timezone": {"Europe/Belgrade"}, "lang": {"sr"}, "theme": {"3"}, "template": {"compact"},
	}
	r := h.get(invoicePDF + "?" + q.Encode())
	expectStatus(t, r, 200)
	text := pdftotext(t, r.body)
	for _, phrase := range []string{
		"Invoice", "Workspace: Demo (demo)", "Theme: Corporate | Template: Compact",
		`month = "2026-03"`, `note = "Café crème"`, "Parameters this report understands", "Billing month, YYYY-MM.",
		"Source: sample data", "invoiceNumber: 12345", "issuer: Test Corporation", "Product 1", "29.99", "total: 588.34",
		"Page 1 of 3 | Timezone: Europe/Belgrade | Language: sr", "Payment is due within 30 days",
	} {
		if !strings.Contains(text, phrase) {
			t.Errorf("PDF text lacks %q", phrase)
		}
	}
	if t.Failed() {
		t.Log(text)
	}
	// Defaults: the report's theme and template, UTC, en.
	text = pdftotext(t, h.get(invoicePDF).body)
	for _, phrase := range []string{"Theme: Corporate | Template: Default", "Timezone: UTC | Language: en", "No parameters given."} {
		if !strings.Contains(text, phrase) {
			t.Errorf("default PDF text lacks %q", phrase)
		}
	}
	// Theme and template by code, id and name, case-insensitively.
	for _, v := range []string{"theme=plain", "theme=4", "theme=Plain", "theme=PLAIN"} {
		if text := pdftotext(t, h.get(invoicePDF+"?"+v).body); !strings.Contains(text, "Theme: Plain | Template: Default") {
			t.Errorf("%s: %s", v, text[:200])
		}
	}
	for _, v := range []string{"template=2", "template=Default", "template=default"} {
		if text := pdftotext(t, h.get("/api/v1/ws/1/reports/1630/pdf?"+v).body); !strings.Contains(text, "Template: Default") {
			t.Errorf("%s: %s", v, text[:200])
		}
	}
	p := expectProblem(t, h.get(invoicePDF+"?theme=neon"), 400, ValidationTitle)
	if p.Detail != `theme: no theme with id or code "neon"` {
		t.Fatalf("detail %q", p.Detail)
	}
	expectProblem(t, h.get(invoicePDF+"?template=99"), 400, ValidationTitle)
	p = expectProblem(t, h.get(invoicePDF+"?timezone=Mars/Olympus"), 400, ValidationTitle)
	if len(p.Errors["timezone"]) != 1 {
		t.Fatalf("problem %+v", p)
	}
}

func TestLongDataSpansPages(t *testing.T) {
	h := newHarness(t)
	var items []string
	for i := range 150 {
		items = append(items, `{"name":"Item `+itoa(int64(i))+`","quantity":1,"price":9.5}`)
	}
	data := `{"invoice":{"invoiceNumber":"LONG-1","items":[` + strings.Join(items, ",") + `]}}`
	r := h.get(invoicePDF + "?data=" + url.QueryEscape(data))
	expectStatus(t, r, 200)
	if n := pdfPageCount(r.body); n < 5 {
		t.Fatalf("%d pages for 150 items", n)
	}
	text := pdftotext(t, r.body)
	if !strings.Contains(text, "Item 149") || !strings.Contains(text, "invoiceNumber: LONG-1") || !strings.Contains(text, "Source: inline data") {
		t.Fatal("long data not rendered")
	}
}

func TestQueryDataAndBooleans(t *testing.T) {
	h := newHarness(t)
	r := h.get(invoicePDF + "?data=" + url.QueryEscape(`{"xyz":"123 456"}`))
	expectStatus(t, r, 200)
	if text := pdftotext(t, r.body); !strings.Contains(text, "xyz: 123 456") {
		t.Fatalf("data not rendered:\n%s", text)
	}
	// '+' is a space in data too.
	if r2 := h.get(invoicePDF + "?data=%7B%22xyz%22%3A%22123+456%22%7D"); !bytes.Equal(r.body, r2.body) {
		t.Fatal("+ in data not read as a space")
	}
	p := expectProblem(t, h.get(invoicePDF+"?data=%7Bbroken"), 400, ValidationTitle)
	if len(p.Errors["data"]) != 1 {
		t.Fatalf("problem %+v", p)
	}

	with := h.get(invoicePDF + "?includeAttachments=true")
	without := h.get(invoicePDF + "?includeAttachments=false")
	if !bytes.Contains(with.body, []byte("/Type /Filespec")) || bytes.Contains(without.body, []byte("/Type /Filespec")) {
		t.Fatal("includeAttachments has no effect")
	}
	for _, v := range []string{"True", "TRUE", "1", "tRuE"} {
		if r := h.get(invoicePDF + "?includeAttachments=" + v); !bytes.Equal(r.body, with.body) {
			t.Errorf("includeAttachments=%s differs from true", v)
		}
	}
	for _, v := range []string{"False", "FALSE", "0", ""} {
		if r := h.get(invoicePDF + "?includeAttachments=" + v); !bytes.Equal(r.body, without.body) {
			t.Errorf("includeAttachments=%s differs from false", v)
		}
	}
	if r := h.get(invoicePDF); !bytes.Equal(r.body, without.body) {
		t.Error("includeAttachments does not default to false")
	}
	p = expectProblem(t, h.get(invoicePDF+"?includeAttachments=yes"), 400, ValidationTitle)
	if len(p.Errors["includeAttachments"]) != 1 {
		t.Fatalf("problem %+v", p)
	}
	expectProblem(t, h.get(invoicePDF+"?tempDataId=abc"), 400, ValidationTitle)
}

func TestFormats(t *testing.T) {
	h := newHarness(t)
	types := map[string]string{
		"pdf":  "application/pdf",
		"docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
		"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
		"html": "text/html; charset=utf-8",
	}
	for i, f := range formatNames {
		for _, v := range []string{f, strings.ToUpper(f), strings.ToUpper(f[:1]) + f[1:], itoa(int64(i))} {
			r := h.get(invoicePDF + "?format=" + v + "&params=" + url.QueryEscape(`{"month":"2026-03"}`))
			expectStatus(t, r, 200)
			if r.Header.Get("Content-Type") != types[f] {
				t.Errorf("format=%s: Content-Type %q", v, r.Header.Get("Content-Type"))
			}
			if !strings.HasSuffix(r.Header.Get("Content-Disposition"), "Invoice."+f) {
				t.Errorf("format=%s: %s", v, r.Header.Get("Content-Disposition"))
			}
		}
	}
	p := expectProblem(t, h.get(invoicePDF+"?format=odt"), 400, ValidationTitle)
	if p.Detail != `format: unknown format "odt"; use pdf, docx, xlsx, pptx or html (or 0 to 4)` || len(p.Errors["format"]) != 1 {
		t.Fatalf("problem %+v", p)
	}
	expectProblem(t, h.get(invoicePDF+"?format=5"), 400, ValidationTitle)
}

// readZip checks that every XML part is well-formed and returns the text
// of all parts.
func readZip(t *testing.T, b []byte) (names []string, text string) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatal(err)
	}
	var all strings.Builder
	for _, f := range zr.File {
		names = append(names, f.Name)
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		dec := xml.NewDecoder(bytes.NewReader(data))
		for {
			tok, err := dec.Token()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatalf("%s: %v", f.Name, err)
			}
			if cd, ok := tok.(xml.CharData); ok {
				all.Write(cd)
				all.WriteByte('\n')
			}
		}
	}
	return names, all.String()
}

func TestOOXML(t *testing.T) {
	h := newHarness(t)
	q := "&params=" + url.QueryEscape(`{"month":"2026-03","note":"<b>&"}`)
	wantParts := map[string][]string{
		"docx": {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "word/document.xml"},
		"xlsx": {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/worksheets/sheet1.xml"},
		"pptx": {"[Content_Types].xml", "_rels/.rels", "docProps/core.xml", "ppt/slides/slide1.xml", "ppt/slides/_rels/slide1.xml.rels",
			"ppt/slides/slide2.xml", "ppt/slides/_rels/slide2.xml.rels", "ppt/slides/slide3.xml", "ppt/slides/_rels/slide3.xml.rels",
			"ppt/presentation.xml", "ppt/_rels/presentation.xml.rels", "ppt/slideMasters/slideMaster1.xml",
			"ppt/slideMasters/_rels/slideMaster1.xml.rels", "ppt/slideLayouts/slideLayout1.xml",
			"ppt/slideLayouts/_rels/slideLayout1.xml.rels", "ppt/theme/theme1.xml"},
	}
	for f, parts := range wantParts {
		r := h.get(invoicePDF + "?format=" + f + q)
		expectStatus(t, r, 200)
		names, text := readZip(t, r.body)
		if strings.Join(names, ",") != strings.Join(parts, ",") {
			t.Errorf("%s parts %v", f, names)
		}
		for _, phrase := range []string{"Invoice", `month = "2026-03"`, `note = "<b>&"`, "Workspace: Demo (demo)", "Test Corporation", "Product 2"} {
			if !strings.Contains(text, phrase) {
				t.Errorf("%s lacks %q", f, phrase)
			}
		}
		if again := h.get(invoicePDF + "?format=" + f + q); !bytes.Equal(again.body, r.body) {
			t.Errorf("%s is not deterministic", f)
		}
	}
	if colName(0) != "A" || colName(25) != "Z" || colName(26) != "AA" || colName(701) != "ZZ" || colName(702) != "AAA" {
		t.Fatal("colName")
	}
}

func TestHTMLFormat(t *testing.T) {
	h := newHarness(t)
	r := h.get(invoicePDF + "?format=html&params=" + url.QueryEscape(`{"month":"<2026-03>"}`))
	expectStatus(t, r, 200)
	body := string(r.body)
	for _, s := range []string{"<title>Invoice</title>", `month = &#34;&lt;2026-03&gt;&#34;`, "Parameters this report understands",
		"<td>Product 1</td>", "Timezone: UTC | Language: en"} {
		if !strings.Contains(body, s) {
			t.Errorf("html lacks %q", s)
		}
	}
	if strings.Contains(body, "<button") || strings.Contains(body, "<script") {
		t.Error("the html export carries preview controls")
	}
}

func TestPostPDF(t *testing.T) {
	h := newHarness(t)
	get := h.get(invoicePDF + "?params=" + url.QueryEscape(`{"month":"2026-03"}`) + "&data=" + url.QueryEscape(`{"xyz":"1"}`) + "&timezone=UTC&lang=en&theme=corporate")
	expectStatus(t, get, 200)
	bodies := []any{
		map[string]any{"params": map[string]any{"month": "2026-03"}, "data": map[string]any{"xyz": "1"}, "timezone": "UTC", "lang": "en", "theme": "corporate",
			"format": "pdf", "includeAttachments": false},
		`{"params":"{\"month\":\"2026-03\"}","data":"{\"xyz\":\"1\"}","format":0,"theme":3,"template":null}`,
		`{"params":{"month":"2026-03"},"data":{"xyz":"1"},"format":"PDF","includeAttachments":"False","timezone":null}`,
	}
	for i, b := range bodies {
		r := h.post(invoicePDF, b)
		expectStatus(t, r, 200)
		if !bytes.Equal(r.body, get.body) {
			t.Errorf("body %d: POST differs from GET", i)
		}
	}
	r := h.post("/api/v1/ws/demo/reports/invoice/pdf", map[string]any{"format": "Docx"})
	expectStatus(t, r, 200)
	if !strings.Contains(r.Header.Get("Content-Type"), "wordprocessingml") {
		t.Fatalf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	// An empty body is {}.
	r = h.req("POST", invoicePDF, DefaultToken, nil)
	expectStatus(t, r, 200)
	for body, field := range map[string]string{
		`{"params":`:                     "body",
		`[1,2]`:                          "body",
		`{"params":[1]}`:                 "params",
		`{"format":"rtf"}`:               "format",
		`{"includeAttachments":"maybe"}`: "includeAttachments",
		`{"theme":{"id":3}}`:             "theme",
	} {
		p := expectProblem(t, h.post(invoicePDF, body), 400, ValidationTitle)
		if len(p.Errors[field]) != 1 {
			t.Errorf("%s: errors %v, want field %s", body, p.Errors, field)
		}
	}
}

func TestRenderingFailures(t *testing.T) {
	h := newHarness(t)
	p := expectProblem(t, h.get("/api/v1/ws/demo/reports/failing/pdf"), 500, TitleRenderingFailed)
	if !strings.HasPrefix(p.Detail, "Rendering failed: ") {
		t.Fatalf("detail %q", p.Detail)
	}
	expectProblem(t, h.get(invoicePDF+"?params="+url.QueryEscape(`{"fail":true}`)), 500, TitleRenderingFailed)
	expectProblem(t, h.post(invoicePDF, `{"params":{"fail":"True"}}`), 500, TitleRenderingFailed)
	expectStatus(t, h.get(invoicePDF+"?params="+url.QueryEscape(`{"fail":false}`)), 200)
}

func TestHeadRequest(t *testing.T) {
	h := newHarness(t)
	r := h.req("HEAD", "/api/v1/ws/1/reports/large-document/pdf?params="+url.QueryEscape(`{"sizeMB":2}`), DefaultToken, nil)
	expectStatus(t, r, 200)
	if r.ContentLength != newLargePDF(2).size() || len(r.body) != 0 {
		t.Fatalf("HEAD: Content-Length %d, body %d", r.ContentLength, len(r.body))
	}
}
