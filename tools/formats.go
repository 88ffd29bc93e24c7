package tools

import (
	"mime"
	"path/filepath"
	"strings"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
)

// docFormat is a document format CxReports exports.
type docFormat struct {
	name  string // the API's format value
	ext   string // file extension
	mime  string // MIME type of the file and its resource link
	label string // for people: "PDF", "Word document", …
}

// formats lists the formats of export_pdf's format argument; the first is
// the default.
var formats = []docFormat{
	{"pdf", ".pdf", cxapi.ContentTypePDF, "PDF"},
	{"docx", ".docx", cxapi.ContentTypeDOCX, "Word document"},
	{"xlsx", ".xlsx", cxapi.ContentTypeXLSX, "Excel workbook"},
	{"pptx", ".pptx", cxapi.ContentTypePPTX, "PowerPoint presentation"},
	{"html", ".html", cxapi.ContentTypeHTML, "HTML page"},
}

// formatNamed returns the format called name ("" means pdf); ok is false
// for an unknown name, which schema validation already rules out.
func formatNamed(name string) (f docFormat, ok bool) {
	if name == "" {
		return formats[0], true
	}
	for _, f := range formats {
		if f.name == strings.ToLower(name) {
			return f, true
		}
	}
	return docFormat{}, false
}

// formatOf tells the format of a downloaded document whose format was not
// chosen by this call (a collected background export): by its content
// type, else by its file name's extension. An unknown document keeps its
// own extension and content type.
func formatOf(doc *cxapi.Document) docFormat {
	mt, _, _ := mime.ParseMediaType(doc.ContentType)
	ext := strings.ToLower(filepath.Ext(doc.FileName))
	for _, f := range formats {
		if mt == f.mime {
			return f
		}
	}
	for _, f := range formats {
		if ext == f.ext || ext == ".htm" && f.name == "html" {
			return f
		}
	}
	if mt == "" {
		mt = "application/octet-stream"
	}
	return docFormat{name: "", ext: ext, mime: mt, label: "Document"}
}
