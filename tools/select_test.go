package tools

import (
	"slices"
	"strings"
	"testing"
)

// TestSelect checks the selection rules on a fixed set of tools, one of
// each toolset and preset, so that it does not change as tools are added.
func TestSelect(t *testing.T) {
	all := []Tool{
		{Name: "core_read", Toolset: ToolsetCore, Hints: ReadOnly},
		{Name: "core_write", Toolset: ToolsetCore, Hints: Write},
		{Name: "exports_read", Toolset: ToolsetExports, Hints: ReadOnlyOutput},
		{Name: "exports_write", Toolset: ToolsetExports, Hints: Write},
		{Name: "jobs_read", Toolset: ToolsetJobs, Hints: ReadOnly},
		{Name: "jobs_write", Toolset: ToolsetJobs, Hints: Write},
		{Name: "jobs_send", Toolset: ToolsetJobs, Hints: Destructive},
	}
	cases := []struct {
		name string
		sel  Selection
		want string // names, or the error
	}{
		{"default", Selection{}, "core_read core_write"},
		{"default read-only", Selection{ReadOnly: true}, "core_read"},
		{"core", Selection{Toolsets: []string{"core"}}, "core_read core_write"},
		{"exports", Selection{Toolsets: []string{"exports"}}, "exports_read exports_write"},
		{"exports read-only", Selection{Toolsets: []string{"exports"}, ReadOnly: true}, "exports_read"},
		{"jobs", Selection{Toolsets: []string{"jobs"}}, "jobs_read jobs_write"},
		{"jobs delivery", Selection{Toolsets: []string{"jobs"}, EnableDelivery: true}, "jobs_read jobs_write jobs_send"},
		{"jobs read-only delivery", Selection{Toolsets: []string{"jobs"}, ReadOnly: true, EnableDelivery: true}, "jobs_read"},
		{"all", Selection{Toolsets: []string{"all"}}, "core_read core_write exports_read exports_write jobs_read jobs_write"},
		{"all delivery", Selection{Toolsets: []string{"all"}, EnableDelivery: true}, "core_read core_write exports_read exports_write jobs_read jobs_write jobs_send"},
		{"all read-only", Selection{Toolsets: []string{"all"}, ReadOnly: true}, "core_read exports_read jobs_read"},
		{"names are trimmed and case-insensitive", Selection{Toolsets: []string{" JOBS", "", "core "}}, "core_read core_write jobs_read jobs_write"},
		{"all with another set", Selection{Toolsets: []string{"core", "all"}}, "core_read core_write exports_read exports_write jobs_read jobs_write"},
		{"tools alone span every toolset", Selection{Tools: []string{"jobs_read", "exports_write"}}, "exports_write jobs_read"},
		{"tools within toolsets", Selection{Toolsets: []string{"core", "jobs"}, Tools: []string{"core_read", "jobs_read"}}, "core_read jobs_read"},
		{"tools with delivery", Selection{Tools: []string{"jobs_send"}, EnableDelivery: true}, "jobs_send"},
		{"tools read-only", Selection{Tools: []string{"core_read"}, ReadOnly: true}, "core_read"},
		{"unknown toolset", Selection{Toolsets: []string{"core", "reports"}},
			`unknown toolset "reports"; valid toolsets: core, exports, jobs, all`},
		{"unknown tool", Selection{Tools: []string{"core_read", "delete_everything"}},
			`unknown tool "delete_everything"; valid tools: core_read, core_write, exports_read, exports_write, jobs_read, jobs_write, jobs_send`},
		{"tool outside the toolsets", Selection{Toolsets: []string{"core"}, Tools: []string{"jobs_read"}},
			"tool jobs_read cannot be offered: it belongs to toolset jobs, which is not selected (selected: core); add jobs to the toolsets or leave the toolsets unset"},
		{"write tool in read-only mode", Selection{Tools: []string{"core_write"}, ReadOnly: true},
			"tool core_write cannot be offered: it changes data on CxReports or contacts people, and read-only mode leaves out every such tool"},
		{"delivery tool in read-only mode", Selection{Tools: []string{"jobs_send"}, ReadOnly: true, EnableDelivery: true},
			"tool jobs_send cannot be offered: it changes data on CxReports or contacts people, and read-only mode leaves out every such tool"},
		{"delivery tool without delivery", Selection{Tools: []string{"jobs_send"}},
			"tool jobs_send cannot be offered: it contacts people and cannot be undone, so it is offered only with --enable-delivery"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := Select(all, c.sel)
			var s string
			if err != nil {
				s = err.Error()
			} else {
				var names []string
				for _, tool := range got {
					names = append(names, tool.Name)
				}
				s = strings.Join(names, " ")
			}
			if s != c.want {
				t.Errorf("got  %s\nwant %s", s, c.want)
			}
		})
	}
}

// TestSelectDefaultIsCore pins the default tool set to the seven core tools.
func TestSelectDefaultIsCore(t *testing.T) {
	got, err := Select(All(), Selection{})
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range got {
		names = append(names, tool.Name)
	}
	want := []string{"list_workspaces", "list_report_types", "list_reports", "describe_report", "export_pdf", "push_temporary_data", "create_preview_link"}
	if !slices.Equal(names, want) {
		t.Errorf("default tools %v, want %v", names, want)
	}
}
