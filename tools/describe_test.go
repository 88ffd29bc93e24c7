package tools

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/internal/reporthints"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// withHints loads report hints: the sandbox's own when doc is "", else doc (JSON).
func withHints(t *testing.T, doc string) harnessOption {
	t.Helper()
	b := []byte(doc)
	if doc == "" {
		var err error
		if b, err = sandbox.MarshalHints(); err != nil {
			t.Fatal(err)
		}
	}
	f, err := reporthints.Parse(b, false)
	if err != nil {
		t.Fatal(err)
	}
	return withDeps(func(d *Deps) { d.ReportHints = f })
}

func TestDescribeReportWithHints(t *testing.T) {
	h := newHarness(t, withHints(t, ""))
	got, res := h.ok("describe_report", `{"report_id":1628}`)
	want := `Report 1628 "Bank Account Statement" in workspace demo: type bank-statement "Bank statement", the type's default report, template Default, theme Plain.
Pages (number: id, name, type): 1: 16281 "Summary", page; 2: 16282 "Transactions", page.
Documented in the report hints (report 1628).
Params (pass in params):
- dateFrom (string): First day of the statement, YYYY-MM-DD. Example: 2026-03-01
- dateTo (string): Last day of the statement, YYYY-MM-DD. Example: 2026-03-31
Data (pass in data): An account: number, owner, currency, balances and transactions (date, description, amount). Example: ` +
		`{"account":{"accountNumber":"123456789","closingBalance":3433.55,"currency":"USD","openingBalance":1520.00,"owner":"John Doe","transactions":[` +
		`{"amount":3200.00,"date":"2026-03-02","description":"Salary"},{"amount":-1200.00,"date":"2026-03-05","description":"Rent"},{"amount":-86.45,"date":"2026-03-12","description":"Groceries"}]}}`
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	sc, _ := json.Marshal(res.StructuredContent)
	wantSC := `{"workspace":"demo","id":1628,"name":"Bank Account Statement","report_type":"bank-statement","report_type_name":"Bank statement","template":"Default","theme":"Plain","default":true,` +
		`"pages":[{"number":1,"id":16281,"name":"Summary","type":"page"},{"number":2,"id":16282,"name":"Transactions","type":"page"}],` +
		`"hints":{"for":"report 1628","params":[{"name":"dateFrom","type":"string","description":"First day of the statement, YYYY-MM-DD.","example":"2026-03-01"},` +
		`{"name":"dateTo","type":"string","description":"Last day of the statement, YYYY-MM-DD.","example":"2026-03-31"}],` +
		`"data":{"description":"An account: number, owner, currency, balances and transactions (date, description, amount).","example":{"account":{"accountNumber":"123456789","closingBalance":3433.55,"currency":"USD","openingBalance":1520.00,"owner":"John Doe","transactions":[{"amount":3200.00,"date":"2026-03-02","description":"Salary"},{"amount":-1200.00,"date":"2026-03-05","description":"Rent"},{"amount":-86.45,"date":"2026-03-12","description":"Groceries"}]}}}}}`
	if !jsonEqual(sc, []byte(wantSC)) {
		t.Errorf("structured:\n%s\nwant:\n%s", sc, wantSC)
	}

	// By report type (its default report) and by name, in another workspace.
	got, _ = h.ok("describe_report", `{"report_type":"SALES-SUMMARY","workspace":"Finance"}`)
	if !strings.HasPrefix(got, `Report 163 "Sales summary" in workspace finance: type sales-summary "Sales summary", the type's default report,`) ||
		!strings.Contains(got, "\nDocumented in the report hints (report 163).\nParams (pass in params):\n- year (integer): Calendar year of the figures. Example: 2026\n") {
		t.Errorf("by type:\n%s", got)
	}
	got, _ = h.ok("describe_report", `{"report_name":"quarterly SALES summary"}`)
	if !strings.HasPrefix(got, `Report 1632 "Quarterly sales summary" in workspace demo: type sales-summary "Sales summary", template Default, theme Corporate.`) ||
		!strings.Contains(got, "- quarter (integer): Quarter 1 to 4; all four when absent. Example: 1\n") {
		t.Errorf("by name:\n%s", got)
	}
	// A report documented with no params.
	got, _ = h.ok("describe_report", `{"report_id":9002}`)
	if !strings.HasSuffix(got, "\nDocumented in the report hints (report 9002).\nParams: none.") {
		t.Errorf("no params:\n%s", got)
	}
	// Errors: an unknown report (CxReports' 404), an unknown type (the
	// closest codes), a type without a default report.
	if got := h.fail("describe_report", `{"report_id":99999}`); got != `Report 99999 was not found in workspace "demo" (404). Call list_reports for valid report ids, or list_report_types for type codes.` {
		t.Errorf("unknown id: %s", got)
	}
	want = `No report type of workspace demo has the code "invoce". Closest (code, name): invoice "Invoice"; other "Miscellaneous"; showcase "Showcase"; failing "Failing report"; large-document "Large document".`
	if got := h.fail("describe_report", `{"report_type":"invoce"}`); got != want {
		t.Errorf("unknown type:\n%s\nwant\n%s", got, want)
	}
	if got := h.fail("describe_report", `{}`); got != "A report is required: give report_id (from list_reports), report_type (a code from list_report_types) or report_name." {
		t.Errorf("no report: %s", got)
	}
}

// TestDescribeReportHintSources: a report's own entry wins; else its
// type's; a type's entry, else its default report's.
func TestDescribeReportHintSources(t *testing.T) {
	h := newHarness(t, withHints(t, `{
		"reports": {"1630": {"description": "The compact layout.", "params": [{"name": "copies", "type": "integer", "example": 2}]},
		            "1628": {"params": [{"name": "dateFrom"}]}},
		"reportTypes": {"Invoice": {"params": [{"name": "month", "type": "string", "description": "Billing month.", "example": "2026-03"}],
		                            "data": {"example": {"total": 1.5}}}}
	}`))
	for _, c := range []struct{ args, want string }{
		{`{"report_id":1630}`, "Documented in the report hints (report 1630). The compact layout.\nParams (pass in params):\n- copies (integer) Example: 2"},
		{`{"report_id":1629}`, "Documented in the report hints (report type invoice).\nParams (pass in params):\n- month (string): Billing month. Example: 2026-03\nData (pass in data) Example: {\"total\":1.5}"},
		{`{"report_type":"bank-statement"}`, "Documented in the report hints (report 1628).\nParams (pass in params):\n- dateFrom"},
		{`{"report_id":1631}`, "Its params are not known: the report hints file has no entry for this report or its type. Ask the user which params the report needs."},
	} {
		got, _ := h.ok("describe_report", c.args)
		if _, after, _ := strings.Cut(got, ".\n"); !strings.HasSuffix(got, "\n"+c.want) {
			t.Errorf("%s:\n%s\nwant the end:\n%s", c.args, after, c.want)
		}
	}
}

func TestDescribeReportWithoutHints(t *testing.T) {
	h := newHarness(t)
	got, res := h.ok("describe_report", `{"report_type":"invoice"}`)
	want := `Report 1627 "Invoice" in workspace demo: type invoice "Invoice", the type's default report, template Default, theme Corporate.
Pages (number: id, name, type): 1: 16271 "Summary", page; 2: 16272 "Items", page; 3: 16273 "Terms", subreport.
Its params are not known: no report hints file is configured (CXREPORTS_REPORT_HINTS). Ask the user which params the report needs.`
	if got != want {
		t.Errorf("text:\n%s\nwant:\n%s", got, want)
	}
	if sc := res.StructuredContent.(map[string]any); sc["hints"] != nil || sc["id"] != float64(1627) {
		t.Errorf("structured: %v", sc)
	}
	h.deps.ReportHintsProblem = "CXREPORTS_REPORT_HINTS names a file that cannot be used: open /x.json: no such file or directory"
	got, _ = h.ok("describe_report", `{"report_id":1627}`)
	if !strings.HasSuffix(got, "\nIts params are not known: the report hints file is unusable (CXREPORTS_REPORT_HINTS names a file that cannot be used: open /x.json: no such file or directory). Ask the user which params the report needs.") {
		t.Errorf("problem:\n%s", got)
	}
}

func TestUnknownParamWarning(t *testing.T) {
	h := newHarness(t, withHints(t, ""))
	got, _ := h.ok("export_pdf", `{"report_type":"invoice","params":{"month":"2026-03","monthh":"x","Currency":"EUR"}}`)
	lines := strings.Split(got, "\n")
	want := `Warning: params "Currency", "monthh" are not documented for report type invoice (documented: month, customer, currency); it was sent anyway, and the report may ignore it. See describe_report.`
	if lines[len(lines)-1] != want || !strings.HasPrefix(got, "Saved Invoice.pdf of the default \"invoice\" report") {
		t.Errorf("text:\n%s\nwant last line:\n%s", got, want)
	}
	// Documented params only: no warning.
	got, _ = h.ok("export_pdf", `{"report_id":1629,"params":{"month":"2026-03","customer":"ACME"}}`)
	if strings.Contains(got, "\nWarning:") {
		t.Errorf("warned about documented params:\n%s", got)
	}
	// The preview link warns too, for a report chosen by name.
	got, _ = h.ok("create_preview_link", `{"report_name":"bank account statement","params":{"from":"2026-03-01"}}`)
	want = `Warning: param "from" is not documented for report 1628 (documented: dateFrom, dateTo); it was sent anyway, and the report may ignore it. See describe_report.`
	if !strings.HasSuffix(got, "\n"+want) {
		t.Errorf("preview:\n%s", got)
	}
	// A background export warns as well.
	h.sb.SetAsyncExportDelay(-1)
	got, _ = h.ok("export_pdf", `{"report_id":1631,"async":true,"params":{"yeer":2026}}`)
	if !strings.HasSuffix(got, "\n"+`Warning: param "yeer" is not documented for report 1631 (documented: year, region); it was sent anyway, and the report may ignore it. See describe_report.`) {
		t.Errorf("async:\n%s", got)
	}
	// A failed export carries no warning.
	if got := h.fail("export_pdf", `{"report_type":"failing","params":{"x":1}}`); strings.Contains(got, "\nWarning:") {
		t.Errorf("failure with a warning: %s", got)
	}
}

// TestUnknownParamWarningNeedsHints: without hints for a report nothing is
// said, and no list is fetched to find out.
func TestUnknownParamWarningNeedsHints(t *testing.T) {
	h := newHarness(t)
	got, _ := h.ok("export_pdf", `{"report_id":1627,"params":{"anything":1}}`)
	if strings.Contains(got, "\nWarning:") {
		t.Errorf("warned without hints:\n%s", got)
	}
	if n := h.count("GET", "/api/v1/ws/demo/reports") + h.count("GET", "/api/v1/ws/demo/report-types"); n != 0 {
		t.Errorf("%d list requests without hints", n)
	}
	// Hints for other reports only: no warning for this one.
	h2 := newHarness(t, withHints(t, `{"reports":{"1628":{"params":[{"name":"dateFrom"}]}}}`))
	got, _ = h2.ok("create_preview_link", `{"report_id":1627,"params":{"anything":1}}`)
	if strings.Contains(got, "\nWarning:") {
		t.Errorf("warned for an undocumented report:\n%s", got)
	}
	// Hints for a type, and the report chosen by id: the report's type is
	// looked up to find them.
	h3 := newHarness(t, withHints(t, `{"reportTypes":{"invoice":{"params":[{"name":"month"}]}}}`))
	got, _ = h3.ok("create_preview_link", `{"report_id":1630,"params":{"anything":1}}`)
	if !strings.HasSuffix(got, "\n"+`Warning: param "anything" is not documented for report type invoice (documented: month); it was sent anyway, and the report may ignore it. See describe_report.`) {
		t.Errorf("type hints by id:\n%s", got)
	}
}

// jsonEqual reports whether two JSON documents hold the same values.
func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}
