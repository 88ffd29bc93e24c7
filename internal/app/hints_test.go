package app

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReportHintsSetting: --report-hints replaces the demo's own hints; a
// file that cannot be used leaves the server running and describe_report
// says why.
func TestReportHintsSetting(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "hints.yml")
	os.WriteFile(good, []byte("reports:\n  1628:\n    params:\n      - {name: account, type: string, example: \"123456789\"}\n"), 0o600)
	bad := filepath.Join(dir, "bad.json")
	os.WriteFile(bad, []byte(`{"reports":{"x":{"params":[]}}}`), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{nil, "\n- dateFrom (string): First day of the statement, YYYY-MM-DD. Example: 2026-03-01\n"},
		{[]string{"--report-hints", good}, "Documented in the report hints (report 1628).\nParams (pass in params):\n- account (string) Example: 123456789"},
		{[]string{"--report-hints=" + bad}, "Its params are not known: the report hints file is unusable (CXREPORTS_REPORT_HINTS names a file that cannot be used: " +
			`report hints bad.json: reports: key "x" is not a report id). Ask the user which params the report needs.`},
	} {
		var out, errOut bytes.Buffer
		sys := IO{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }}
		args := append([]string{"describe_report", "--demo", "--demo-addr=127.0.0.1:0", `{"report_id":1628}`}, c.args...)
		if code := runCall(context.Background(), args, sys); code != 0 {
			t.Fatalf("%v: exit %d: %s %s", c.args, code, out.String(), errOut.String())
		}
		if !strings.Contains(out.String(), c.want) {
			t.Errorf("%v:\n%s\nwant it to contain:\n%s", c.args, out.String(), c.want)
		}
	}
}
