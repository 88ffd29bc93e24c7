package config

import (
	"io"
	"testing"
	"time"
)

func TestExportWait(t *testing.T) {
	for _, c := range []struct {
		env, flag string
		want      time.Duration
		problem   string
	}{
		{want: DefaultExportWait},
		{env: "10s", want: 10 * time.Second},
		{env: "10s", flag: "--export-wait=40s", want: 40 * time.Second},
		{env: "2m", want: DefaultExportWait, problem: `CXREPORTS_EXPORT_WAIT "2m" is not a duration from 1s to 50s such as 25s; using 25s`},
		{env: "500ms", want: DefaultExportWait, problem: `CXREPORTS_EXPORT_WAIT "500ms" is not a duration from 1s to 50s such as 25s; using 25s`},
		{env: "soon", want: DefaultExportWait, problem: `CXREPORTS_EXPORT_WAIT "soon" is not a duration from 1s to 50s such as 25s; using 25s`},
	} {
		var args []string
		if c.flag != "" {
			args = []string{c.flag}
		}
		getenv := func(name string) string {
			if name == EnvExportWait {
				return c.env
			}
			return ""
		}
		cfg, _, err := Load(args, getenv, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.ExportWait != c.want || cfg.Problems[EnvExportWait] != c.problem {
			t.Errorf("env %q flag %q: %s, problem %q", c.env, c.flag, cfg.ExportWait, cfg.Problems[EnvExportWait])
		}
	}
}
