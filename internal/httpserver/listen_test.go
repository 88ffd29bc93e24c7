package httpserver

import "testing"

func TestListenRefusesOpenAddressWithoutToken(t *testing.T) {
	for _, addr := range []string{"0.0.0.0:0", ":0", "[::]:0"} {
		_, err := Listen(addr, Options{})
		want := "refusing to listen on " + addr + " without an access token: anyone who can reach that address could use this server; " +
			"set --auth-token (or CXREPORTS_MCP_AUTH_TOKEN) to a long random secret, or listen on 127.0.0.1"
		if err == nil || err.Error() != want {
			t.Errorf("Listen(%q): %v", addr, err)
		}
	}
	for _, tc := range []struct {
		addr  string
		token string
	}{
		{"127.0.0.1:0", ""},
		{"localhost:0", ""},
		{"0.0.0.0:0", "a-long-random-secret"},
	} {
		ln, err := Listen(tc.addr, Options{AuthToken: tc.token})
		if err != nil {
			t.Errorf("Listen(%q, token %q): %v", tc.addr, tc.token, err)
			continue
		}
		ln.Close()
	}
}
