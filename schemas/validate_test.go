package schemas

import (
	"encoding/json"
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
		{`{"offset":1e400}`, `invalid arguments: argument "offset" must be an integer; number 1e400 is out of range`},
		{`{"foo":1}`, `invalid arguments: unknown argument "foo": this tool takes workspace, report_type, offset, limit`},
		{`{"workspace":"` + strings.Repeat("x", 600) + `"}`, `invalid arguments: argument "workspace" is too long: 600 characters, at most 512 allowed`},
		{`{"workspace":["a"]}`, `invalid arguments: argument "workspace" must be a string, not an array`},
		{`{`, `invalid arguments: arguments are not valid JSON: unexpected EOF`},
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
