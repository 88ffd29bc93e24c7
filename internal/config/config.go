// Package config reads the server's settings from flags and environment
// variables into one Config, once, at start-up.
//
// Flags win over environment variables. A missing or malformed setting is
// not fatal: the server must still answer initialize and tools/list, so Load
// records the problem and tool calls report it, naming the variable to fix.
// Only malformed command-line flags are fatal.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Secret is a credential. It prints as [redacted] in every fmt verb and in
// slog, so it cannot leak through a log line or an error by accident.
type Secret string

// String implements fmt.Stringer.
func (Secret) String() string { return "[redacted]" }

// GoString implements fmt.GoStringer.
func (Secret) GoString() string { return "[redacted]" }

// LogValue implements slog.LogValuer.
func (Secret) LogValue() slog.Value { return slog.StringValue("[redacted]") }

// Reveal returns the secret's value, for the one place that sends it.
func (s Secret) Reveal() string { return string(s) }

// Environment variable names.
const (
	EnvURL       = "CXREPORTS_URL"
	EnvToken     = "CXREPORTS_TOKEN"
	EnvTokenFile = "CXREPORTS_TOKEN_FILE"
	EnvWorkspace = "CXREPORTS_WORKSPACE"
	EnvOutputDir = "CXREPORTS_OUTPUT_DIR"
	EnvTimezone  = "CXREPORTS_TIMEZONE"
	EnvTimeout   = "CXREPORTS_TIMEOUT"
	EnvLogLevel  = "CXREPORTS_LOG_LEVEL"
	EnvTransport = "CXREPORTS_TRANSPORT"

	EnvToolsets       = "CXREPORTS_TOOLSETS"
	EnvTools          = "CXREPORTS_TOOLS"
	EnvReadOnly       = "CXREPORTS_READ_ONLY"
	EnvEnableDelivery = "CXREPORTS_ENABLE_DELIVERY"
)

// EnvExportWait names the bound on waiting for a background export.
const EnvExportWait = "CXREPORTS_EXPORT_WAIT"

// EnvReportHints names the report hints file.
const EnvReportHints = "CXREPORTS_REPORT_HINTS"

// EnvResourceMaxMB names the size cap of documents read as MCP resources.
const EnvResourceMaxMB = "CXREPORTS_RESOURCE_MAX_MB"

// Config is every setting of the server.
type Config struct {
	// URL is the CxReports base URL (CXREPORTS_URL).
	URL string
	// Token is the personal access token (CXREPORTS_TOKEN, or the content
	// of CXREPORTS_TOKEN_FILE).
	Token Secret
	// Workspace is the default workspace id or code (CXREPORTS_WORKSPACE).
	Workspace string
	// OutputDir is where exports are saved (CXREPORTS_OUTPUT_DIR); always absolute.
	OutputDir string
	// Timezone is the IANA zone sent when a call names none (CXREPORTS_TIMEZONE).
	Timezone string
	// Timeout bounds each tool call and each CxReports request in it
	// (CXREPORTS_TIMEOUT).
	Timeout time.Duration
	// ExportWait bounds how long one tool call waits for a background
	// export before returning a handle to collect it (CXREPORTS_EXPORT_WAIT).
	ExportWait time.Duration
	// ReportHints is the path of a JSON or YAML file documenting the params
	// and data of reports (CXREPORTS_REPORT_HINTS); "" for none.
	ReportHints string
	// ResourceMaxBytes caps the documents served by resources/read
	// (CXREPORTS_RESOURCE_MAX_MB, in MiB).
	ResourceMaxBytes int64
	// Transport is stdio, http or sse (CXREPORTS_TRANSPORT).
	Transport string
	// Demo serves against the built-in sandbox.
	Demo bool
	// DemoAddr is where the demo sandbox listens.
	DemoAddr string
	// LogLevel is the least severe level logged to stderr (CXREPORTS_LOG_LEVEL).
	LogLevel slog.Level
	// Version asks for the version and nothing else.
	Version bool
	// HTTP holds the settings of the network transports.
	HTTP HTTP

	// Access control: which tools the server offers. Unlike other
	// settings, a malformed value here stops the server, so that it never
	// offers more than an administrator meant.

	// Toolsets names the offered toolsets (CXREPORTS_TOOLSETS, comma-separated).
	Toolsets []string
	// Tools is an allowlist of tool names (CXREPORTS_TOOLS, comma-separated).
	Tools []string
	// ReadOnly offers only read-only tools (CXREPORTS_READ_ONLY).
	ReadOnly bool
	// EnableDelivery offers the tools that e-mail people (CXREPORTS_ENABLE_DELIVERY).
	EnableDelivery bool

	// Problems lists settings that were missing or malformed, keyed by the
	// variable that fixes them. Tool calls that need one report it.
	Problems map[string]string
}

// DefaultTimeout keeps a CxReports call well under the ~60 s after which
// MCP clients give up.
const DefaultTimeout = 45 * time.Second

// DefaultExportWait keeps a call waiting for a background export well
// under the ~60 s after which MCP clients give up; MaxExportWait is the
// most that may be configured.
const (
	DefaultExportWait = 25 * time.Second
	MaxExportWait     = 50 * time.Second
)

// DefaultDemoAddr is the fixed loopback address of the --demo sandbox, so
// that links made in one run keep their address in the next.
const DefaultDemoAddr = "127.0.0.1:8089"

// Load reads flags from args (flags may come before, between or after
// positional arguments) and environment variables through getenv. It
// returns the positional arguments. Only flag syntax errors are returned as
// errors; everything else is recorded in Config.Problems.
func Load(args []string, getenv func(string) string, stderr io.Writer) (*Config, []string, error) {
	c := &Config{Problems: map[string]string{}}
	env := func(name string) string { return c.clean(name, getenv(name)) }

	fs := flag.NewFlagSet("cxreports-mcp", flag.ContinueOnError)
	fs.SetOutput(stderr)
	url := fs.String("url", env(EnvURL), "CxReports base URL, e.g. https://tenant.cx-reports.app ($"+EnvURL+")")
	tokenFile := fs.String("token-file", env(EnvTokenFile), "file holding the personal access token ($"+EnvTokenFile+")")
	fs.StringVar(&c.Workspace, "workspace", env(EnvWorkspace), "default workspace id or code ($"+EnvWorkspace+")")
	outDir := fs.String("output-dir", env(EnvOutputDir), "folder for exported documents ($"+EnvOutputDir+"; default ~/Downloads/CxReports)")
	tz := fs.String("timezone", env(EnvTimezone), "IANA time zone for reports ($"+EnvTimezone+"; default $TZ, else the system zone, else UTC)")
	timeout := fs.String("timeout", env(EnvTimeout), "deadline of each CxReports call, e.g. 45s ($"+EnvTimeout+")")
	exportWait := fs.String("export-wait", env(EnvExportWait), "how long a call waits for a background export, e.g. 25s ($"+EnvExportWait+")")
	hints := fs.String("report-hints", env(EnvReportHints), "JSON or YAML file documenting report params and data ($"+EnvReportHints+")")
	resourceMax := fs.String("resource-max-mb", env(EnvResourceMaxMB), fmt.Sprintf("largest document served as an MCP resource, in MiB ($%s; default %d)", EnvResourceMaxMB, DefaultResourceMaxMB))
	fs.StringVar(&c.Transport, "transport", orDefault(env(EnvTransport), "stdio"), "stdio, http or sse ($"+EnvTransport+")")
	fs.BoolVar(&c.Demo, "demo", false, "serve against the built-in CxReports sandbox")
	fs.StringVar(&c.DemoAddr, "demo-addr", DefaultDemoAddr, "address of the --demo sandbox")
	level := fs.String("log-level", orDefault(env(EnvLogLevel), "info"), "debug, info, warn or error ($"+EnvLogLevel+")")
	fs.BoolVar(&c.Version, "version", false, "print the version and exit")
	access, err := c.accessFlags(fs, env)
	if err != nil {
		return nil, nil, err
	}
	finishHTTP := c.HTTP.httpFlags(fs, env)

	positional, err := parseInterspersed(fs, args)
	if err != nil {
		return nil, nil, err
	}
	c.Toolsets, c.Tools = splitList(*access.toolsets), splitList(*access.tools)

	c.URL = strings.TrimRight(*url, "/")
	c.Token = Secret(env(EnvToken))
	if *tokenFile != "" {
		b, err := os.ReadFile(*tokenFile)
		switch {
		case err != nil:
			c.Problems[EnvTokenFile] = fmt.Sprintf("%s cannot be read: %v", EnvTokenFile, errors.Unwrap(err))
		case strings.TrimSpace(string(b)) == "":
			c.Problems[EnvTokenFile] = EnvTokenFile + " names an empty file"
		default:
			c.Token = Secret(strings.TrimSpace(string(b)))
		}
	}
	c.OutputDir = c.outputDir(*outDir)
	c.ReportHints = c.reportHints(*hints)
	c.Timezone = c.timezone(*tz, getenv("TZ"))
	c.Timeout = DefaultTimeout
	if *timeout != "" {
		d, err := time.ParseDuration(*timeout)
		if err != nil || d <= 0 {
			c.Problems[EnvTimeout] = fmt.Sprintf("%s %q is not a positive duration such as 45s; using %s", EnvTimeout, *timeout, DefaultTimeout)
		} else {
			c.Timeout = d
		}
	}
	c.ExportWait = DefaultExportWait
	if *exportWait != "" {
		d, err := time.ParseDuration(*exportWait)
		if err != nil || d < time.Second || d > MaxExportWait {
			c.Problems[EnvExportWait] = fmt.Sprintf("%s %q is not a duration from 1s to %s such as 25s; using %s", EnvExportWait, *exportWait, MaxExportWait, DefaultExportWait)
		} else {
			c.ExportWait = d
		}
	}
	c.ResourceMaxBytes = c.resourceMax(*resourceMax)
	if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
		c.Problems[EnvLogLevel] = fmt.Sprintf("%s %q is not debug, info, warn or error; using info", EnvLogLevel, *level)
		c.LogLevel = slog.LevelInfo
	}
	switch c.Transport {
	case "stdio", "http", "sse":
	default:
		return nil, nil, fmt.Errorf("unknown transport %q: use stdio, http or sse", c.Transport)
	}
	if err := finishHTTP(); err != nil && c.Transport != "stdio" {
		return nil, nil, err
	}
	return c, positional, nil
}

// accessFlagValues holds the list flags of access control until parsing ends.
type accessFlagValues struct{ toolsets, tools *string }

// accessFlags declares the access-control flags with their environment
// defaults. An unreadable environment value is an error: guessing could
// offer tools an administrator meant to hide.
func (c *Config) accessFlags(fs *flag.FlagSet, env func(string) string) (accessFlagValues, error) {
	var firstErr error
	strict := func(name string) string {
		v := env(name)
		if p, ok := c.Problems[name]; ok && firstErr == nil {
			firstErr = errors.New(p)
		}
		return v
	}
	toolsets, tools := strict(EnvToolsets), strict(EnvTools)
	readOnly, err := parseBool(EnvReadOnly, strict(EnvReadOnly))
	if firstErr == nil {
		firstErr = err
	}
	delivery, err := parseBool(EnvEnableDelivery, strict(EnvEnableDelivery))
	if firstErr == nil {
		firstErr = err
	}
	if firstErr != nil {
		return accessFlagValues{}, firstErr
	}
	out := accessFlagValues{
		toolsets: fs.String("toolsets", toolsets, "toolsets to offer, comma-separated: core, exports, jobs or all ($"+EnvToolsets+"; default core)"),
		tools:    fs.String("tools", tools, "offer only these tools, comma-separated ($"+EnvTools+")"),
	}
	fs.BoolVar(&c.ReadOnly, "read-only", readOnly, "offer only tools that change nothing on CxReports and contact nobody ($"+EnvReadOnly+")")
	fs.BoolVar(&c.EnableDelivery, "enable-delivery", delivery, "offer deliver_job_run, which e-mails a job run's recipients ($"+EnvEnableDelivery+")")
	return out, nil
}

// parseBool reads a boolean environment value; empty is false.
func parseBool(name, v string) (bool, error) {
	switch strings.ToLower(strings.TrimSpace(v)) {
	case "":
		return false, nil
	case "1", "true", "yes", "on":
		return true, nil
	case "0", "false", "no", "off":
		return false, nil
	}
	return false, fmt.Errorf("%s %q is not a boolean; use true or false", name, v)
}

// splitList splits a comma-separated setting; blanks are dropped.
func splitList(v string) []string {
	var out []string
	for _, part := range strings.Split(v, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}

// parseInterspersed parses flags that may stand anywhere among the
// positional arguments, as in `call export_pdf --demo '{…}'`.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var positional []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return positional, nil
		}
		if rest[0] == "--" {
			return append(positional, rest[1:]...), nil
		}
		positional = append(positional, rest[0])
		args = rest[1:]
	}
}

// clean trims a value from the environment and records a problem when it
// looks like a placeholder the client did not expand.
func (c *Config) clean(name, v string) string {
	v = strings.TrimSpace(v)
	if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
		v = strings.TrimSpace(v[1 : len(v)-1])
	}
	if strings.Contains(v, "${") || strings.HasPrefix(v, "%") && strings.HasSuffix(v, "%") && len(v) > 2 {
		c.Problems[name] = fmt.Sprintf("%s holds an unexpanded placeholder; put the real value in your MCP client's configuration", name)
		return ""
	}
	return v
}

// outputDir resolves the export folder: the setting when absolute (a
// leading ~ means the home folder), else ~/Downloads/CxReports, else a
// folder in the system's temporary directory. MCP clients often start
// servers in /, so a relative path is never used.
func (c *Config) outputDir(setting string) string {
	home, _ := os.UserHomeDir()
	if setting != "" {
		if rest, ok := strings.CutPrefix(setting, "~"); ok && home != "" && (rest == "" || rest[0] == '/' || rest[0] == filepath.Separator) {
			setting = filepath.Join(home, rest)
		}
		if filepath.IsAbs(setting) {
			return filepath.Clean(setting)
		}
		c.Problems[EnvOutputDir] = fmt.Sprintf("%s %q is not an absolute path; using the default", EnvOutputDir, setting)
	}
	if home != "" {
		return filepath.Join(home, "Downloads", "CxReports")
	}
	return filepath.Join(os.TempDir(), "CxReports")
}

// reportHints resolves the path of the report hints file: absolute, a
// leading ~ meaning the home folder. MCP clients often start servers in /,
// so a relative path is refused.
func (c *Config) reportHints(setting string) string {
	if setting == "" {
		return ""
	}
	if rest, ok := strings.CutPrefix(setting, "~"); ok && (rest == "" || rest[0] == '/' || rest[0] == filepath.Separator) {
		if home, err := os.UserHomeDir(); err == nil {
			setting = filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(setting) {
		c.Problems[EnvReportHints] = fmt.Sprintf("%s %q is not an absolute path", EnvReportHints, setting)
		return ""
	}
	return filepath.Clean(setting)
}

// timezone resolves the default time zone: the setting, else $TZ, else the
// zone /etc/localtime points at, else UTC. Go's time.Local is named
// "Local", which is no IANA name, so it is never used.
func (c *Config) timezone(setting, tzEnv string) string {
	if setting != "" {
		if validZone(setting) {
			return setting
		}
		c.Problems[EnvTimezone] = fmt.Sprintf("%s %q is not an IANA time zone name such as Europe/Belgrade; using UTC", EnvTimezone, setting)
		return "UTC"
	}
	if tz := strings.TrimPrefix(tzEnv, ":"); tz != "" && !strings.HasPrefix(tz, "/") && validZone(tz) {
		return tz
	}
	if target, err := os.Readlink("/etc/localtime"); err == nil {
		if _, zone, ok := strings.Cut(target, "zoneinfo/"); ok && validZone(zone) {
			return zone
		}
	}
	if b, err := os.ReadFile("/etc/timezone"); err == nil {
		if zone := strings.TrimSpace(string(b)); validZone(zone) {
			return zone
		}
	}
	return "UTC"
}

func validZone(name string) bool {
	if name == "" || name == "Local" {
		return false
	}
	_, err := time.LoadLocation(name)
	return err == nil
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}
