package config

import (
	"io"
	"testing"
)

func TestResourceMax(t *testing.T) {
	for _, c := range []struct {
		env, flag string
		want      int64
		problem   string
	}{
		{want: 10 << 20},
		{env: "25", want: 25 << 20},
		{env: "25", flag: "--resource-max-mb=1", want: 1 << 20},
		{env: "0", want: 10 << 20, problem: `CXREPORTS_RESOURCE_MAX_MB "0" is not a whole number of MiB from 1 to 1024; using 10`},
		{env: "2048", want: 10 << 20, problem: `CXREPORTS_RESOURCE_MAX_MB "2048" is not a whole number of MiB from 1 to 1024; using 10`},
		{env: "10MB", want: 10 << 20, problem: `CXREPORTS_RESOURCE_MAX_MB "10MB" is not a whole number of MiB from 1 to 1024; using 10`},
	} {
		var args []string
		if c.flag != "" {
			args = []string{c.flag}
		}
		getenv := func(name string) string {
			if name == EnvResourceMaxMB {
				return c.env
			}
			return ""
		}
		cfg, _, err := Load(args, getenv, io.Discard)
		if err != nil {
			t.Fatal(err)
		}
		if cfg.ResourceMaxBytes != c.want || cfg.Problems[EnvResourceMaxMB] != c.problem {
			t.Errorf("env %q flag %q: %d, problem %q", c.env, c.flag, cfg.ResourceMaxBytes, cfg.Problems[EnvResourceMaxMB])
		}
	}
}
