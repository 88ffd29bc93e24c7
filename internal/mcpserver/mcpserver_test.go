package mcpserver

import (
	"regexp"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// TestInstructionsNameOnlyOfferedTools: the instructions never send the
// model to a tool the server does not offer.
func TestInstructionsNameOnlyOfferedTools(t *testing.T) {
	cases := []struct {
		sel  tools.Selection
		want string
	}{
		{tools.Selection{}, "Tools for CxReports, a reporting platform. Find a report with list_report_types (each type has a default report) or list_reports. " +
			"Before filling a report, describe_report tells the params and data it takes, where documented. " +
			"export_pdf saves a document (PDF, Word, Excel, …) on this machine. create_preview_link gives a browser link that opens once. " +
			"Fill reports with params and data; for large data call push_temporary_data first and pass its temp_data_id. Default workspace: demo; pass workspace for another."},
		{tools.Selection{Toolsets: []string{"all"}, ReadOnly: true}, "Tools for CxReports, a reporting platform. Find a report with list_report_types (each type has a default report) or list_reports. " +
			"Before filling a report, describe_report tells the params and data it takes, where documented. " +
			"export_pdf saves a document (PDF, Word, Excel, …) on this machine. create_preview_link gives a browser link that opens once. Fill reports with params and data. " +
			"Jobs are pre-configured report runs that CxReports e-mails to recipients: list_jobs, get_job_run. Default workspace: demo; pass workspace for another."},
		{tools.Selection{Toolsets: []string{"jobs"}, EnableDelivery: true}, "Tools for CxReports, a reporting platform. " +
			"Jobs are pre-configured report runs that CxReports e-mails to recipients: list_jobs, start_job_run, get_job_run, create_review_document, deliver_job_run. " +
			"deliver_job_run sends e-mail and cannot be undone: call it only when the user asks. Default workspace: demo; pass workspace for another."},
	}
	for _, c := range cases {
		offered, err := tools.Select(tools.All(), c.sel)
		if err != nil {
			t.Fatal(err)
		}
		got := Instructions("demo", offered, false)
		if got != c.want {
			t.Errorf("%+v:\n got %s\nwant %s", c.sel, got, c.want)
		}
		has := map[string]bool{}
		for _, tool := range offered {
			has[tool.Name] = true
		}
		for _, tool := range tools.All() {
			if !has[tool.Name] && regexp.MustCompile(`\b`+tool.Name+`\b`).MatchString(got) {
				t.Errorf("%+v: the instructions name %s, which is not offered", c.sel, tool.Name)
			}
		}
	}
	if got := Instructions("", []tools.Tool{{Name: "list_jobs"}}, false); got != "Tools for CxReports, a reporting platform. Jobs are pre-configured report runs that CxReports e-mails to recipients: list_jobs. No default workspace is set: pass workspace to each tool." {
		t.Errorf("no workspace: %s", got)
	}
}
