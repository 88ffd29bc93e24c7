package httpserver

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"
)

// Every tool over each transport with the mcp-go client, with exact values.
func TestEveryToolOverEachTransport(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts Options
	}{
		{"http", Options{Transport: TransportHTTP}},
		{"http-stateless", Options{Transport: TransportHTTP, Stateless: true}},
		{"sse", Options{Transport: TransportSSE}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := newStack(t)
			_, base := st.serve(t, tc.opts)
			c := connect(t, base, tc.opts.Transport, nil)

			list, err := c.ListTools(t.Context(), mcp.ListToolsRequest{})
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for _, tool := range list.Tools {
				names = append(names, tool.Name)
			}
			want := []string{"create_preview_link", "describe_report", "export_pdf", "list_report_types", "list_reports", "list_workspaces", "push_temporary_data"}
			if !slices.Equal(names, want) {
				t.Errorf("tools %v, want %v", names, want)
			}

			if got := text(call(t, c, "list_workspaces", "")); got != "3 workspaces (id, code, name):\n"+
				"- 1 demo \"Demo\" (default): Sample reports for trying cxreports-mcp\n"+
				"- 26 finance \"Finance\"\n"+
				"- 72 master \"Master\": Examples of the vendor's master tenant" {
				t.Errorf("list_workspaces:\n%s", got)
			}
			if got := text(call(t, c, "list_report_types", `{"workspace":"finance"}`)); !strings.HasPrefix(got,
				"5 report types in workspace finance (code, name, default report):\n- invoice \"Invoice\", default report 161 \"Invoice\"\n") {
				t.Errorf("list_report_types:\n%s", got)
			}
			if got := text(call(t, c, "list_reports", `{"limit":2}`)); got != "Reports 1–2 in workspace demo (id, name, type code and name):\n"+
				"- 1627 \"Invoice\", invoice \"Invoice\" (default)\n"+
				"- 1628 \"Bank Account Statement\", bank-statement \"Bank statement\" (default)\n"+
				"More reports follow: call again with offset 2." {
				t.Errorf("list_reports:\n%s", got)
			}

			res := call(t, c, "push_temporary_data", `{"content":{"account":{"number":"987654321"}}}`)
			m := regexp.MustCompile(`^Stored the data in workspace demo as temp_data_id (\d+), expiring `).FindStringSubmatch(text(res))
			if res.IsError || m == nil {
				t.Fatalf("push_temporary_data: %s", text(res))
			}

			res = call(t, c, "export_pdf", `{"report_type":"bank-statement","temp_data_id":`+m[1]+`}`)
			file := filepath.Join(st.outDir, "Bank Account Statement.pdf")
			if res.IsError || !strings.Contains(text(res), "Path: "+file+"\n") {
				t.Fatalf("export_pdf: %s", text(res))
			}
			if b, err := os.ReadFile(file); err != nil || !strings.HasPrefix(string(b), "%PDF-") {
				t.Errorf("exported file: %v", err)
			}
			if link, ok := res.Content[1].(mcp.ResourceLink); !ok || link.URI != "cxreports://exports/Bank%20Account%20Statement.pdf" {
				t.Errorf("resource link: %#v", res.Content[1])
			}

			res = call(t, c, "create_preview_link", `{"report_id":1628}`)
			if res.IsError || !regexp.MustCompile(`\n(http://127\.0\.0\.1:\d+/ws/demo/reports/1628/preview\?timezone=UTC&nonce=\S+)\n`).MatchString(text(res)) {
				t.Errorf("create_preview_link: %s", text(res))
			}

			res = call(t, c, "export_pdf", `{}`)
			if !res.IsError || !strings.HasPrefix(text(res), "A report is required") {
				t.Errorf("export_pdf {}: %s", text(res))
			}
			if _, err := callErr(c, "no_such_tool", `{}`); err == nil || !strings.Contains(err.Error(), "not found") {
				t.Errorf("unknown tool: %v", err)
			}
			if err := c.Ping(t.Context()); err != nil {
				t.Errorf("ping: %v", err)
			}
		})
	}
}
