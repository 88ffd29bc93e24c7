package tools

import (
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
func (e *Env) reportCall(a schemas.ReportArgs) (*reportCall, error) {
	ws, err := e.workspace(a.Workspace)
	if err != nil {
		return nil, err
	}
	var ref cxapi.ReportRef
	var name string
	switch {
	case a.ReportID != 0 && a.ReportType != "":
		return nil, &inputError{"give either report_id or report_type, not both"}
	case a.ReportID != 0:
		ref = cxapi.ReportByID(a.ReportID)
		name = fmt.Sprintf("report %d", a.ReportID)
	case a.ReportType != "":
		ref = cxapi.ReportByType(a.ReportType)
		name = fmt.Sprintf("the default %q report", a.ReportType)
	default:
		return nil, &inputError{"a report is required: give report_id (from list_reports) or report_type (a code from list_report_types)"}
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

// rawObject encodes an optional JSON object argument; nil stays nil.
func rawObject(m map[string]any) (json.RawMessage, error) {
	if m == nil {
		return nil, nil
	}
	return json.Marshal(m)
}
