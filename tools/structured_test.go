package tools

import (
	"testing"
)

// TestStructuredContentOfEveryOutputTool calls every tool that declares an
// outputSchema, in the shapes its result takes, and validates each
// structuredContent against the schema (callTool does, on every success).
// A tool added with an output type must be added here.
func TestStructuredContentOfEveryOutputTool(t *testing.T) {
	h := newHarness(t, withHints(t, ""))
	h.sb.SetAsyncExportDelay(-1)
	h.ok("start_job_run", `{"job":"daily-invoices"}`) // run 7001
	calls := map[string][]string{
		"list_workspaces":     {"", "{}"},
		"list_report_types":   {`{}`, `{"workspace":"Finance"}`},
		"list_reports":        {`{}`, `{"limit":1}`, `{"report_type":"nope"}`, `{"offset":50}`},
		"describe_report":     {`{"report_id":1627}`, `{"report_id":9002}`, `{"report_type":"large-document"}`, `{"report_name":"Signature","workspace":"finance"}`},
		"list_report_options": {`{}`, `{"report_name":"Showcase"}`},
		"list_jobs":           {`{}`, `{"workspace":"master"}`},
		"get_job_run":         {`{"job":"daily-invoices","run_id":7001}`},
		"export_batch": {
			`{"items":[{"report_type":"invoice"},{"report_name":"march invoice","params":{"month":"2026-03"}}]}`,
			`{"items":[{"report_id":1628},{"report_name":"no such report"}],"zip_name":"partly"}`,
		},
	}
	for _, tool := range All() {
		if tool.Output == nil {
			continue
		}
		args, ok := calls[tool.Name]
		if !ok {
			t.Errorf("%s declares an outputSchema but is not exercised here", tool.Name)
			continue
		}
		for _, a := range args {
			text, res := h.ok(tool.Name, a)
			if text == "" || res.StructuredContent == nil {
				t.Errorf("%s(%s): text %q, structured %v", tool.Name, a, text, res.StructuredContent)
			}
		}
	}
}
