package tools

import (
	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// exportRoute is the CxReports endpoint an export goes through.
type exportRoute int

const (
	// viaGET is GET …/pdf with the values in the query (E5).
	viaGET exportRoute = iota
	// viaPOST is POST …/pdf with the values in a JSON body (E6).
	viaPOST
	// viaBackground is the asynchronous export: POST …/export, then
	// status polls and the download (E7–E9).
	viaBackground
)

// maxGETQuery is the longest query string sent with GET …/pdf. IIS, which
// commonly fronts CxReports, refuses query strings over 2048 bytes by
// default, and proxies have their own limits; longer inputs go in a body.
const maxGETQuery = 1500

// planExport picks the endpoint of an export. The rules, in order:
//
//  1. async, or exclude_pages (which only the asynchronous request takes):
//     the background export.
//  2. A plain PDF (no format other than pdf, no theme, template, lang or
//     include_attachments) whose query fits maxGETQuery: GET (E5). Every
//     CxReports version and every official client has it; servers older
//     than the POST endpoints have nothing else.
//  3. With temp_data_id: the background export, because the body of
//     POST …/pdf has no tempDataId while that of POST …/export does.
//  4. Otherwise POST …/pdf (E6): long params and data stay out of URLs
//     (length limits, proxy logs), and the options go in the body the
//     clients that introduced them use. A server too old to know them
//     answers POST with 404 or 405, a clear failure, where GET would
//     silently ignore unknown query keys and return the default look.
//
// Nothing switches routes on its own by timing: a slow synchronous export
// fails with a timeout whose message suggests async, so a call never runs
// a report twice.
func planExport(o schemas.ExportOptions, q *cxapi.ReportQuery) exportRoute {
	switch {
	case o.Async || len(o.ExcludePages) > 0:
		return viaBackground
	case plainPDF(o) && len(q.Encode()) <= maxGETQuery:
		return viaGET
	case q.TempDataID != 0:
		return viaBackground
	}
	return viaPOST
}

// plainPDF reports whether o asks for nothing beyond a default PDF.
func plainPDF(o schemas.ExportOptions) bool {
	f, _ := formatNamed(o.Format)
	return f.name == "pdf" && o.Theme == "" && o.Template == "" && o.Lang == "" && !o.IncludeAttachments
}

// exportRequest is the JSON body of POST …/pdf and POST …/export.
func exportRequest(o schemas.ExportOptions, q *cxapi.ReportQuery) *cxapi.ExportRequest {
	f, _ := formatNamed(o.Format)
	req := &cxapi.ExportRequest{
		Params:       q.Params,
		Data:         q.Data,
		Lang:         o.Lang,
		Timezone:     q.Timezone,
		Format:       f.name,
		Theme:        o.Theme,
		Template:     o.Template,
		ExcludePages: o.ExcludePages,
		TempDataID:   q.TempDataID,
	}
	if o.IncludeAttachments {
		yes := true
		req.IncludeAttachments = &yes
	}
	return req
}
