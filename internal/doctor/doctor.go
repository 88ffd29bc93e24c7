// Package doctor checks a cxreports-mcp configuration the way a person
// would when something does not work: is the CxReports address set and
// answering, is the token accepted, does the default workspace exist, can
// exports be saved. Each check says what it found and, when it failed,
// which setting to change. No check ever shows the token.
package doctor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
)

// Status is the outcome of one check.
type Status int

// The outcomes of a check.
const (
	// Passed: the setting works.
	Passed Status = iota
	// Failed: the setting must be fixed; Check.Fix says how.
	Failed
	// Skipped: the check could not run (an earlier one failed) or does not
	// apply (an optional setting that is not set).
	Skipped
)

// symbol is how a status is shown.
func (s Status) symbol() string {
	switch s {
	case Passed:
		return "✓"
	case Failed:
		return "✗"
	}
	return "-"
}

// Check is the result of one check.
type Check struct {
	Status Status
	// Text says what was checked and found, naming the setting.
	Text string
	// Fix says what to do; set for failed checks.
	Fix string
}

// Options tunes Run.
type Options struct {
	// UserAgent is sent to CxReports.
	UserAgent string
	// ProbeTimeout bounds the reachability probe (default 15s).
	ProbeTimeout time.Duration
}

// DefaultProbeTimeout bounds the reachability probe.
const DefaultProbeTimeout = 15 * time.Second

// Run checks cfg and returns the checks in the order a person would fix
// them: settings, address, reachability, token, workspace, output folder.
func Run(ctx context.Context, cfg *config.Config, opts Options) []Check {
	if opts.ProbeTimeout <= 0 {
		opts.ProbeTimeout = DefaultProbeTimeout
	}
	var checks []Check
	add := func(c Check) Check { checks = append(checks, c); return c }

	if c, ok := settingsCheck(cfg); ok {
		add(c)
	}
	client, urlCheck := checkURL(cfg, opts)
	add(urlCheck)
	reach := Check{Status: Skipped, Text: "CxReports reachability: not checked (CXREPORTS_URL is not usable)"}
	if client != nil {
		reach = probe(ctx, client.BaseURL(), opts.ProbeTimeout)
	}
	add(reach)
	token, workspaces := checkToken(ctx, cfg, client, reach.Status == Passed)
	add(token)
	add(checkWorkspace(cfg.Workspace, workspaces, token.Status == Passed))
	add(checkOutputDir(cfg.OutputDir))
	return checks
}

// settingsCheck reports malformed settings other than the address and the
// token, which have checks of their own. ok is false when there are none.
func settingsCheck(cfg *config.Config) (Check, bool) {
	var names []string
	for name := range cfg.Problems {
		if name != config.EnvURL && name != config.EnvToken && name != config.EnvTokenFile {
			names = append(names, name)
		}
	}
	if len(names) == 0 {
		return Check{}, false
	}
	slices.Sort(names)
	problems := make([]string, len(names))
	for i, name := range names {
		problems[i] = cfg.Problems[name]
	}
	return Check{Status: Failed, Text: "Settings: " + strings.Join(problems, "; "),
		Fix: "Correct " + strings.Join(names, ", ") + " in your MCP client's configuration (or the matching flags)."}, true
}

const urlFix = "Set CXREPORTS_URL to the address of your CxReports server as you open it in a browser, e.g. https://your-tenant.cx-reports.app (or use --demo for the built-in sandbox)."

// checkURL checks that the address is set and well-formed, and returns the
// client for it.
func checkURL(cfg *config.Config, opts Options) (*cxapi.Client, Check) {
	if p, ok := cfg.Problems[config.EnvURL]; ok {
		return nil, Check{Status: Failed, Text: p, Fix: urlFix}
	}
	if cfg.URL == "" {
		return nil, Check{Status: Failed, Text: "CXREPORTS_URL is not set", Fix: urlFix}
	}
	c, err := cxapi.New(cxapi.Config{BaseURL: cfg.URL, Token: cfg.Token.Reveal(), Timeout: cfg.Timeout, UserAgent: opts.UserAgent})
	if err != nil {
		return nil, Check{Status: Failed, Text: "CXREPORTS_URL is not usable: " + strings.TrimPrefix(err.Error(), "cxapi: "), Fix: urlFix}
	}
	return c, Check{Status: Passed, Text: "CXREPORTS_URL is " + c.BaseURL()}
}

// probe checks that something answers HTTP at base. Any status counts:
// the API call that follows tells whether it is CxReports.
func probe(ctx context.Context, base string, timeout time.Duration) Check {
	hc := &http.Client{
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+"/", nil)
	if err != nil {
		return Check{Status: Failed, Text: "CXREPORTS_URL is not usable: " + err.Error(), Fix: urlFix}
	}
	start := time.Now()
	resp, err := hc.Do(req)
	if err != nil {
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err // without the URL, which the text already names
		}
		return Check{Status: Failed, Text: fmt.Sprintf("CxReports does not answer at %s: %v", base, err),
			Fix: "Check CXREPORTS_URL: is the address right, is CxReports running, and can this machine reach it (VPN, proxy via HTTPS_PROXY)? Try opening it in a browser."}
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
	return Check{Status: Passed, Text: fmt.Sprintf("CxReports answers at %s (HTTP %d in %s)", base, resp.StatusCode, time.Since(start).Round(time.Millisecond))}
}

const tokenFix = "Set CXREPORTS_TOKEN to a valid personal access token (CxReports: user menu → Personal Access Tokens), or CXREPORTS_TOKEN_FILE to a file holding one."

// checkToken lists the workspaces with the token, which proves that the
// address is the CxReports API and that the token is accepted.
func checkToken(ctx context.Context, cfg *config.Config, client *cxapi.Client, reachable bool) (Check, []cxapi.Workspace) {
	for _, name := range []string{config.EnvTokenFile, config.EnvToken} {
		if p, ok := cfg.Problems[name]; ok {
			return Check{Status: Failed, Text: p, Fix: tokenFix}, nil
		}
	}
	if cfg.Token == "" {
		return Check{Status: Failed, Text: "CXREPORTS_TOKEN is not set", Fix: tokenFix}, nil
	}
	if !reachable {
		return Check{Status: Skipped, Text: "CXREPORTS_TOKEN: not checked (CxReports does not answer)"}, nil
	}
	ws, err := client.ListWorkspaces(ctx)
	if err == nil {
		return Check{Status: Passed, Text: fmt.Sprintf("CXREPORTS_TOKEN is accepted: it can use %s", describeWorkspaces(ws))}, ws
	}
	var ae *cxapi.APIError
	status := ""
	if errors.As(err, &ae) {
		status = strconv.Itoa(ae.StatusCode) + " "
	}
	c := Check{Status: Failed}
	switch {
	case errors.Is(err, cxapi.ErrUnauthorized):
		c.Text = "CXREPORTS_TOKEN is not accepted: CxReports answered " + status + "Unauthorized"
		c.Fix = tokenFix + " This token is wrong, expired or revoked."
	case errors.Is(err, cxapi.ErrForbidden):
		c.Text = "CXREPORTS_TOKEN may not list workspaces: CxReports answered " + status + "Forbidden"
		c.Fix = "Use a token of a CxReports user with access to the workspaces in CXREPORTS_TOKEN."
	case errors.Is(err, cxapi.ErrNotFound), errors.Is(err, cxapi.ErrUnexpectedResponse):
		c.Text = "CXREPORTS_URL does not lead to the CxReports API: " + apiErrorText(err)
		c.Fix = "Set CXREPORTS_URL to the root address of CxReports, without /api/v1 or a page path (e.g. https://your-tenant.cx-reports.app); a sign-in page in between (proxy, single sign-on) must let API calls through."
	case errors.Is(err, cxapi.ErrTimeout):
		c.Text = "CxReports did not answer the workspace list in time: " + apiErrorText(err)
		c.Fix = "Check that CXREPORTS_URL is right and CxReports is healthy, or raise CXREPORTS_TIMEOUT."
	case errors.Is(err, cxapi.ErrUnreachable):
		c.Text = "CxReports does not answer API calls: " + apiErrorText(err)
		c.Fix = "Check CXREPORTS_URL and the network between this machine and CxReports."
	default:
		c.Text = "CxReports failed to list workspaces: " + apiErrorText(err)
		c.Fix = "Try again later; if it persists, ask your CxReports administrator."
	}
	return c, nil
}

// apiErrorText is a client error without the operation prefix.
func apiErrorText(err error) string {
	return strings.TrimPrefix(err.Error(), "list workspaces: ")
}

// describeWorkspaces lists workspaces by code (or id), at most ten.
func describeWorkspaces(ws []cxapi.Workspace) string {
	switch len(ws) {
	case 0:
		return "no workspace"
	case 1:
		return "1 workspace (" + workspaceKey(ws[0]) + ")"
	}
	keys := make([]string, 0, min(len(ws), 10))
	for _, w := range ws[:min(len(ws), 10)] {
		keys = append(keys, workspaceKey(w))
	}
	if len(ws) > 10 {
		keys = append(keys, "…")
	}
	return fmt.Sprintf("%d workspaces (%s)", len(ws), strings.Join(keys, ", "))
}

func workspaceKey(w cxapi.Workspace) string {
	if w.Code != "" {
		return w.Code
	}
	return strconv.FormatInt(w.ID, 10)
}

// checkWorkspace looks the default workspace up, by id or code, among the
// workspaces the token can use.
func checkWorkspace(want string, ws []cxapi.Workspace, tokenOK bool) Check {
	switch {
	case want == "":
		return Check{Status: Skipped, Text: "CXREPORTS_WORKSPACE is not set (optional): every tool call then names its workspace"}
	case !tokenOK:
		return Check{Status: Skipped, Text: fmt.Sprintf("CXREPORTS_WORKSPACE %q: not checked (needs an accepted token)", want)}
	}
	for _, w := range ws {
		if strconv.FormatInt(w.ID, 10) == want || (w.Code != "" && strings.EqualFold(w.Code, want)) {
			return Check{Status: Passed, Text: fmt.Sprintf("CXREPORTS_WORKSPACE %q exists: %s (id %d)", want, w.Name, w.ID)}
		}
	}
	fix := "Set CXREPORTS_WORKSPACE to the id or code of one of them, or leave it unset."
	if len(ws) == 0 {
		fix = "Give this token's user access to a workspace in CxReports, or leave CXREPORTS_WORKSPACE unset."
	}
	return Check{Status: Failed, Text: fmt.Sprintf("CXREPORTS_WORKSPACE %q is not a workspace this token can use; it can use %s", want, describeWorkspaces(ws)), Fix: fix}
}

// checkOutputDir creates (if needed) the export folder and writes and
// removes a file there, as an export would.
func checkOutputDir(dir string) Check {
	fix := "Set CXREPORTS_OUTPUT_DIR to an absolute path of a folder you can write to."
	_, statErr := os.Stat(dir)
	created := errors.Is(statErr, os.ErrNotExist)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Check{Status: Failed, Text: "CXREPORTS_OUTPUT_DIR cannot be created: " + err.Error(), Fix: fix}
	}
	f, err := os.CreateTemp(dir, ".cxreports-doctor-*")
	if err != nil {
		return Check{Status: Failed, Text: "CXREPORTS_OUTPUT_DIR is not writable: " + err.Error(), Fix: fix}
	}
	_, werr := f.WriteString("cxreports-mcp doctor\n")
	cerr := f.Close()
	rerr := os.Remove(f.Name())
	if err := errors.Join(werr, cerr, rerr); err != nil {
		return Check{Status: Failed, Text: "CXREPORTS_OUTPUT_DIR is not writable: " + err.Error(), Fix: fix}
	}
	text := "CXREPORTS_OUTPUT_DIR is writable: " + dir
	if created {
		text += " (created)"
	}
	return Check{Status: Passed, Text: text}
}

// Write prints the checks for people, each failed one followed by its fix,
// then a summary line, and returns how many failed.
func Write(w io.Writer, checks []Check) int {
	failed := 0
	for _, c := range checks {
		fmt.Fprintf(w, "%s %s\n", c.Status.symbol(), c.Text)
		if c.Status == Failed {
			failed++
			if c.Fix != "" {
				fmt.Fprintf(w, "    Fix: %s\n", c.Fix)
			}
		}
	}
	if failed == 0 {
		fmt.Fprintln(w, "All checks passed.")
	} else {
		fmt.Fprintf(w, "%d of %d checks failed.\n", failed, len(checks))
	}
	return failed
}
