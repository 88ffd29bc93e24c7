package tools

import (
	"encoding/json"
	"testing"
)

// TestCoreToolsetBudget keeps what tools/list costs a model for the
// default (core) tools under 2,500 tokens, counted as JSON characters / 4.
func TestCoreToolsetBudget(t *testing.T) {
	var core []Tool
	for _, tool := range All() {
		if tool.Toolset == ToolsetCore {
			core = append(core, tool)
		}
	}
	raw, err := json.Marshal(listTools(t, core))
	if err != nil {
		t.Fatal(err)
	}
	tokens := len(raw) / 4
	t.Logf("core toolset: %d tools, %d JSON characters, ~%d tokens", len(core), len(raw), tokens)
	if tokens > 2500 {
		t.Errorf("the core tools cost ~%d tokens in tools/list, over the 2,500 budget", tokens)
	}
}
