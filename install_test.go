package main

// Shape tests of what people copy to install and configure cxreports-mcp:
// the client configurations (examples/clients, mcp.json.example and the
// README's JSON blocks and commands), the MCP Bundle manifest, the
// Dockerfile and the GoReleaser config. They keep these files in step with
// the server's settings, tools and version.

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// settingNames are the environment variables the server reads.
var settingNames = []string{
	config.EnvURL, config.EnvToken, config.EnvTokenFile, config.EnvWorkspace, config.EnvOutputDir,
	config.EnvTimezone, config.EnvTimeout, config.EnvExportWait, config.EnvLogLevel, config.EnvTransport,
	config.EnvToolsets, config.EnvTools, config.EnvReadOnly, config.EnvEnableDelivery,
}

// serverEntry is one MCP server in a client's configuration.
type serverEntry struct {
	Type    string            `json:"type"`
	Command string            `json:"command"`
	Args    []string          `json:"args"`
	Env     map[string]string `json:"env"`
}

// clientConfig is a client configuration file: "mcpServers" (Claude,
// Cursor, Windsurf, Gemini CLI) or "servers" (VS Code).
type clientConfig struct {
	MCPServers map[string]serverEntry `json:"mcpServers"`
	Servers    map[string]serverEntry `json:"servers"`
	Inputs     []struct {
		ID       string `json:"id"`
		Type     string `json:"type"`
		Password bool   `json:"password"`
	} `json:"inputs"`
}

// checkClientConfig checks one configuration: a "cxreports" server
// launching cxreports-mcp, with environment variables the server reads
// (URL and token at least, unless it runs --demo); VS Code's shape is
// "servers" with "type": "stdio" and a password input for the token.
func checkClientConfig(t *testing.T, name string, raw []byte) {
	t.Helper()
	var cfg clientConfig
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	if err := dec.Decode(&cfg); err != nil {
		t.Errorf("%s: not valid JSON for a client configuration: %v", name, err)
		return
	}
	vscode := cfg.Servers != nil
	servers := cfg.MCPServers
	if vscode {
		servers = cfg.Servers
		if cfg.MCPServers != nil {
			t.Errorf("%s: both servers and mcpServers", name)
		}
	}
	s, ok := servers["cxreports"]
	if !ok || len(servers) != 1 {
		t.Errorf("%s: want exactly one server named cxreports, got %v", name, servers)
		return
	}
	if s.Command != "cxreports-mcp" {
		t.Errorf("%s: command %q, want cxreports-mcp", name, s.Command)
	}
	if vscode && s.Type != "stdio" {
		t.Errorf(`%s: VS Code needs "type": "stdio", got %q`, name, s.Type)
	}
	if s.Type != "" && s.Type != "stdio" {
		t.Errorf("%s: type %q", name, s.Type)
	}
	for k := range s.Env {
		if !slices.Contains(settingNames, k) {
			t.Errorf("%s: env %s is not a setting of the server", name, k)
		}
	}
	if slices.Contains(s.Args, "--demo") {
		return
	}
	for _, k := range []string{config.EnvURL, config.EnvToken} {
		if s.Env[k] == "" {
			t.Errorf("%s: env lacks %s", name, k)
		}
	}
	for _, m := range regexp.MustCompile(`\$\{input:([^}]+)\}`).FindAllStringSubmatch(s.Env[config.EnvToken], -1) {
		found := false
		for _, in := range cfg.Inputs {
			found = found || (in.ID == m[1] && in.Type == "promptString" && in.Password)
		}
		if !found {
			t.Errorf("%s: no password input %q for the token", name, m[1])
		}
	}
}

func TestClientConfigExamples(t *testing.T) {
	files, err := filepath.Glob("examples/clients/*.json")
	if err != nil || len(files) != 6 {
		t.Fatalf("examples/clients: %v %v", files, err)
	}
	files = append(files, "mcp.json.example")
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		checkClientConfig(t, f, raw)
	}
	vscode, _ := os.ReadFile("examples/clients/vscode.mcp.json")
	if !strings.Contains(string(vscode), `"servers"`) {
		t.Error("the VS Code example must use servers")
	}
}

// fencedBlocks returns the bodies of the ```lang blocks of a Markdown file.
func fencedBlocks(t *testing.T, file, lang string) []string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range regexp.MustCompile("(?ms)^```"+lang+"\n(.*?)^```").FindAllStringSubmatch(string(b), -1) {
		out = append(out, m[1])
	}
	return out
}

func TestReadmeClientConfigs(t *testing.T) {
	blocks := fencedBlocks(t, "README.md", "json")
	configs := 0
	for i, b := range blocks {
		network := strings.Contains(b, `"url"`) // a client of the HTTP transport, not a launched server
		if (strings.Contains(b, `"mcpServers"`) || strings.Contains(b, `"servers"`)) && !network {
			configs++
			checkClientConfig(t, fmt.Sprintf("README.md json block %d", i+1), []byte(b))
		} else if !json.Valid([]byte(b)) {
			t.Errorf("README.md json block %d is not valid JSON:\n%s", i+1, b)
		}
	}
	if configs < 2 {
		t.Errorf("README.md has %d client configurations; want Claude Desktop's and VS Code's at least", configs)
	}
}

// TestClaudeCodeCommands checks every `claude mcp add` in the README and
// examples: a server named cxreports launching cxreports-mcp, with
// settings the server reads.
func TestClaudeCodeCommands(t *testing.T) {
	sh, err := os.ReadFile("examples/clients/claude-code.sh")
	if err != nil {
		t.Fatal(err)
	}
	cmds := []string{string(sh)}
	for _, b := range fencedBlocks(t, "README.md", "sh") {
		if strings.Contains(b, "claude mcp add") {
			cmds = append(cmds, b)
		}
	}
	if len(cmds) < 2 {
		t.Fatal("README.md has no claude mcp add command")
	}
	for _, c := range cmds {
		line := strings.ReplaceAll(c, "\\\n", " ")
		m := regexp.MustCompile(`claude mcp add (\S+) (.*?) -- (\S+)`).FindStringSubmatch(line)
		if m == nil || m[1] != "cxreports" || m[3] != "cxreports-mcp" {
			t.Errorf("not `claude mcp add cxreports … -- cxreports-mcp`:\n%s", c)
			continue
		}
		var names []string
		for _, e := range regexp.MustCompile(`(?:--env|-e) ([A-Z_]+)=`).FindAllStringSubmatch(m[2], -1) {
			names = append(names, e[1])
			if !slices.Contains(settingNames, e[1]) {
				t.Errorf("--env %s is not a setting of the server", e[1])
			}
		}
		if !slices.Contains(names, config.EnvURL) || !slices.Contains(names, config.EnvToken) {
			t.Errorf("the command sets %v; want %s and %s:\n%s", names, config.EnvURL, config.EnvToken, c)
		}
	}
}

// manifest is the part of the MCP Bundle manifest checked here; the
// official mcpb CLI validates the whole (e2e/run.sh).
type manifest struct {
	Version string `json:"version"`
	Server  struct {
		Type       string `json:"type"`
		EntryPoint string `json:"entry_point"`
		MCPConfig  struct {
			Command          string                 `json:"command"`
			Args             []string               `json:"args"`
			Env              map[string]string      `json:"env"`
			PlatformOverride map[string]serverEntry `json:"platform_overrides"`
		} `json:"mcp_config"`
	} `json:"server"`
	Tools []struct {
		Name string `json:"name"`
	} `json:"tools"`
	UserConfig map[string]struct {
		Type      string `json:"type"`
		Sensitive bool   `json:"sensitive"`
		Required  bool   `json:"required"`
	} `json:"user_config"`
}

func TestMCPBundleManifest(t *testing.T) {
	raw, err := os.ReadFile("manifest.json")
	if err != nil {
		t.Fatal(err)
	}
	var m manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	mc := m.Server.MCPConfig
	if m.Server.Type != "binary" || m.Server.EntryPoint != "server/cxreports-mcp" || mc.Command != "${__dirname}/server/cxreports-mcp" ||
		mc.PlatformOverride["win32"].Command != "${__dirname}/server/cxreports-mcp.exe" {
		t.Errorf("server: %+v", m.Server)
	}
	used := map[string]bool{}
	for k, v := range mc.Env {
		if !slices.Contains(settingNames, k) {
			t.Errorf("env %s is not a setting of the server", k)
		}
		ref := regexp.MustCompile(`^\$\{user_config\.([a-z_]+)\}$`).FindStringSubmatch(v)
		if ref == nil {
			t.Errorf("env %s = %q; want ${user_config.…}", k, v)
			continue
		}
		if _, ok := m.UserConfig[ref[1]]; !ok {
			t.Errorf("env %s names user_config.%s, which is not defined", k, ref[1])
		}
		used[ref[1]] = true
	}
	for k := range m.UserConfig {
		if !used[k] {
			t.Errorf("user_config.%s is not passed to the server", k)
		}
	}
	token := regexp.MustCompile(`^\$\{user_config\.([a-z_]+)\}$`).FindStringSubmatch(mc.Env[config.EnvToken])
	if token == nil || !m.UserConfig[token[1]].Sensitive || !m.UserConfig[token[1]].Required {
		t.Errorf("the token must come from a required, sensitive user_config field: %q", mc.Env[config.EnvToken])
	}
	if url := mc.Env[config.EnvURL]; url == "" {
		t.Error("the manifest does not pass CXREPORTS_URL")
	}
	// The tools listed are those offered by default.
	offered, err := tools.Select(tools.All(), tools.Selection{})
	if err != nil {
		t.Fatal(err)
	}
	var want, got []string
	for _, tl := range offered {
		want = append(want, tl.Name)
	}
	for _, tl := range m.Tools {
		got = append(got, tl.Name)
	}
	slices.Sort(want)
	slices.Sort(got)
	if !slices.Equal(got, want) {
		t.Errorf("manifest tools %v; the default toolset offers %v", got, want)
	}
	// The version is the newest release in the changelog.
	changelog, err := os.ReadFile("CHANGELOG.md")
	if err != nil {
		t.Fatal(err)
	}
	rel := regexp.MustCompile(`(?m)^## \[([0-9]+\.[0-9]+\.[0-9]+)\]`).FindSubmatch(changelog)
	if rel == nil || string(rel[1]) != m.Version {
		t.Errorf("manifest version %s; CHANGELOG.md's newest release is %s", m.Version, rel)
	}
}

func TestDockerfile(t *testing.T) {
	b, err := os.ReadFile("Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	d := string(b)
	for _, s := range []string{"CGO_ENABLED=0", "USER nonroot:nonroot", `ENTRYPOINT ["/cxreports-mcp"]`, "FROM gcr.io/distroless/static-debian12:nonroot"} {
		if !strings.Contains(d, s) {
			t.Errorf("Dockerfile lacks %q", s)
		}
	}
	if regexp.MustCompile(`(?m)^\s*(ENV|ARG)\s+CXREPORTS_TOKEN`).MatchString(d) {
		t.Error("the Dockerfile bakes in a token")
	}
	if !strings.Contains(d, "golang:"+goMinor(t)) {
		t.Errorf("the Dockerfile's builder is not golang:%s (go.mod)", goMinor(t))
	}
}

// goMinor is go.mod's Go version as major.minor.
func goMinor(t *testing.T) string {
	b, err := os.ReadFile("go.mod")
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go ([0-9]+\.[0-9]+)`).FindSubmatch(b)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	return string(m[1])
}

func TestGoReleaserLinksTheVersion(t *testing.T) {
	b, err := os.ReadFile(".goreleaser.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{
		"-X github.com/cxreports-mcp/cxreports-mcp/internal/app.version=",
		"-X github.com/cxreports-mcp/cxreports-mcp/internal/app.commit=",
		"CGO_ENABLED=0",
	} {
		if !strings.Contains(string(b), s) {
			t.Errorf(".goreleaser.yaml lacks %q", s)
		}
	}
}
