package sandbox

import (
	"encoding/json"
	"strconv"
)

// ParamSpec describes one parameter a sample report understands. The PDF,
// the preview page and the report hints file list these under "Parameters
// this report understands".
type ParamSpec struct {
	Name        string `json:"name"`
	Type        string `json:"type"` // string | integer | number | boolean | object | array
	Description string `json:"description"`
	Example     any    `json:"example,omitempty"`
}

// DataSpec describes the data a sample report renders, with an example
// that is also what the report renders when a request carries no data.
type DataSpec struct {
	Description string          `json:"description"`
	Example     json.RawMessage `json:"example,omitempty"`
}

// ReportHint is what a caller should know to run one report.
type ReportHint struct {
	Params []ParamSpec `json:"params"`
	Data   *DataSpec   `json:"data,omitempty"`
}

// Hints is the shape of report-hints.json: hints per report id and per
// report type code. A type's hint is that of its default report in the
// demo workspace.
type Hints struct {
	Reports     map[string]ReportHint `json:"reports"`
	ReportTypes map[string]ReportHint `json:"reportTypes"`
}

// ReportParams returns the parameters the seed report reportID understands,
// or nil for an unknown report.
func ReportParams(reportID int64) []ParamSpec {
	r := seed().reportByID(reportID)
	if r == nil {
		return nil
	}
	return r.Params
}

// ReportHints returns the hints of every seed report, the content of
// report-hints.json.
func ReportHints() Hints {
	d := seed()
	h := Hints{Reports: map[string]ReportHint{}, ReportTypes: map[string]ReportHint{}}
	hint := func(r *report) ReportHint {
		p := r.Params
		if p == nil {
			p = []ParamSpec{}
		}
		return ReportHint{Params: p, Data: r.Data}
	}
	for _, r := range d.reports {
		h.Reports[strconv.FormatInt(r.ID, 10)] = hint(r)
	}
	for _, rt := range d.types {
		if rt.WorkspaceID == DemoWorkspaceID {
			h.ReportTypes[rt.Code] = hint(d.reportByID(rt.DefaultReportID))
		}
	}
	return h
}

// MarshalHints renders [ReportHints] as indented JSON, byte for byte the
// content of report-hints.json.
func MarshalHints() ([]byte, error) {
	b, err := json.MarshalIndent(ReportHints(), "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
