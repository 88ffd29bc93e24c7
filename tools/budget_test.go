package tools

import (
	"encoding/json"
	"testing"
)

// budgetTokens is what the tools/list of the default tool selection may
// cost a model, counted as JSON characters / 4.
const budgetTokens = 2500

// TestDefaultToolsBudget keeps what tools/list costs a model for the
// default selection (what a server started without --toolsets or --tools
// serves) under budgetTokens, and prints the figure.
func TestDefaultToolsBudget(t *testing.T) {
	offered, err := Select(All(), Selection{})
	if err != nil {
		t.Fatal(err)
	}
	listed := listTools(t, offered)
	if len(listed) != len(offered) {
		t.Fatalf("tools/list served %d tools, want %d", len(listed), len(offered))
	}
	raw, err := json.Marshal(listed)
	if err != nil {
		t.Fatal(err)
	}
	tokens := len(raw) / 4
	t.Logf("default tools: %d tools, %d JSON characters, ~%d tokens (budget %d)", len(offered), len(raw), tokens, budgetTokens)
	if tokens > budgetTokens {
		t.Errorf("the default tools cost ~%d tokens in tools/list, over the %d budget: trim descriptions", tokens, budgetTokens)
	}
}
