package schemas

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/schemas/schemagen"
)

func compileFor(t testing.TB, name string, v any) *Validator {
	t.Helper()
	raw, err := schemagen.Generate(v)
	if err != nil {
		t.Fatal(err)
	}
	val, err := Compile(name, raw)
	if err != nil {
		t.Fatal(err)
	}
	return val
}

func TestDecodeAccepts(t *testing.T) {
	v := compileFor(t, "list_reports", ListReportsInput{})
	cases := []struct {
		raw  string
		want ListReportsInput
	}{
		{``, ListReportsInput{}},
		{`null`, ListReportsInput{}},
		{`{}`, ListReportsInput{}},
		{`{"limit":5,"offset":10}`, ListReportsInput{Offset: 10, Limit: 5}},
		{`{"limit":"5"}`, ListReportsInput{Limit: 5}},
		{`{"limit":" 7 "}`, ListReportsInput{Limit: 7}},
		{`{"limit":5.0}`, ListReportsInput{Limit: 5}},
		{`{"workspace":26}`, ListReportsInput{WorkspaceArg: WorkspaceArg{Workspace: "26"}}},
		{`"{\"limit\":3}"`, ListReportsInput{Limit: 3}},
	}
	for _, c := range cases {
		var got ListReportsInput
		if err := v.Decode(json.RawMessage(c.raw), &got); err != nil {
			t.Errorf("Decode(%s): %v", c.raw, err)
			continue
		}
		if !reflect.DeepEqual(got, c.want) {
			t.Errorf("Decode(%s) = %+v, want %+v", c.raw, got, c.want)
		}
	}
}

func TestDecodeCoercesObjectsAndBooleans(t *testing.T) {
	v := compileFor(t, "export_pdf", ExportPDFInput{})
	var got ExportPDFInput
	err := v.Decode(json.RawMessage(`{"report_id":"1627","params":"{\"month\":\"2026-03\",\"n\":12345678901234567890}","embed":"TRUE"}`), &got)
	if err != nil {
		t.Fatal(err)
	}
	if got.ReportID != 1627 || !got.Embed || got.Params["month"] != "2026-03" {
		t.Fatalf("got %+v", got)
	}
	// Large integers keep every digit.
	b, _ := json.Marshal(got.Params)
	if !strings.Contains(string(b), "12345678901234567890") {
		t.Errorf("params lost precision: %s", b)
	}
}

func TestDecodeRefuses(t *testing.T) {
	v := compileFor(t, "list_reports", ListReportsInput{})
	cases := []struct{ raw, want string }{
		{`[]`, `invalid arguments: arguments must be a JSON object such as {"workspace": "…"}, not an array`},
		{`"x"`, `invalid arguments: arguments must be a JSON object such as {"workspace": "…"}, not a string`},
		{`5`, `invalid arguments: arguments must be a JSON object such as {"workspace": "…"}, not a number`},
		{`{"limit":"abc"}`, `invalid arguments: argument "limit" must be an integer, not a string`},
		{`{"limit":true}`, `invalid arguments: argument "limit" must be an integer, not a boolean`},
		{`{"limit":1.5}`, `invalid arguments: argument "limit" must be an integer, not a number`},
		{`{"limit":0}`, `invalid arguments: argument "limit" must be at least 1, not 0`},
		{`{"limit":500}`, `invalid arguments: argument "limit" must be at most 100, not 500`},
		{`{"offset":-1}`, `invalid arguments: argument "offset" must be at least 0, not -1`},
		{`{"offset":1e400}`, `invalid arguments: argument "offset" must be an integer; 1e400 is out of range`},
		{`{"foo":1}`, `invalid arguments: unknown argument "foo": this tool takes workspace, report_type, offset, limit`},
		{`{"workspace":"` + strings.Repeat("x", 600) + `"}`, `invalid arguments: argument "workspace" is too long: 600 characters, at most 512 allowed`},
		{`{"workspace":["a"]}`, `invalid arguments: argument "workspace" must be a string, not an array`},
		{`{`, `invalid arguments: arguments are not valid JSON: unexpected EOF`},
		// Numbers no peer can read as a double, also when sent as text.
		{`{"limit":1e309}`, `invalid arguments: argument "limit" must be an integer; 1e309 is out of range`},
		{`{"limit":"-1e309"}`, `invalid arguments: argument "limit" must be an integer; -1e309 is out of range`},
		{`{"offset":1e20}`, `invalid arguments: argument "offset" must be an integer; 1e20 is out of range`},
		{`{"limit":1e300}`, `invalid arguments: argument "limit" must be at most 100, not 1e+300`},
		// Only JSON number syntax is taken for a number.
		{`{"limit":"0x10"}`, `invalid arguments: argument "limit" must be an integer, not a string`},
		{`{"limit":"+5"}`, `invalid arguments: argument "limit" must be an integer, not a string`},
		{`{"limit":"1_0"}`, `invalid arguments: argument "limit" must be an integer, not a string`},
		{`{"limit":"NaN"}`, `invalid arguments: argument "limit" must be an integer, not a string`},
		{`{"limit":"Infinity"}`, `invalid arguments: argument "limit" must be an integer, not a string`},
		{`{"limit":null}`, `invalid arguments: argument "limit" must be an integer, not a null`},
		// Names from the client are shortened; long lists are cut.
		{`{"` + strings.Repeat("k", 100) + `":1}`, `invalid arguments: unknown argument "` + strings.Repeat("k", 60) + `…": this tool takes workspace, report_type, offset, limit`},
		{`{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}`, `invalid arguments: unknown arguments "a", "b", "c", "d", "e", and 2 more: this tool takes workspace, report_type, offset, limit`},
	}
	for _, c := range cases {
		var got ListReportsInput
		err := v.Decode(json.RawMessage(c.raw), &got)
		if err == nil {
			t.Errorf("Decode(%.40s) succeeded, want %q", c.raw, c.want)
			continue
		}
		if err.Error() != c.want {
			t.Errorf("Decode(%.40s)\n got %q\nwant %q", c.raw, err.Error(), c.want)
		}
	}
}

func TestDecodeRequiredAndFormat(t *testing.T) {
	v := compileFor(t, "push_temporary_data", PushTemporaryDataInput{})
	cases := []struct{ raw, want string }{
		{`{}`, `invalid arguments: missing required argument "content" (an object)`},
		{`{"content":"not json"}`, `invalid arguments: argument "content" must be an object, not a string`},
		{`{"content":{},"expires_at":"tomorrow"}`, `invalid arguments: argument "expires_at" must be an RFC 3339 date-time such as 2026-12-31T23:00:00Z, not "tomorrow"`},
	}
	for _, c := range cases {
		var got PushTemporaryDataInput
		err := v.Decode(json.RawMessage(c.raw), &got)
		if err == nil || err.Error() != c.want {
			t.Errorf("Decode(%s)\n got %v\nwant %q", c.raw, err, c.want)
		}
	}
	var got PushTemporaryDataInput
	if err := v.Decode(json.RawMessage(`{"content":"{\"a\":[1,2]}"}`), &got); err != nil {
		t.Fatal(err)
	}
	if b, _ := json.Marshal(got.Content); string(b) != `{"a":[1,2]}` {
		t.Errorf("content = %s", b)
	}
}

func TestNoArgumentTool(t *testing.T) {
	v := compileFor(t, "list_workspaces", ListWorkspacesInput{})
	var in ListWorkspacesInput
	for _, raw := range []string{``, `null`, `{}`} {
		if err := v.Decode(json.RawMessage(raw), &in); err != nil {
			t.Errorf("Decode(%q): %v", raw, err)
		}
	}
	err := v.Decode(json.RawMessage(`{"x":1}`), &in)
	if err == nil || err.Error() != `invalid arguments: unknown argument "x": this tool takes no arguments` {
		t.Errorf("got %v", err)
	}
}

func TestDecodeRefusesNumbersOutOfRangeAnywhere(t *testing.T) {
	v := compileFor(t, "export_pdf", ExportPDFInput{})
	cases := []struct{ raw, want string }{
		{`{"params":{"x":1e309}}`, `invalid arguments: argument "params.x" holds the number 1e309, which is out of range`},
		{`{"data":{"rows":[1,{"v":-1e400}]}}`, `invalid arguments: argument "data.rows.1.v" holds the number -1e400, which is out of range`},
		{`{"params":"{\"x\":1e309}"}`, `invalid arguments: argument "params.x" holds the number 1e309, which is out of range`},
		{`{"report_id":1e309,"params":{"a":1e999}}`, `invalid arguments: argument "params.a" holds the number 1e999, which is out of range; argument "report_id" must be an integer; 1e309 is out of range`},
		{`{"embed":"t"}`, `invalid arguments: argument "embed" must be a boolean, not a string`},
		{`{"embed":"1"}`, `invalid arguments: argument "embed" must be a boolean, not a string`},
	}
	for _, c := range cases {
		var got ExportPDFInput
		err := v.Decode(json.RawMessage(c.raw), &got)
		if err == nil || err.Error() != c.want {
			t.Errorf("Decode(%s)\n got %v\nwant %q", c.raw, err, c.want)
		}
	}
	// Numbers that only a rational could hold are refused before any work
	// in proportion to their exponent is done: these return at once.
	long := "1." + strings.Repeat("2", 200)
	for raw, want := range map[string]string{
		`{"params":{"x":1e-400}}`:                                  `invalid arguments: argument "params.x" holds the number 1e-400, which is out of range`,
		`{"report_id":1e-999999999}`:                               `invalid arguments: argument "report_id" must be an integer; 1e-999999999 is out of range`,
		`{"report_id":"1e999999999"}`:                              `invalid arguments: argument "report_id" must be an integer; 1e999999999 is out of range`,
		`{"params":{"x":` + long + `}}`:                            `invalid arguments: argument "params.x" holds the number ` + long[:60] + `…, which is too long (202 characters, at most 100)`,
		`{"report_id":1,"params":{"y":0e5}}`:                       ``,
		`{"report_id":1,"params":{"y":12345678901234567890.5e-1}}`: ``,
	} {
		var got ExportPDFInput
		err := v.Decode(json.RawMessage(raw), &got)
		if want == "" && err != nil || want != "" && (err == nil || err.Error() != want) {
			t.Errorf("Decode(%.60s)\n got %v\nwant %q", raw, err, want)
		}
	}
	var got ExportPDFInput
	var many strings.Builder
	many.WriteString(`{"params":{`)
	for i := 0; i < 1000; i++ {
		if i > 0 {
			many.WriteString(",")
		}
		fmt.Fprintf(&many, `"k%03d":1e309`, i)
	}
	many.WriteString(`}}`)
	err := v.Decode(json.RawMessage(many.String()), &got)
	want := `invalid arguments: argument "params.k000" holds the number 1e309, which is out of range; ` +
		`argument "params.k001" holds the number 1e309, which is out of range; ` +
		`argument "params.k002" holds the number 1e309, which is out of range; ` +
		`argument "params.k003" holds the number 1e309, which is out of range; ` +
		`argument "params.k004" holds the number 1e309, which is out of range; and 995 more problems`
	if err == nil || err.Error() != want {
		t.Errorf("1000 bad numbers:\n got %v\nwant %q", err, want)
	}
}

func TestDecodeEnum(t *testing.T) {
	type input struct {
		Format string `json:"format,omitempty" jsonschema:"enum=pdf,enum=docx"`
	}
	v := compileFor(t, "enum_tool", input{})
	var got input
	err := v.Decode(json.RawMessage(`{"format":"xls"}`), &got)
	if want := `invalid arguments: argument "format" must be one of pdf, docx, not "xls"`; err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if err := v.Decode(json.RawMessage(`{"format":"docx"}`), &got); err != nil || got.Format != "docx" {
		t.Errorf("docx: %v %+v", err, got)
	}
}

func TestDecodeCoercesArrays(t *testing.T) {
	type input struct {
		Pages []int `json:"pages,omitempty"`
	}
	v := compileFor(t, "array_tool", input{})
	var got input
	if err := v.Decode(json.RawMessage(`{"pages":"[1, 2]"}`), &got); err != nil || !reflect.DeepEqual(got.Pages, []int{1, 2}) {
		t.Errorf("stringified array: %v %+v", err, got)
	}
	for raw, want := range map[string]string{
		`{"pages":"1,2"}`:     `invalid arguments: argument "pages" must be an array, not a string`,
		`{"pages":"[1,"}`:     `invalid arguments: argument "pages" must be an array, not a string`,
		`{"pages":["x"]}`:     `invalid arguments: argument "pages.0" must be an integer, not a string`,
		`{"pages":[1e309]}`:   `invalid arguments: argument "pages.0" holds the number 1e309, which is out of range`,
		`{"pages":"[1e309]"}`: `invalid arguments: argument "pages.0" holds the number 1e309, which is out of range`,
	} {
		err := v.Decode(json.RawMessage(raw), &got)
		if err == nil || err.Error() != want {
			t.Errorf("Decode(%s)\n got %v\nwant %q", raw, err, want)
		}
	}
}

// TestEnumCase: an enum value in another case is taken as the member.
func TestEnumCase(t *testing.T) {
	v, err := Compile("t", []byte(`{"type":"object","properties":{"format":{"type":"string","enum":["pdf","docx"]}},"additionalProperties":false}`))
	if err != nil {
		t.Fatal(err)
	}
	var in struct {
		Format string `json:"format"`
	}
	if err := v.Decode([]byte(`{"format":" PDF "}`), &in); err != nil || in.Format != "pdf" {
		t.Fatalf("%v %q", err, in.Format)
	}
	if err := v.Decode([]byte(`{"format":"odt"}`), &in); err == nil || err.Error() != `invalid arguments: argument "format" must be one of pdf, docx, not "odt"` {
		t.Fatalf("odt: %v", err)
	}
}
