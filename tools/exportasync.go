package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// The status of a background export is polled after firstPoll, then at
// intervals growing by half up to maxPoll: quick for exports that take a
// second, a status request every 2 s at most for slow ones.
const (
	firstPoll = 200 * time.Millisecond
	maxPoll   = 2 * time.Second
)

// exportJob is a background export (a CxReports temporary file) being
// waited for.
type exportJob struct {
	ws     string
	id     int64
	report string    // e.g. `report 1627`; "" when collecting by export_id
	format docFormat // the format asked for; zero when collecting
	// fileName, when set, names the saved file instead of CxReports.
	fileName string
}

// what names the job in messages.
func (j exportJob) what() string {
	if j.report == "" {
		return fmt.Sprintf("export %d", j.id)
	}
	return j.report
}

// subject starts a sentence about the job.
func (j exportJob) subject() string {
	s := fmt.Sprintf("Export %d", j.id)
	if j.report != "" {
		s += " of " + j.report
	}
	return s
}

func (j exportJob) target() *target {
	return &target{Workspace: j.ws, Report: j.what(), Export: j.id}
}

// startExport starts a background export (E7) and waits for it.
func (e *Env) startExport(ctx context.Context, call *reportCall, req *cxapi.ExportRequest, f docFormat, dst *destination, nameAs string, prog *progress) (*savedDoc, *mcp.CallToolResult) {
	id, err := e.api.StartExport(ctx, call.ws, call.ref, req)
	if endpointMissing(err) {
		return nil, errorResult(fmt.Sprintf("This CxReports server has no background exports (%s), which async, exclude_pages and temp_data_id with options need. "+
			"Export without them, or update CxReports.", statusOf(err)))
	}
	if err != nil {
		return nil, errorFromErr(err, call.target)
	}
	return e.awaitDoc(ctx, exportJob{ws: call.ws, id: id, report: call.target.Report, format: f, fileName: nameAs}, dst, prog)
}

// collectExport waits for a background export started by an earlier call.
func (e *Env) collectExport(ctx context.Context, in schemas.ExportPDFInput, dst *destination) *mcp.CallToolResult {
	ws, err := e.workspace(ctx, in.Workspace)
	if err != nil {
		return errorFromErr(err, nil)
	}
	return e.awaitExport(ctx, exportJob{ws: ws, id: in.ExportID}, dst, extrasOf(in))
}

// awaitExport waits for a background export (awaitDoc) and describes the
// saved document, or returns why there is none yet.
func (e *Env) awaitExport(ctx context.Context, job exportJob, dst *destination, x extras) *mcp.CallToolResult {
	saved, res := e.awaitDoc(ctx, job, dst, e.progress(ctx))
	if res != nil {
		return withPendingExtras(res, x)
	}
	return e.documentResult(ctx, saved, x)
}

// withPendingExtras adds to the result of an export still rendering (not
// an error, no document yet) what the collecting call must ask for again.
func withPendingExtras(res *mcp.CallToolResult, x extras) *mcp.CallToolResult {
	if res.IsError || hasResourceLink(res) {
		return res
	}
	var again []string
	if x.embed {
		again = append(again, `"embed": true`)
	}
	if x.text {
		again = append(again, `"include_text": true`)
	}
	if len(again) > 0 {
		appendText(res, "When collecting it, pass "+strings.Join(again, " and ")+" again.")
	}
	return res
}

// awaitDoc polls the status of a background export (E8) for at most
// Deps.ExportWait, reporting each pause to prog (when not nil), and then
// saves the document (E9) in dst. Instead of a document it returns the
// failure, or, when the export is still running, a result with the handle
// to collect it later.
func (e *Env) awaitDoc(ctx context.Context, job exportJob, dst *destination, prog *progress) (*savedDoc, *mcp.CallToolResult) {
	clock := e.deps.clock()
	start := clock.Now()
	deadline := start.Add(e.deps.exportWait())
	for pause := firstPoll; ; pause = min(pause*3/2, maxPoll) {
		st, err := e.api.ExportStatus(ctx, job.ws, job.id)
		if err != nil {
			return nil, errorFromErr(err, job.target())
		}
		switch {
		case st.Status == cxapi.ExportFailed:
			return nil, failedExport(job, st)
		case st.Status == cxapi.ExportCompleted || st.IsReady:
			return e.downloadExport(ctx, job, st, dst)
		}
		// InProgress, or a status this server does not know: wait.
		now := clock.Now()
		left := deadline.Sub(now)
		if left <= 0 {
			return nil, pendingExport(job, st, now.Sub(start))
		}
		if prog != nil {
			prog.step(fmt.Sprintf("Export %d is rendering on CxReports: %.1f s so far.", job.id, now.Sub(start).Seconds()))
		}
		if err := clock.Sleep(ctx, min(pause, left)); err != nil {
			return nil, errorFromErr(err, job.target())
		}
	}
}

// downloadExport saves a finished background export. Its format comes
// from the status (content type, then file name), else from the request,
// else from the download itself.
func (e *Env) downloadExport(ctx context.Context, job exportJob, st *cxapi.ExportStatus, dst *destination) (*savedDoc, *mcp.CallToolResult) {
	f := formatOf(&cxapi.Document{ContentType: deref(st.ContentType), FileName: deref(st.Name)})
	if f.name == "" && job.format.name != "" {
		f = job.format
	}
	fetch := func(w io.Writer) (*cxapi.Document, error) {
		return e.api.DownloadExport(ctx, job.ws, job.id, w)
	}
	name := func(doc *cxapi.Document) string {
		switch {
		case job.fileName != "":
			return job.fileName
		case doc.FileName != "":
			return doc.FileName
		case deref(st.Name) != "":
			return deref(st.Name)
		}
		return fmt.Sprintf("export-%d", job.id)
	}
	saved, err := e.save(ctx, dst, f, fetch, name, job.what(), job.ws)
	if err != nil {
		return nil, e.saveFailure(err, f, dst, job.target())
	}
	return saved, nil
}

// pendingExport is the non-error result of an export still running when
// the wait ends: it gives the handle that collects the export later.
func pendingExport(job exportJob, st *cxapi.ExportStatus, waited time.Duration) *mcp.CallToolResult {
	handle, _ := json.Marshal(map[string]any{"export_id": job.id, "workspace": job.ws})
	text := fmt.Sprintf("%s in workspace %s is still rendering after %.0f s; it goes on in the background on CxReports. "+
		"To collect it, call export_pdf again with %s", job.subject(), job.ws, waited.Seconds(), handle)
	if st.ExpiryTime != nil {
		text += " (it is kept until " + st.ExpiryTime.UTC().Format(time.RFC3339) + ")"
	}
	return textResult(text+".", nil)
}

// failedExport is the isError result of an export that CxReports gave up.
func failedExport(job exportJob, st *cxapi.ExportStatus) *mcp.CallToolResult {
	reason := oneLine(deref(st.ErrorMessage), 300)
	if reason == "" {
		reason = "CxReports gave no reason"
	}
	return errorResult(fmt.Sprintf("%s failed on CxReports: %s. Check params and data, then export again.", job.subject(), strings.TrimRight(reason, ". ")))
}

// oneLine reduces server text to one line of at most max bytes.
func oneLine(s string, max int) string {
	s = strings.Join(strings.FieldsFunc(s, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }), " ")
	if len(s) > max {
		cut := max
		for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
