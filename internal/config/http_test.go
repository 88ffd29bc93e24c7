package config

import (
	"io"
	"slices"
	"testing"
	"time"
)

func TestHTTPSettings(t *testing.T) {
	env := map[string]string{
		EnvAuthToken:      " tok ",
		EnvAllowedOrigins: "https://a.example, ,https://b.example",
		EnvStateless:      "true",
		EnvMaxBodySize:    "2MiB",
	}
	c, _, err := Load([]string{"--transport", "http", "--addr", "0.0.0.0:9000", "--require-user-token", "--allowed-hosts=mcp.example.com", "--shutdown-timeout=5s"},
		func(k string) string { return env[k] }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	h := c.HTTP
	if h.Addr != "0.0.0.0:9000" || h.AuthToken.Reveal() != "tok" || !h.Stateless || !h.RequireUserToken ||
		!slices.Equal(h.AllowedOrigins, []string{"https://a.example", "https://b.example"}) ||
		!slices.Equal(h.AllowedHosts, []string{"mcp.example.com"}) || h.MaxBodyBytes != 2<<20 || h.ShutdownTimeout != 5*time.Second {
		t.Errorf("settings: %+v", h)
	}

	c, _, err = Load(nil, func(string) string { return "" }, io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if h := c.HTTP; h.Addr != DefaultAddr || h.AuthToken != "" || h.Stateless || h.MaxBodyBytes != DefaultMaxBodyBytes || h.ShutdownTimeout != DefaultShutdownTimeout {
		t.Errorf("defaults: %+v", h)
	}

	// A bad network setting stops an HTTP server, not a stdio one.
	bad := func(k string) string { return map[string]string{EnvMaxBodySize: "lots"}[k] }
	if _, _, err := Load([]string{"--transport=sse"}, bad, io.Discard); err == nil || err.Error() != `--max-body-size (CXREPORTS_MAX_BODY_SIZE): "lots" is not a size such as 16MiB` {
		t.Errorf("bad size over sse: %v", err)
	}
	if _, _, err := Load(nil, bad, io.Discard); err != nil {
		t.Errorf("bad size over stdio: %v", err)
	}
}

func TestParseSize(t *testing.T) {
	for s, want := range map[string]int64{"1048576": 1 << 20, "512KiB": 512 << 10, "16MiB": 16 << 20, "16 MB": 16 << 20, "1g": 1 << 30} {
		if got, err := ParseSize(s); err != nil || got != want {
			t.Errorf("ParseSize(%q) = %d, %v", s, got, err)
		}
	}
	for _, s := range []string{"", "0", "-1", "1TB", "MiB", "1.5MiB"} {
		if _, err := ParseSize(s); err == nil {
			t.Errorf("ParseSize(%q) accepted", s)
		}
	}
}
