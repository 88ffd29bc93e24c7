package tools

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// maxQueryBytes caps the encoded query of a preview link: CxReports' web
// server refuses longer request lines (Kestrel's default limit is 8 KiB),
// and a browser link of megabytes helps no one. (export_pdf sends long
// params and data in a request body instead; see exportplan.go.)
const maxQueryBytes = 8 << 10

// reportCall is a resolved report selection: where, which report, and the
// values it is rendered with.
type reportCall struct {
	ws     string
	ref    cxapi.ReportRef
	query  *cxapi.ReportQuery
	target *target
}

// reportCall resolves the shared report arguments of export_pdf and
// create_preview_link.
func (e *Env) reportCall(ctx context.Context, a schemas.ReportArgs) (*reportCall, error) {
	ws, err := e.workspace(ctx, a.Workspace)
	if err != nil {
		return nil, err
	}
	return e.reportCallIn(ctx, ws, a)
}

// reportCallIn resolves the report arguments within workspace ws, already
// resolved (a.Workspace is not read). It is safe to call concurrently on
// one Env, as export_batch does.
func (e *Env) reportCallIn(ctx context.Context, ws string, a schemas.ReportArgs) (*reportCall, error) {
	ref, name, err := e.reportRef(ctx, ws, a.ReportSelector)
	if err != nil {
		// What the call was about, for errorFromErr(err, call.about()).
		return &reportCall{ws: ws, target: &target{Workspace: ws}}, err
	}
	tz, err := e.timezone(a.Timezone)
	if err != nil {
		return nil, err
	}
	q := &cxapi.ReportQuery{TempDataID: a.TempDataID, Timezone: tz}
	if q.Params, err = rawObject(a.Params); err != nil {
		return nil, &inputError{"params: " + err.Error()}
	}
	if q.Data, err = rawObject(a.Data); err != nil {
		return nil, &inputError{"data: " + err.Error()}
	}
	return &reportCall{ws: ws, ref: ref, query: q, target: &target{Workspace: ws, Report: name}}, nil
}

// about is what a (possibly failed) report call was about, for error
// messages; nil when not even the workspace was resolved.
func (c *reportCall) about() *target {
	if c == nil {
		return nil
	}
	return c.target
}

// reportRef resolves a report selector within workspace ws: exactly one of
// report_id, report_type and report_name. name describes the report for
// messages, e.g. `report 1627` or `the default "invoice" report`.
func (e *Env) reportRef(ctx context.Context, ws string, s schemas.ReportSelector) (ref cxapi.ReportRef, name string, err error) {
	given := 0
	for _, set := range []bool{s.ReportID != 0, s.ReportType != "", s.ReportName != ""} {
		if set {
			given++
		}
	}
	switch {
	case given > 1:
		return ref, "", &inputError{"give only one of report_id, report_type and report_name"}
	case s.ReportID != 0:
		return cxapi.ReportByID(s.ReportID), fmt.Sprintf("report %d", s.ReportID), nil
	case s.ReportType != "":
		return cxapi.ReportByType(s.ReportType), fmt.Sprintf("the default %q report", s.ReportType), nil
	case s.ReportName != "":
		r, err := e.reportNamed(ctx, ws, s.ReportName)
		if err != nil {
			return ref, "", err
		}
		return cxapi.ReportByID(r.ID), fmt.Sprintf("report %d %q", r.ID, r.Name), nil
	}
	return ref, "", &inputError{"a report is required: give report_id (from list_reports), report_type (a code from list_report_types) or report_name"}
}

// rawObject encodes an optional JSON object argument; nil stays nil.
func rawObject(m map[string]any) (json.RawMessage, error) {
	if m == nil {
		return nil, nil
	}
	return json.Marshal(m)
}
