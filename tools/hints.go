package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/reporthints"
)

// hintsFor returns what the report hints file says about a report, and
// which entry said it ("report 1627" or "report type invoice"), or nil.
// A report's own entry wins over its type's; reading the report's type
// (or a type's default report) may take cached list calls, and only
// happens when the file has entries of the other kind.
func (e *Env) hintsFor(ctx context.Context, ws string, ref cxapi.ReportRef) (*reporthints.Hint, string) {
	f := e.deps.ReportHints
	if f.Empty() {
		return nil, ""
	}
	if ref.ID != 0 {
		if h := f.ForReport(ref.ID); h != nil {
			return h, fmt.Sprintf("report %d", ref.ID)
		}
		if len(f.ReportTypes) == 0 {
			return nil, ""
		}
		code := e.typeCodeOf(ctx, ws, ref.ID)
		if h := f.ForType(code); code != "" && h != nil {
			return h, "report type " + code
		}
		return nil, ""
	}
	if h := f.ForType(ref.TypeCode); h != nil {
		return h, "report type " + ref.TypeCode
	}
	if len(f.Reports) == 0 {
		return nil, ""
	}
	types, err := e.reportTypes(ctx, ws)
	if err != nil {
		return nil, ""
	}
	if t := typeByCode(types, ref.TypeCode); t != nil && t.DefaultReportID != nil {
		if h := f.ForReport(*t.DefaultReportID); h != nil {
			return h, fmt.Sprintf("report %d", *t.DefaultReportID)
		}
	}
	return nil, ""
}

// typeCodeOf returns the type code of report id, or "" when unknown.
func (e *Env) typeCodeOf(ctx context.Context, ws string, id int64) string {
	cat, err := e.reports(ctx, ws)
	if err != nil {
		return ""
	}
	r := reportByID(cat, id)
	if r == nil {
		return ""
	}
	types, err := e.reportTypes(ctx, ws)
	if err != nil {
		return ""
	}
	if t := typeByID(types, r.ReportTypeID); t != nil {
		return t.Code
	}
	return ""
}

// paramWarning returns a line warning about params the report hints do not
// document for the report, or "" when all are documented or nothing is
// documented for it.
func (e *Env) paramWarning(ctx context.Context, call *reportCall) string {
	var params map[string]json.RawMessage
	if len(call.query.Params) == 0 || json.Unmarshal(call.query.Params, &params) != nil || len(params) == 0 {
		return ""
	}
	h, source := e.hintsFor(ctx, call.ws, call.ref)
	if h == nil {
		return ""
	}
	var unknown []string
	for name := range params {
		if !h.Documents(name) {
			unknown = append(unknown, fmt.Sprintf("%q", name))
		}
	}
	if len(unknown) == 0 {
		return ""
	}
	slices.Sort(unknown)
	what := "param " + unknown[0] + " is"
	if len(unknown) > 1 {
		what = "params " + strings.Join(unknown, ", ") + " are"
	}
	documented := "none"
	if names := h.ParamNames(); len(names) > 0 {
		documented = strings.Join(names, ", ")
	}
	msg := fmt.Sprintf("Warning: %s not documented for %s (documented: %s); it was sent anyway, and the report may ignore it.", what, source, documented)
	if e.offers("describe_report") {
		msg += " See describe_report."
	}
	return msg
}
