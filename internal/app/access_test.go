package app

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// The tools each setting concerns, spelled out so that a change to any
// toolset or annotation shows up here.
var (
	coreTools = []string{"list_workspaces", "list_report_types", "list_reports", "describe_report", "export_pdf", "push_temporary_data", "create_preview_link"}
	jobsTools = []string{"list_jobs", "start_job_run", "get_job_run", "create_review_document", "deliver_job_run"}
	// readOnlyTools change nothing lasting on CxReports and contact nobody.
	readOnlyTools = []string{"list_workspaces", "list_report_types", "list_reports", "describe_report", "export_pdf", "create_preview_link", "list_jobs", "get_job_run"}
	// deliveryTools e-mail people.
	deliveryTools = []string{"deliver_job_run"}
)

// exportsTools are the tools of the exports toolset, which grows in
// parallel work; their names and annotations are pinned by the tools
// package (TestAnnotationPresets), so here they are read from All().
func exportsTools() (all, readOnly []string) {
	for _, t := range tools.All() {
		if t.Toolset == tools.ToolsetExports {
			all = append(all, t.Name)
			if t.Hints.ReadOnly {
				readOnly = append(readOnly, t.Name)
			}
		}
	}
	return all, readOnly
}

// selection is one combination of the access settings.
type selection struct {
	toolsets, tools          string
	readOnly, enableDelivery bool
}

func (s selection) String() string {
	return fmt.Sprintf("toolsets=%q tools=%q read-only=%v delivery=%v", s.toolsets, s.tools, s.readOnly, s.enableDelivery)
}

func (s selection) flags() []string {
	var args []string
	if s.toolsets != "" {
		args = append(args, "--toolsets", s.toolsets)
	}
	if s.tools != "" {
		args = append(args, "--tools="+s.tools)
	}
	if s.readOnly {
		args = append(args, "--read-only")
	}
	if s.enableDelivery {
		args = append(args, "--enable-delivery")
	}
	return args
}

func (s selection) env() map[string]string {
	env := map[string]string{"CXREPORTS_TOOLSETS": s.toolsets, "CXREPORTS_TOOLS": s.tools}
	if s.readOnly {
		env["CXREPORTS_READ_ONLY"] = "true"
	}
	if s.enableDelivery {
		env["CXREPORTS_ENABLE_DELIVERY"] = "1"
	}
	return env
}

// expect works out, from the lists above, the tools a selection offers or
// the tool whose naming in --tools makes start-up fail, and why.
func (s selection) expect() (offered []string, badTool, why string) {
	exports, exportsReadOnly := exportsTools()
	sets := map[string][]string{"core": coreTools, "jobs": jobsTools, "exports": exports}
	chosen := strings.Split(s.toolsets, ",")
	switch {
	case s.toolsets == "" && s.tools == "":
		chosen = []string{"core"}
	case s.toolsets == "" || s.toolsets == "all":
		chosen = []string{"core", "exports", "jobs"}
	}
	readOnly := append(slices.Clone(readOnlyTools), exportsReadOnly...)
	named := strings.Split(s.tools, ",")
	for _, set := range []string{"core", "exports", "jobs"} {
		for _, name := range sets[set] {
			listed := s.tools == "" || slices.Contains(named, name)
			if !listed {
				continue
			}
			reason := ""
			switch {
			case !slices.Contains(chosen, set):
				reason = "it belongs to toolset " + set
			case s.readOnly && !slices.Contains(readOnly, name):
				reason = "read-only mode leaves out"
			case slices.Contains(deliveryTools, name) && !s.enableDelivery:
				reason = "offered only with --enable-delivery"
			}
			switch {
			case reason == "":
				offered = append(offered, name)
			case s.tools != "" && badTool == "":
				badTool, why = name, reason
			}
		}
	}
	slices.Sort(offered)
	return offered, badTool, why
}

// TestToolSelectionCombinations starts the server for every combination
// of --toolsets, --tools, --read-only and --enable-delivery, through flags
// and through the environment, and checks the exact tools listed, that
// every other tool is unknown (-32602) when called, and that selections
// naming a tool the other settings hide are refused at start-up.
func TestToolSelectionCombinations(t *testing.T) {
	allNames := append(append(slices.Clone(coreTools), jobsTools...), func() []string { e, _ := exportsTools(); return e }()...)
	for _, toolsets := range []string{"", "core", "exports", "jobs", "all", "core,jobs"} {
		for _, toolList := range []string{"", "export_pdf,get_job_run", "push_temporary_data,deliver_job_run"} {
			for _, readOnly := range []bool{false, true} {
				for _, delivery := range []bool{false, true} {
					sel := selection{toolsets, toolList, readOnly, delivery}
					want, badTool, why := sel.expect()
					for _, via := range []string{"flags", "env"} {
						args, env := sel.flags(), map[string]string{}
						if via == "env" {
							args, env = nil, sel.env()
						}
						t.Run(via+" "+sel.String(), func(t *testing.T) {
							checkSelection(t, args, env, allNames, want, badTool, why)
						})
					}
				}
			}
		}
	}
}

func checkSelection(t *testing.T, args []string, env map[string]string, allNames, want []string, badTool, why string) {
	ctx := context.Background()
	var stderr bytes.Buffer
	sys := IO{Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(k string) string { return env[k] }}
	c, _, _, closeAll, code := session(ctx, args, sys)
	if badTool != "" {
		if code != 2 || !strings.Contains(stderr.String(), "cxreports-mcp: invalid tool selection: tool "+badTool+" cannot be offered: ") || !strings.Contains(stderr.String(), why) {
			t.Fatalf("exit %d, stderr %q; want exit 2 refusing %s (%s)", code, stderr.String(), badTool, why)
		}
		return
	}
	if code >= 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	defer closeAll()
	res, err := c.ListTools(ctx, mcp.ListToolsRequest{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, tool := range res.Tools {
		got = append(got, tool.Name)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("tools/list\n got %v\nwant %v", got, want)
	}
	for _, name := range allNames {
		if slices.Contains(want, name) {
			continue
		}
		req := mcp.CallToolRequest{}
		req.Params.Name = name
		req.Params.Arguments = map[string]any{"job": "daily-invoices", "run_id": 7001, "report_id": 1627, "content": map[string]any{}}
		_, err := c.CallTool(ctx, req)
		if !errors.Is(err, mcp.ErrInvalidParams) || !strings.Contains(err.Error(), "tool '"+name+"' not found") {
			t.Errorf("calling hidden %s: %v, want -32602 tool not found", name, err)
		}
	}
}

func TestAccessSettingsErrors(t *testing.T) {
	cases := []struct {
		args   []string
		env    map[string]string
		stderr string
	}{
		{[]string{"--toolsets", "core,reports"}, nil, "cxreports-mcp: invalid tool selection: unknown toolset \"reports\"; valid toolsets: core, exports, jobs, all\n"},
		{nil, map[string]string{"CXREPORTS_TOOLS": "export_pdf,send_everything"}, "cxreports-mcp: invalid tool selection: unknown tool \"send_everything\"; valid tools: "},
		{nil, map[string]string{"CXREPORTS_READ_ONLY": "sure"}, "cxreports-mcp: CXREPORTS_READ_ONLY \"sure\" is not a boolean; use true or false\n"},
		{nil, map[string]string{"CXREPORTS_ENABLE_DELIVERY": "${input:delivery}"}, "cxreports-mcp: CXREPORTS_ENABLE_DELIVERY holds an unexpanded placeholder; put the real value in your MCP client's configuration\n"},
		{nil, map[string]string{"CXREPORTS_TOOLSETS": "${TOOLSETS}"}, "cxreports-mcp: CXREPORTS_TOOLSETS holds an unexpanded placeholder; put the real value in your MCP client's configuration\n"},
	}
	for _, c := range cases {
		var stdout, stderr bytes.Buffer
		sys := IO{Stdout: &stdout, Stderr: &stderr, Getenv: func(k string) string { return c.env[k] }}
		code := Run(context.Background(), append([]string{"tools"}, c.args...), sys)
		if code != 2 || !strings.HasPrefix(stderr.String(), c.stderr) || stdout.Len() != 0 {
			t.Errorf("%v %v: exit %d, stderr %q, stdout %q", c.args, c.env, code, stderr.String(), stdout.String())
		}
	}
	// The valid tools are listed in full.
	var stderr bytes.Buffer
	Run(context.Background(), []string{"tools", "--tools", "nope"}, IO{Stdout: &bytes.Buffer{}, Stderr: &stderr, Getenv: func(string) string { return "" }})
	for _, name := range append(slices.Clone(coreTools), jobsTools...) {
		if !strings.Contains(stderr.String(), name) {
			t.Errorf("the list of valid tools lacks %s: %s", name, stderr.String())
		}
	}
}

// TestReadOnlyFlagWinsOverEnvironment: as for every setting, the flag
// wins; --read-only=false undoes CXREPORTS_READ_ONLY for one run.
func TestReadOnlyFlagWinsOverEnvironment(t *testing.T) {
	env := map[string]string{"CXREPORTS_READ_ONLY": "TRUE"}
	for _, c := range []struct {
		args []string
		want int
	}{{nil, 6}, {[]string{"--read-only=false"}, 7}} {
		sys := IO{Stdout: &bytes.Buffer{}, Stderr: &bytes.Buffer{}, Getenv: func(k string) string { return env[k] }}
		cl, _, _, closeAll, code := session(context.Background(), c.args, sys)
		if code >= 0 {
			t.Fatalf("exit %d", code)
		}
		res, err := cl.ListTools(context.Background(), mcp.ListToolsRequest{})
		closeAll()
		if err != nil || len(res.Tools) != c.want {
			t.Errorf("%v: %d tools, want %d (%v)", c.args, len(res.Tools), c.want, err)
		}
	}
}
