package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// fuzzCase decodes arguments for one tool input type and checks what a
// decoded value must satisfy.
type fuzzCase struct {
	name   string
	v      *Validator
	decode func(v *Validator, raw []byte) (any, error)
}

func fuzzCaseFor[T any](t testing.TB, name string) fuzzCase {
	var zero T
	return fuzzCase{
		name: name,
		v:    compileFor(t, name, zero),
		decode: func(v *Validator, raw []byte) (any, error) {
			var dst T
			err := v.Decode(raw, &dst)
			return dst, err
		},
	}
}

// FuzzDecode feeds arbitrary argument bytes to the validators of tool
// input types that together use every kind of argument (strings, bounded
// integers, booleans, free-form objects, a required object, a date-time).
// Decode must never panic; a refusal must be an *ArgError whose message is
// a bounded sentence for a model, never a Go dump; an accepted value must
// survive being encoded and decoded again unchanged.
func FuzzDecode(f *testing.F) {
	cases := []fuzzCase{
		fuzzCaseFor[ListWorkspacesInput](f, "list_workspaces"),
		fuzzCaseFor[ListReportsInput](f, "list_reports"),
		fuzzCaseFor[ExportPDFInput](f, "export_pdf"),
		fuzzCaseFor[PushTemporaryDataInput](f, "push_temporary_data"),
	}
	for _, seed := range []string{
		``, `null`, `{}`, `[]`, `"x"`, `5`,
		`{"limit":"10","offset":0}`, `{"limit":1e309}`, `{"report_id":"1627","embed":"true"}`,
		`{"params":"{\"a\":[1,2]}","data":{"x":12345678901234567890}}`,
		`{"content":{"a":1},"expires_at":"2099-01-01T00:00:00Z"}`, `"{\"limit\":3}"`,
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		for _, c := range cases {
			got, err := c.decode(c.v, raw)
			if err != nil {
				checkRefusal(t, c.name, raw, err)
				continue
			}
			again, err := json.Marshal(got)
			if err != nil {
				t.Fatalf("%s: decoded %q into %#v, which does not encode: %v", c.name, raw, got, err)
			}
			got2, err := c.decode(c.v, again)
			if err != nil {
				t.Fatalf("%s: %q decoded, but its re-encoding %s is refused: %v", c.name, raw, again, err)
			}
			// Equal up to what the encoding shows (an empty object and an
			// absent one both mean "none").
			if again2, _ := json.Marshal(got2); !bytes.Equal(again, again2) {
				t.Fatalf("%s: %q decodes to %s, which decodes to %s", c.name, raw, again, again2)
			}
		}
	})
}

func checkRefusal(t *testing.T, tool string, raw []byte, err error) {
	t.Helper()
	var ae *ArgError
	if !errors.As(err, &ae) {
		t.Fatalf("%s: %q: error %T is not an *ArgError: %v", tool, raw, err, err)
	}
	msg := err.Error()
	const maxMessage = 2000
	switch {
	case !strings.HasPrefix(msg, "invalid arguments: ") || len(msg) <= len("invalid arguments: "):
		t.Fatalf("%s: %q: message %q", tool, raw, msg)
	case len(msg) > maxMessage:
		t.Fatalf("%s: %q: message of %d bytes: %.300q…", tool, raw, len(msg), msg)
	}
	for _, dump := range []string{"&{", "%!", "Go struct", "Go value", "map[", "interface {}"} {
		if strings.Contains(msg, dump) && !strings.Contains(string(raw), dump) {
			t.Fatalf("%s: %q: message reads like Go, not a sentence: %q", tool, raw, msg)
		}
	}
}
