package config

import (
	"io"
	"os"
	"path/filepath"
	"testing"
)

func TestReportHintsPath(t *testing.T) {
	home, err := os.UserHomeDir()
	if err != nil {
		t.Skip("no home folder")
	}
	for _, c := range []struct {
		env, flag, want, problem string
	}{
		{},
		{env: "/etc/cx/hints.yaml", want: "/etc/cx/hints.yaml"},
		{env: "/etc/cx/hints.yaml", flag: "--report-hints=/srv/h.json", want: "/srv/h.json"},
		{env: "~/hints.json", want: filepath.Join(home, "hints.json")},
		{env: "hints.json", problem: `CXREPORTS_REPORT_HINTS "hints.json" is not an absolute path`},
		{env: "${HINTS}", problem: "CXREPORTS_REPORT_HINTS holds an unexpanded placeholder; put the real value in your MCP client's configuration"},
	} {
		var args []string
		if c.flag != "" {
			args = []string{c.flag}
		}
		getenv := func(name string) string {
			if name == EnvReportHints {
				return c.env
			}
			return ""
		}
		cfg, _, err := Load(args, getenv, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.ReportHints != c.want || cfg.Problems[EnvReportHints] != c.problem {
			t.Errorf("env %q flag %q: %q, problem %q", c.env, c.flag, cfg.ReportHints, cfg.Problems[EnvReportHints])
		}
	}
}
