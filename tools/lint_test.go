package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/mark3labs/mcp-go/server"
)

// listTools returns what tools/list publishes for the given tools, as the
// raw JSON a client receives.
func listTools(t *testing.T, list []Tool) []map[string]any {
	t.Helper()
	s := server.NewMCPServer("lint", "0", server.WithToolCapabilities(false))
	if err := Register(s, list, &Deps{}); err != nil {
		t.Fatal(err)
	}
	resp := s.HandleMessage(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"tools/list"}`))
	raw, err := json.Marshal(resp)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Result struct {
			Tools []map[string]any `json:"tools"`
		} `json:"result"`
	}
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatal(err)
	}
	return out.Result.Tools
}

// TestToolsListLint checks every published tool against the rules of
// ../shared/docs/client-compat.md §1, over what tools/list returns, so
// that tools added later are covered without editing this test.
func TestToolsListLint(t *testing.T) {
	tools := listTools(t, All())
	if len(tools) != len(All()) {
		t.Fatalf("tools/list returned %d tools, want %d", len(tools), len(All()))
	}
	name := regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)
	seen := map[string]bool{}
	for _, tool := range tools {
		n, _ := tool["name"].(string)
		t.Run(n, func(t *testing.T) {
			if !name.MatchString(n) || seen[n] {
				t.Errorf("name %q is invalid or repeated", n)
			}
			seen[n] = true
			if d, _ := tool["description"].(string); len(d) < 20 {
				t.Errorf("description %q is missing or too short", d)
			}
			ann, _ := tool["annotations"].(map[string]any)
			for _, hint := range []string{"title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"} {
				if _, ok := ann[hint]; !ok {
					t.Errorf("annotation %s is missing", hint)
				}
			}
			if ann["readOnlyHint"] == true && ann["destructiveHint"] == true {
				t.Error("a tool cannot be both readOnly and destructive")
			}
			lintSchema(t, "inputSchema", tool["inputSchema"], true)
			if out, ok := tool["outputSchema"]; ok {
				lintSchema(t, "outputSchema", out, true)
				// Clients validate results against it: no caps on what
				// CxReports may return.
				if b, _ := json.Marshal(out); strings.Contains(string(b), "maxLength") {
					t.Error("outputSchema caps string lengths")
				}
			}
		})
	}
}

// lintSchema checks one schema node and its children.
func lintSchema(t *testing.T, path string, node any, root bool) {
	t.Helper()
	m, ok := node.(map[string]any)
	if !ok {
		t.Errorf("%s: schema is %T, want an object (never a bare true/false)", path, node)
		return
	}
	for _, banned := range []string{"$ref", "$defs", "definitions", "anyOf", "oneOf", "allOf", "not", "$schema", "$id", "exclusiveMinimum", "exclusiveMaximum", "patternProperties"} {
		if _, ok := m[banned]; ok {
			t.Errorf("%s: %s is not portable", path, banned)
		}
	}
	typ, isString := m["type"].(string)
	if !isString {
		t.Errorf("%s: type %v must be a single string", path, m["type"])
	}
	if root && typ != "object" {
		t.Errorf("%s: root type is %q, want object", path, typ)
	}
	if f, ok := m["format"]; ok && f != "date-time" && f != "enum" {
		t.Errorf("%s: format %v is not portable", path, f)
	}
	if e, ok := m["enum"]; ok {
		members, _ := e.([]any)
		if typ != "string" || len(members) == 0 {
			t.Errorf("%s: enum only on strings, non-empty", path)
		}
		for _, v := range members {
			if s, ok := v.(string); !ok || s == "" {
				t.Errorf("%s: enum member %v must be a non-empty string", path, v)
			}
		}
	}
	if ap, ok := m["additionalProperties"]; ok {
		if _, isBool := ap.(bool); !isBool {
			t.Errorf("%s: additionalProperties must be a boolean", path)
		}
	}
	switch typ {
	case "object":
		props, ok := m["properties"].(map[string]any)
		if !ok {
			t.Errorf("%s: object without a properties object", path)
		}
		for k, v := range props {
			lintSchema(t, path+".properties."+k, v, false)
		}
		if req, ok := m["required"]; ok {
			list, _ := req.([]any)
			for _, r := range list {
				if _, ok := props[fmt.Sprint(r)]; !ok {
					t.Errorf("%s: required %v is not a property", path, r)
				}
			}
		}
	case "array":
		items, ok := m["items"]
		if !ok {
			t.Errorf("%s: array without items", path)
		} else {
			lintSchema(t, path+".items", items, false)
		}
	}
}

// TestAnnotationPresets pins the annotation table of design.md.
func TestAnnotationPresets(t *testing.T) {
	want := map[string]string{
		"list_workspaces":        "readOnly idempotent",
		"list_report_types":      "readOnly idempotent",
		"list_reports":           "readOnly idempotent",
		"export_pdf":             "readOnly",
		"create_preview_link":    "readOnly",
		"push_temporary_data":    "",
		"list_jobs":              "readOnly idempotent",
		"get_job_run":            "readOnly idempotent",
		"start_job_run":          "",
		"create_review_document": "",
		"deliver_job_run":        "destructive openWorld",
		"list_report_options":    "readOnly idempotent",
		"describe_report":        "readOnly idempotent",
	}
	for _, tool := range listTools(t, All()) {
		n := tool["name"].(string)
		ann := tool["annotations"].(map[string]any)
		var got []string
		for _, h := range []string{"readOnly", "destructive", "idempotent", "openWorld"} {
			if ann[h+"Hint"] == true {
				got = append(got, h)
			}
		}
		w, ok := want[n]
		if !ok {
			continue
		}
		if g := strings.Join(got, " "); g != w {
			t.Errorf("%s: hints %q, want %q", n, g, w)
		}
	}
	for n := range want {
		if !slices.ContainsFunc(All(), func(t Tool) bool { return t.Name == n }) {
			t.Errorf("tool %s is missing", n)
		}
	}
}
