package sandbox

import (
	"bytes"
	"errors"
	"html/template"
	"net/http"
)

var documentTemplate = template.Must(template.New("doc").Parse(`<!DOCTYPE html>
<html lang="{{.Doc.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Doc.Title}}</title>
<style>
body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 52em; color: #111; }
h1, h2, h3, th { color: {{.Accent}}; }
header { border-bottom: 2px solid {{.Accent}}; margin-bottom: 1em; }
.meta, footer { color: #555; font-size: 0.9em; }
section.page { margin-bottom: 2em; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #999; padding: 0.2em 0.5em; text-align: left; }
.l1 { margin-left: 1.5em; } .l2 { margin-left: 3em; } .l3 { margin-left: 4.5em; } .l4 { margin-left: 6em; }
@media print { button { display: none; } }
</style>
</head>
<body>
<header>
<h1>{{.Doc.Title}}</h1>
<p class="meta">Workspace: {{.Doc.Workspace}}</p>
<p class="meta">{{.Meta}}</p>
{{- if .PrintButton}}
<p><button type="button" onclick="window.print()">Print</button></p>
{{- end}}
</header>
{{- range .Doc.Sections}}
<section class="page" data-page-id="{{.PageID}}">
<h2>{{.Title}}</h2>
{{- range .Blocks}}
{{- if eq .Kind 0}}
<h3 class="l{{.Level}}">{{.Text}}</h3>
{{- else if eq .Kind 1}}
<p class="l{{.Level}}">{{.Text}}</p>
{{- else}}
<table class="l{{.Level}}">
<tr>{{range .Columns}}<th>{{.}}</th>{{end}}</tr>
{{- range .Rows}}
<tr>{{range .}}<td>{{.}}</td>{{end}}</tr>
{{- end}}
</table>
{{- end}}
{{- end}}
</section>
{{- end}}
<footer>{{.Footer}}{{if .Doc.Attachments}} | Attachments: data.json{{end}}</footer>
{{- if .Preview}}
<script>
window.addEventListener("message", function (e) { if (e.data === "print") { window.print(); } });
</script>
{{- end}}
</body>
</html>
`))

// renderHTML draws the document as a standalone HTML page. The preview
// variant adds a print button (unless hidden) and answers the parent
// frame's postMessage("print").
func renderHTML(d *document, preview, hidePrintButton bool) ([]byte, error) {
	accent := "#000000"
	if d.Theme == "Corporate" {
		accent = "#003366"
	}
	var buf bytes.Buffer
	err := documentTemplate.Execute(&buf, map[string]any{
		"Doc": d, "Accent": template.CSS(accent), "Preview": preview, "PrintButton": preview && !hidePrintButton,
		"Meta": d.meta(), "Footer": d.footer(),
	})
	return buf.Bytes(), err
}

var messageTemplate = template.Must(template.New("msg").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{.Title}}</title></head>
<body style="font-family: Helvetica, Arial, sans-serif; margin: 3em;">
<h1>{{.Title}}</h1>
<p>{{.Message}}</p>
</body></html>
`))

// writeHTMLMessage answers the preview page's errors: small HTML pages.
func writeHTMLMessage(w http.ResponseWriter, status int, title, message string) {
	var buf bytes.Buffer
	_ = messageTemplate.Execute(&buf, map[string]string{"Title": title, "Message": message})
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}

// handlePreview is P1, the browser preview page. It authenticates by a
// single-use nonce (turned into the cxr_session cookie), the cookie, or a
// Bearer token, and shows the same content as the PDF.
func (s *Server) handlePreview(w http.ResponseWriter, r *http.Request) {
	u, reason := s.previewUser(w, r)
	if u == nil {
		writeHTMLMessage(w, http.StatusUnauthorized, "Preview unavailable", reason)
		return
	}
	ws, rep, err := s.resolveTarget(r, u)
	if err == nil {
		err = s.servePreview(w, r, ws, rep)
	}
	if err == nil {
		return
	}
	var p *problem
	if !errors.As(err, &p) {
		p = &problem{Status: http.StatusInternalServerError, Title: "Internal Server Error", Detail: err.Error()}
	}
	writeHTMLMessage(w, p.Status, p.Title, p.Detail)
}

func (s *Server) servePreview(w http.ResponseWriter, r *http.Request, ws *workspace, rep *report) error {
	q := r.URL.Query()
	req, err := parseQueryRequest(q)
	if err != nil {
		return err
	}
	req.format = formatHTML
	in, err := s.resolveRender(ws, rep, req)
	if err != nil {
		return err
	}
	if msg := in.failure(); msg != "" {
		return &problem{Status: http.StatusInternalServerError, Title: TitleRenderingFailed, Detail: (&renderFailure{msg}).Error()}
	}
	hide, _ := parseBool(q.Get("hidePrintButton"))
	page, err := renderHTML(buildDocument(in), true, hide)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(page)
	return nil
}

// handleIndex is a small landing page for people who open the sandbox in
// a browser.
func (s *Server) handleIndex(w http.ResponseWriter, r *http.Request) {
	writeHTMLMessage(w, http.StatusOK, "CxReports sandbox",
		"A local stand-in for the CxReports REST API. The API is under /api/v1 and needs "+
			"Authorization: Bearer <token>; report previews are at /ws/{ws}/reports/{report}/preview.")
}
