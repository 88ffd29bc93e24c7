package tools

import (
	"fmt"
	"slices"
	"strings"
)

// ToolsetAll selects every toolset.
const ToolsetAll = "all"

// Toolsets returns the names of the toolsets, in a stable order.
func Toolsets() []string {
	return []string{ToolsetCore, ToolsetExports, ToolsetJobs}
}

// DefaultToolsets are the toolsets a server offers when no toolsets and no
// tools are named: the seven core tools.
func DefaultToolsets() []string {
	return []string{ToolsetCore}
}

// Selection says which tools a server offers; it is what the settings
// --toolsets, --tools, --read-only and --enable-delivery ask for. The zero
// value selects DefaultToolsets.
type Selection struct {
	// Toolsets names toolsets, or "all". Empty means DefaultToolsets, or
	// every toolset when Tools is set.
	Toolsets []string
	// Tools, when set, is an allowlist: only these tools are offered.
	// Each must be in a selected toolset.
	Tools []string
	// ReadOnly offers only the tools whose annotation says readOnlyHint
	// true: nothing lasting changes on CxReports and nobody is contacted.
	ReadOnly bool
	// EnableDelivery offers the tools that reach people outside
	// CxReports and cannot be undone (the Destructive preset, such as
	// deliver_job_run); without it they are left out.
	EnableDelivery bool
}

// reachesPeople reports whether a tool acts outside CxReports or cannot be
// undone, so that it is offered only with Selection.EnableDelivery.
func (h Hints) reachesPeople() bool { return h.Destructive || h.OpenWorld }

// Select returns the tools of all that sel asks for, in their order in
// all. Unknown toolset or tool names, and tools named in sel.Tools that
// the other settings leave out, are errors that list the valid choices.
// A tool that Select leaves out is not registered, so a client can neither
// list nor call it.
func Select(all []Tool, sel Selection) ([]Tool, error) {
	sets, err := selectedToolsets(sel)
	if err != nil {
		return nil, err
	}
	allowed, err := allowlist(all, sel.Tools)
	if err != nil {
		return nil, err
	}
	var out []Tool
	for _, t := range all {
		_, named := allowed[t.Name]
		hidden := ""
		switch {
		case !sets[t.Toolset]:
			hidden = fmt.Sprintf("it belongs to toolset %s, which is not selected (selected: %s); add %s to the toolsets or leave the toolsets unset",
				t.Toolset, strings.Join(sortedKeys(sets), ", "), t.Toolset)
		case sel.ReadOnly && !t.Hints.ReadOnly:
			hidden = "it changes data on CxReports or contacts people, and read-only mode leaves out every such tool"
		case t.Hints.reachesPeople() && !sel.EnableDelivery:
			hidden = "it contacts people and cannot be undone, so it is offered only with --enable-delivery"
		}
		switch {
		case allowed != nil && !named:
		case hidden == "":
			out = append(out, t)
		case named:
			return nil, fmt.Errorf("tool %s cannot be offered: %s", t.Name, hidden)
		}
	}
	return out, nil
}

// selectedToolsets resolves the toolset names of sel.
func selectedToolsets(sel Selection) (map[string]bool, error) {
	names := cleanNames(sel.Toolsets)
	if len(names) == 0 {
		names = DefaultToolsets()
		if len(cleanNames(sel.Tools)) > 0 {
			names = []string{ToolsetAll}
		}
	}
	valid := append(Toolsets(), ToolsetAll)
	sets := map[string]bool{}
	for _, n := range names {
		switch {
		case n == ToolsetAll:
			for _, s := range Toolsets() {
				sets[s] = true
			}
		case slices.Contains(valid, n):
			sets[n] = true
		default:
			return nil, fmt.Errorf("unknown toolset %q; valid toolsets: %s", n, strings.Join(valid, ", "))
		}
	}
	return sets, nil
}

// allowlist resolves sel.Tools into a set, or nil when no tools are named.
func allowlist(all []Tool, names []string) (map[string]struct{}, error) {
	names = cleanNames(names)
	if len(names) == 0 {
		return nil, nil
	}
	valid := make([]string, len(all))
	for i, t := range all {
		valid[i] = t.Name
	}
	out := map[string]struct{}{}
	for _, n := range names {
		if !slices.Contains(valid, n) {
			return nil, fmt.Errorf("unknown tool %q; valid tools: %s", n, strings.Join(valid, ", "))
		}
		out[n] = struct{}{}
	}
	return out, nil
}

// cleanNames trims and lower-cases names and drops empty ones, so that
// "core, jobs," reads as core and jobs.
func cleanNames(names []string) []string {
	var out []string
	for _, n := range names {
		if n = strings.ToLower(strings.TrimSpace(n)); n != "" {
			out = append(out, n)
		}
	}
	return out
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
