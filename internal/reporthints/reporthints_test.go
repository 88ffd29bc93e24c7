package reporthints

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// TestSandboxFile: the sandbox's report-hints.json, which --demo loads,
// reads into exactly the sandbox's Go data.
func TestSandboxFile(t *testing.T) {
	f, err := Load(filepath.Join("..", "..", "sandbox", "report-hints.json"))
	if err != nil {
		t.Fatal(err)
	}
	want := sandbox.ReportHints()
	if len(f.Reports) != len(want.Reports) || len(f.ReportTypes) != len(want.ReportTypes) {
		t.Fatalf("%d reports and %d types, want %d and %d", len(f.Reports), len(f.ReportTypes), len(want.Reports), len(want.ReportTypes))
	}
	// Compare through JSON: both sides render the same document.
	same := func(what string, got *Hint, want sandbox.ReportHint) {
		t.Helper()
		g, _ := json.Marshal(got.Params)
		w, _ := json.Marshal(want.Params)
		if !jsonEqual(g, w) {
			t.Errorf("%s params:\n%s\nwant\n%s", what, g, w)
		}
		if (got.Data == nil) != (want.Data == nil) {
			t.Fatalf("%s data: %v, want %v", what, got.Data, want.Data)
		}
		if got.Data != nil {
			g, _ := json.Marshal(got.Data.Example)
			if got.Data.Description != want.Data.Description || !jsonEqual(g, want.Data.Example) {
				t.Errorf("%s data: %s %s", what, got.Data.Description, g)
			}
		}
	}
	for key, h := range want.Reports {
		id, _ := strconv.ParseInt(key, 10, 64)
		same("report "+key, f.ForReport(id), h)
	}
	for code, h := range want.ReportTypes {
		same("type "+code, f.ForType(code), h)
	}
	inv := f.ForType("INVOICE")
	if inv == nil || !inv.Documents("month") || inv.Documents("Month") || len(inv.ParamNames()) != 3 {
		t.Errorf("invoice hint: %+v", inv)
	}
	if f.ForReport(9002) == nil || len(f.ForReport(9002).Params) != 0 || f.ForReport(1) != nil {
		t.Error("report 9002 documents no params; report 1 has no hints")
	}
}

func jsonEqual(a, b []byte) bool {
	var x, y any
	return json.Unmarshal(a, &x) == nil && json.Unmarshal(b, &y) == nil && reflect.DeepEqual(x, y)
}

func TestYAML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hints.yaml")
	doc := `reports:
  1627:
    description: Monthly invoice for one customer.
    params:
      - {name: month, type: string, description: "Billing month, YYYY-MM.", example: "2026-03"}
      - name: copies
        type: integer
        example: 2
    data:
      description: An invoice.
      example: {invoice: {total: 588.34}}
reportTypes:
  Bank-Statement:
    params: []
`
	if err := os.WriteFile(path, []byte(doc), 0o600); err != nil {
		t.Fatal(err)
	}
	f, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	h := f.ForReport(1627)
	got, _ := json.Marshal(h)
	want := `{"description":"Monthly invoice for one customer.","params":[{"name":"month","type":"string","description":"Billing month, YYYY-MM.","example":"2026-03"},{"name":"copies","type":"integer","example":2}],"data":{"description":"An invoice.","example":{"invoice":{"total":588.34}}}}`
	if string(got) != want {
		t.Errorf("hint:\n%s\nwant\n%s", got, want)
	}
	if bs := f.ForType("bank-statement"); bs == nil || bs.Params == nil || len(bs.Params) != 0 {
		t.Errorf("bank-statement: %+v", bs)
	}
	if f.Empty() || (&File{}).Empty() == false || (*File)(nil).ForReport(1) != nil {
		t.Error("Empty / nil file")
	}
}

func TestParseErrors(t *testing.T) {
	cases := []struct {
		name, doc string
		yaml      bool
		want      string
	}{
		{"misspelt key", `{"report":{}}`, false, `not a report hints document: json: unknown field "report"`},
		{"misspelt param key", `{"reports":{"1":{"params":[{"nam":"x"}]}}}`, false, `not a report hints document: json: unknown field "nam"`},
		{"bad id", `{"reports":{"invoice":{"params":[]}}}`, false, `reports: key "invoice" is not a report id`},
		{"no name", `{"reports":{"1":{"params":[{"type":"string"}]}}}`, false, `reports.1: params[0] has no name`},
		{"twice", `{"reportTypes":{"x":{"params":[{"name":"a"},{"name":"a"}]}}}`, false, `reportTypes.x: param "a" appears twice`},
		{"bad type", `{"reportTypes":{"x":{"params":[{"name":"a","type":"date"}]}}}`, false,
			`reportTypes.x: param "a" has type "date"; use one of string, integer, number, boolean, object, array`},
		{"data not an object", `{"reports":{"1":{"params":[],"data":{"example":[1]}}}}`, false,
			"not a report hints document: json: cannot unmarshal array into Go struct field Data.reports.data.example of type map[string]interface {}"},
		{"empty hint", `{"reports":{"1":null}}`, false, `reports.1: empty; give at least params: []`},
		{"two problems", `{"reports":{"a":{"params":[]},"b":{"params":[]}}}`, false, "reports: key \"a\" is not a report id\nreports: key \"b\" is not a report id"},
		{"yaml syntax", "reports: [", true, "not valid YAML: yaml: line 1: did not find expected node content"},
		{"json syntax", "{", false, "not a report hints document: unexpected EOF"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Parse([]byte(c.doc), c.yaml)
			if err == nil || err.Error() != c.want {
				t.Errorf("error %v\nwant  %s", err, c.want)
			}
		})
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing.json")); err == nil {
		t.Error("a missing file loads")
	}
}
