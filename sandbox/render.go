package sandbox

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
)

// Large-document limits, in MiB.
const (
	DefaultLargeDocumentMB = 5
	MaxLargeDocumentMB     = 500
)

// TitleRenderingFailed is the title of a 500 answer when a report fails to
// render synchronously (the failing report type, or params {"fail": true}).
const TitleRenderingFailed = "Rendering failed"

// renderFailure is a report that cannot be rendered.
type renderFailure struct{ msg string }

func (f *renderFailure) Error() string { return "Rendering failed: " + f.msg }

// docResult is a rendered document, ready to be written.
type docResult struct {
	name        string
	contentType string
	size        int64
	write       func(ctx context.Context, w io.Writer) error
}

var contentTypes = map[docFormat]string{
	formatPDF:  "application/pdf",
	formatDOCX: "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	formatXLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	formatPPTX: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	formatHTML: "text/html; charset=utf-8",
}

// resolveRender checks a request against the workspace and report and
// gathers everything a renderer needs. Errors are ProblemDetails (400, 404).
func (s *Server) resolveRender(ws *workspace, rep *report, req exportRequest) (*renderInput, error) {
	in := &renderInput{ws: ws, report: rep, params: req.params, format: req.format, attach: req.attachments, exclude: req.excludePages}
	var err error
	if in.timezone, err = checkTimezone(req.timezone); err != nil {
		return nil, err
	}
	in.lang = req.lang
	if in.lang == "" {
		in.lang = "en"
	}
	if in.theme, err = s.pickTheme("theme", s.data.themes, req.theme, rep.ThemeName); err != nil {
		return nil, err
	}
	if in.template, err = s.pickTheme("template", s.data.templates, req.template, rep.TemplateName); err != nil {
		return nil, err
	}
	if len(req.excludePages) > 0 {
		left := 0
		for i, p := range rep.Pages {
			if !excluded(req.excludePages, i+1, p.ID) {
				left++
			}
		}
		if left == 0 {
			return nil, badRequest("excludePages", "every page of the report is excluded")
		}
	}
	if err := s.resolveData(in, ws, req); err != nil {
		return nil, err
	}
	if rep.TypeCode == TypeLargeDocument {
		in.sizeMB = DefaultLargeDocumentMB
		if v, ok := req.params.get("sizeMB"); ok && v != nil {
			n, err := strconv.Atoi(scalarText(v))
			if err != nil || n < 1 || n > MaxLargeDocumentMB {
				return nil, badRequest("params.sizeMB", fmt.Sprintf("must be an integer from 1 to %d, got %s", MaxLargeDocumentMB, compactJSON(v)))
			}
			in.sizeMB = n
		}
	}
	return in, nil
}

func (s *Server) pickTheme(field string, list []*theme, asked, fallback string) (*theme, error) {
	if asked == "" {
		if t := lookupTheme(list, fallback); t != nil {
			return t, nil
		}
		return list[0], nil
	}
	if t := lookupTheme(list, asked); t != nil {
		return t, nil
	}
	return nil, badRequest(field, fmt.Sprintf("no %s with id or code %q", field, asked))
}

// resolveData picks the data: temporary data and inline data (merged, the
// inline keys winning, when both are objects), else the report's sample.
func (s *Server) resolveData(in *renderInput, ws *workspace, req exportRequest) error {
	var sources []string
	if req.tempDataID != 0 {
		content, ok := s.lookupTempData(ws.ID, req.tempDataID)
		if !ok {
			return notFound(TitleTempDataNotFound, fmt.Sprintf("no temporary data %d in workspace %q (it may have expired)", req.tempDataID, ws.Code))
		}
		in.data = content
		sources = append(sources, "temporary data "+strconv.FormatInt(req.tempDataID, 10))
	}
	if req.hasData {
		base, baseIsObj := in.data.(object)
		inline, inlineIsObj := req.data.(object)
		if baseIsObj && inlineIsObj {
			merged := append(object(nil), base...)
			for _, m := range inline {
				merged = merged.set(m.Key, m.Value)
			}
			in.data = merged
		} else {
			in.data = req.data
		}
		sources = append(sources, "inline data")
	}
	if len(sources) == 0 {
		if in.report.Data != nil && len(in.report.Data.Example) > 0 {
			in.data = mustDecode(string(in.report.Data.Example))
			sources = append(sources, "sample data")
		} else {
			in.data = object{}
			sources = append(sources, "no data")
		}
	}
	in.dataSource = strings.Join(sources, " + ")
	return nil
}

// failure returns why in cannot render, or "".
func (in *renderInput) failure() string {
	if in.report.TypeCode == TypeFailing {
		return "the report type " + quote(TypeFailing) + " always fails"
	}
	if v, ok := in.params.get("fail"); ok && truthy(v) {
		return "the report was asked to fail (params.fail = true)"
	}
	return ""
}

// render produces the document bytes (or, for the large document, a
// streaming writer of known size).
func render(in *renderInput) (*docResult, error) {
	if msg := in.failure(); msg != "" {
		return nil, &renderFailure{msg}
	}
	res := &docResult{name: in.fileName(), contentType: contentTypes[in.format]}
	if in.report.TypeCode == TypeLargeDocument {
		if in.format != formatPDF {
			return nil, badRequest("format", "the large-document report renders only pdf")
		}
		l := newLargePDF(in.sizeMB)
		res.size = l.size()
		res.write = func(ctx context.Context, w io.Writer) error {
			_, err := l.writeTo(ctx, w)
			return err
		}
		return res, nil
	}
	doc := buildDocument(in)
	var b []byte
	var err error
	switch in.format {
	case formatPDF:
		b, err = renderPDF(doc)
	case formatHTML:
		b, err = renderHTML(doc, false, false)
	case formatDOCX:
		b, err = renderDOCX(doc)
	case formatXLSX:
		b, err = renderXLSX(doc)
	case formatPPTX:
		b, err = renderPPTX(doc)
	}
	if err != nil {
		return nil, err
	}
	return bytesDoc(res.name, res.contentType, b), nil
}

// bytesDoc wraps rendered bytes.
func bytesDoc(name, contentType string, b []byte) *docResult {
	return &docResult{name: name, contentType: contentType, size: int64(len(b)),
		write: func(_ context.Context, w io.Writer) error {
			_, err := io.Copy(w, bytes.NewReader(b))
			return err
		}}
}

// writeDocument answers 200 with the document and its file name.
func (s *Server) writeDocument(w http.ResponseWriter, r *http.Request, doc *docResult) {
	h := w.Header()
	h.Set("Content-Type", doc.contentType)
	h.Set("Content-Disposition", ContentDisposition(doc.name))
	h.Set("Content-Length", strconv.FormatInt(doc.size, 10))
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if err := doc.write(r.Context(), w); err != nil {
		s.log.DebugContext(r.Context(), "sandbox: document write stopped", "name", doc.name, "err", err)
	}
}

// handleGetPDF is E5: GET .../reports/{report}/pdf with query parameters.
func (s *Server) handleGetPDF(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, rep, err := s.resolveTarget(r, u)
	if err != nil {
		return err
	}
	req, err := parseQueryRequest(r.URL.Query())
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, ws, rep, req)
}

// handlePostPDF is E6: POST .../reports/{report}/pdf with a JSON
// ReportExportRequest.
func (s *Server) handlePostPDF(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, rep, req, err := s.bodyTarget(w, r, u, false)
	if err != nil {
		return err
	}
	return s.serveDocument(w, r, ws, rep, req)
}

// bodyTarget resolves the workspace and report of a POST export (E6 or E7)
// and parses its JSON body; async admits the keys only E7 takes.
func (s *Server) bodyTarget(w http.ResponseWriter, r *http.Request, u *user, async bool) (*workspace, *report, exportRequest, error) {
	ws, rep, err := s.resolveTarget(r, u)
	if err != nil {
		return nil, nil, exportRequest{}, err
	}
	body, err := readObjectBody(w, r)
	if err != nil {
		return nil, nil, exportRequest{}, err
	}
	req, err := parseBodyRequest(body, async)
	if err != nil {
		return nil, nil, exportRequest{}, err
	}
	return ws, rep, req, nil
}

// resolveTarget resolves the {ws} and {report} path values.
func (s *Server) resolveTarget(r *http.Request, u *user) (*workspace, *report, error) {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return nil, nil, err
	}
	rep, err := s.resolveReport(r, ws)
	if err != nil {
		return nil, nil, err
	}
	return ws, rep, nil
}

func (s *Server) serveDocument(w http.ResponseWriter, r *http.Request, ws *workspace, rep *report, req exportRequest) error {
	in, err := s.resolveRender(ws, rep, req)
	if err != nil {
		return err
	}
	doc, err := render(in)
	if f, ok := err.(*renderFailure); ok {
		return &problem{Status: http.StatusInternalServerError, Title: TitleRenderingFailed, Detail: f.Error()}
	}
	if err != nil {
		return err
	}
	s.writeDocument(w, r, doc)
	return nil
}

// ContentDisposition returns the attachment header for a file name: an
// ASCII fallback in filename= and the full UTF-8 name in filename*=, e.g.
// attachment; filename="Invoice.pdf"; filename*=UTF-8”Invoice.pdf
func ContentDisposition(name string) string {
	return `attachment; filename="` + asciiFallback(name) + `"; filename*=UTF-8''` + rfc5987(name)
}

// asciiFallback folds common accented letters and replaces anything else
// outside printable ASCII (and the quote and backslash) with '_'.
func asciiFallback(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '"' || r == '\\':
			b.WriteByte('_')
		case r >= 0x20 && r < 0x7f:
			b.WriteRune(r)
		default:
			if f, ok := foldTable[r]; ok {
				b.WriteString(f)
			} else {
				b.WriteByte('_')
			}
		}
	}
	return b.String()
}

var foldTable = func() map[rune]string {
	m := map[rune]string{'ß': "ss", 'æ': "ae", 'Æ': "AE", 'œ': "oe", 'Œ': "OE", 'ø': "o", 'Ø': "O", 'đ': "d", 'Đ': "D", 'ł': "l", 'Ł': "L",
		'–': "-", '—': "-", '‘': "'", '’': "'", '“': "'", '”': "'"}
	groups := map[string]string{
		"a": "àáâãäåāăą", "A": "ÀÁÂÃÄÅĀĂĄ", "c": "çćčĉċ", "C": "ÇĆČĈĊ", "e": "èéêëēĕėęě", "E": "ÈÉÊËĒĔĖĘĚ",
		"i": "ìíîïĩīĭįı", "I": "ÌÍÎÏĨĪĬĮİ", "n": "ñńňņ", "N": "ÑŃŇŅ", "o": "òóôõöōŏő", "O": "ÒÓÔÕÖŌŎŐ",
		"u": "ùúûüũūŭůűų", "U": "ÙÚÛÜŨŪŬŮŰŲ", "y": "ýÿ", "Y": "ÝŸ", "s": "śšşŝ", "S": "ŚŠŞŜ", "z": "źžż", "Z": "ŹŽŻ",
		"g": "ğĝġģ", "G": "ĞĜĠĢ", "r": "ŕř", "R": "ŔŘ", "t": "ťţ", "T": "ŤŢ", "d": "ď", "D": "Ď", "l": "ĺľļ", "L": "ĹĽĻ",
	}
	for ascii, letters := range groups {
		for _, r := range letters {
			m[r] = ascii
		}
	}
	return m
}()

// rfc5987 percent-encodes every byte outside RFC 5987's attr-char.
func rfc5987(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.IndexByte("!#$&+-.^_`|~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
