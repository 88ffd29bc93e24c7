package app

import "testing"

func TestRedactURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://tenant.cx-reports.app":                   "https://tenant.cx-reports.app",
		"http://user:SECRETPW@127.0.0.1:18089/x?apikey=k": "http://127.0.0.1:18089/x",
		"https://h/#frag":                                 "https://h/",
		"":                                                "",
	} {
		if got := redactURL(in); got != want {
			t.Errorf("redactURL(%q) = %q, want %q", in, got, want)
		}
	}
}
