package doctor

import (
	"bytes"
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

const token = "doctor-test-token-8d1f"

// sandboxURL serves a sandbox whose main user has token.
func sandboxURL(t *testing.T) string {
	t.Helper()
	ts := httptest.NewServer(sandbox.New(sandbox.Options{Token: token}))
	t.Cleanup(ts.Close)
	return ts.URL
}

// closedURL is the address of a port that was just closed.
func closedURL(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return "http://" + addr
}

func cfgFor(url, tok, ws, out string) *config.Config {
	return &config.Config{URL: url, Token: config.Secret(tok), Workspace: ws, OutputDir: out, Timeout: 5 * time.Second, Problems: map[string]string{}}
}

// report runs the checks and prints them, with durations made stable.
func report(t *testing.T, cfg *config.Config) (string, int) {
	t.Helper()
	var buf bytes.Buffer
	failed := Write(&buf, Run(context.Background(), cfg, Options{}))
	out := regexp.MustCompile(`in [0-9.]+[µnm]?s\)`).ReplaceAllString(buf.String(), "in T)")
	if strings.Contains(out, token) {
		t.Fatalf("the report shows the token:\n%s", out)
	}
	return out, failed
}

func expectReport(t *testing.T, got string, want ...string) {
	t.Helper()
	if w := strings.Join(want, "\n") + "\n"; got != w {
		t.Errorf("report:\n%s\nwant:\n%s", got, w)
	}
}

func TestDoctorPassesAgainstTheSandbox(t *testing.T) {
	url := sandboxURL(t)
	out := filepath.Join(t.TempDir(), "exports")
	got, failed := report(t, cfgFor(url, token, "DEMO", out))
	expectReport(t, got,
		"✓ CXREPORTS_URL is "+url,
		"✓ CxReports answers at "+url+" (HTTP 200 in T)",
		"✓ CXREPORTS_TOKEN is accepted: it can use 3 workspaces (demo, finance, master)",
		`✓ CXREPORTS_WORKSPACE "DEMO" exists: Demo (id 1)`,
		"✓ CXREPORTS_OUTPUT_DIR is writable: "+out+" (created)",
		"All checks passed.")
	if failed != 0 {
		t.Errorf("failed = %d", failed)
	}
	entries, err := os.ReadDir(out)
	if err != nil || len(entries) != 0 {
		t.Errorf("the output folder keeps %v (%v)", entries, err)
	}
	// A workspace by id, and a folder that exists already.
	got, _ = report(t, cfgFor(url, token, "26", out))
	if !strings.Contains(got, `✓ CXREPORTS_WORKSPACE "26" exists: Finance (id 26)`) || !strings.Contains(got, "writable: "+out+"\n") {
		t.Errorf("report:\n%s", got)
	}
}

func TestDoctorWrongTokenNamesCXREPORTS_TOKEN(t *testing.T) {
	url := sandboxURL(t)
	out := t.TempDir()
	got, failed := report(t, cfgFor(url, "not-the-token", "demo", out))
	expectReport(t, got,
		"✓ CXREPORTS_URL is "+url,
		"✓ CxReports answers at "+url+" (HTTP 200 in T)",
		"✗ CXREPORTS_TOKEN is not accepted: CxReports answered 401 Unauthorized",
		"    Fix: "+tokenFix+" This token is wrong, expired or revoked.",
		`- CXREPORTS_WORKSPACE "demo": not checked (needs an accepted token)`,
		"✓ CXREPORTS_OUTPUT_DIR is writable: "+out,
		"1 of 5 checks failed.")
	if failed != 1 {
		t.Errorf("failed = %d", failed)
	}
}

func TestDoctorClosedPortNamesCXREPORTS_URL(t *testing.T) {
	url := closedURL(t)
	out := t.TempDir()
	got, failed := report(t, cfgFor(url, token, "", out))
	if failed != 1 {
		t.Errorf("failed = %d", failed)
	}
	lines := strings.Split(got, "\n")
	if len(lines) < 4 || !strings.HasPrefix(lines[1], "✗ CxReports does not answer at "+url+": ") ||
		!strings.Contains(lines[1], "connection refused") ||
		lines[2] != "    Fix: Check CXREPORTS_URL: is the address right, is CxReports running, and can this machine reach it (VPN, proxy via HTTPS_PROXY)? Try opening it in a browser." ||
		lines[3] != "- CXREPORTS_TOKEN: not checked (CxReports does not answer)" {
		t.Errorf("report:\n%s", got)
	}
	if !strings.Contains(got, "- CXREPORTS_WORKSPACE is not set (optional): every tool call then names its workspace\n") {
		t.Errorf("report:\n%s", got)
	}
}

func TestDoctorMissingSettings(t *testing.T) {
	out := t.TempDir()
	cfg := cfgFor("", "", "", out)
	cfg.Problems[config.EnvTimezone] = `CXREPORTS_TIMEZONE "Mars/Base" is not an IANA time zone name such as Europe/Belgrade; using UTC`
	got, failed := report(t, cfg)
	expectReport(t, got,
		`✗ Settings: CXREPORTS_TIMEZONE "Mars/Base" is not an IANA time zone name such as Europe/Belgrade; using UTC`,
		"    Fix: Correct CXREPORTS_TIMEZONE in your MCP client's configuration (or the matching flags).",
		"✗ CXREPORTS_URL is not set",
		"    Fix: "+urlFix,
		"- CxReports reachability: not checked (CXREPORTS_URL is not usable)",
		"✗ CXREPORTS_TOKEN is not set",
		"    Fix: "+tokenFix,
		"- CXREPORTS_WORKSPACE is not set (optional): every tool call then names its workspace",
		"✓ CXREPORTS_OUTPUT_DIR is writable: "+out,
		"3 of 6 checks failed.")
	if failed != 3 {
		t.Errorf("failed = %d", failed)
	}
}

func TestDoctorUnknownWorkspace(t *testing.T) {
	url := sandboxURL(t)
	got, _ := report(t, cfgFor(url, token, "sales", t.TempDir()))
	want := `✗ CXREPORTS_WORKSPACE "sales" is not a workspace this token can use; it can use 3 workspaces (demo, finance, master)
    Fix: Set CXREPORTS_WORKSPACE to the id or code of one of them, or leave it unset.
`
	if !strings.Contains(got, want) {
		t.Errorf("report:\n%s\nlacks:\n%s", got, want)
	}
}

func TestDoctorURLThatIsNotTheAPI(t *testing.T) {
	// A web server that is not CxReports: a sign-in page everywhere.
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.Write([]byte("<html><body>Sign in</body></html>"))
	}))
	defer ts.Close()
	got, failed := report(t, cfgFor(ts.URL, token, "", t.TempDir()))
	if failed != 1 || !strings.Contains(got, "✗ CXREPORTS_URL does not lead to the CxReports API: GET /api/v1/workspaces: ") ||
		!strings.Contains(got, "    Fix: Set CXREPORTS_URL to the root address of CxReports, without /api/v1") {
		t.Errorf("report:\n%s", got)
	}
}

func TestDoctorOutputDirNotWritable(t *testing.T) {
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	c := checkOutputDir(filepath.Join(file, "exports"))
	if c.Status != Failed || !strings.HasPrefix(c.Text, "CXREPORTS_OUTPUT_DIR cannot be created: ") ||
		c.Fix != "Set CXREPORTS_OUTPUT_DIR to an absolute path of a folder you can write to." {
		t.Errorf("%+v", c)
	}
}
