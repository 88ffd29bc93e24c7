package tools

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/cxreports-mcp/cxreports-mcp/schemas"
	"github.com/cxreports-mcp/cxreports-mcp/schemas/schemagen"
)

// TestSchemaSnapshots regenerates every tool's schemas from the Go types
// and compares them with the committed files, which are what tools/list
// publishes. Run with UPDATE_SCHEMAS=1 to rewrite the files after a
// deliberate change, and review the diff.
func TestSchemaSnapshots(t *testing.T) {
	update := os.Getenv("UPDATE_SCHEMAS") == "1"
	want := map[string]bool{}
	for _, tool := range All() {
		check := func(file string, gen func(any) ([]byte, error), v any) {
			t.Helper()
			want[file] = true
			got, err := gen(v)
			if err != nil {
				t.Fatalf("%s: %v", file, err)
			}
			path := filepath.Join("..", "schemas", file)
			if update {
				if err := os.WriteFile(path, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			committed, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%s is not committed; run UPDATE_SCHEMAS=1 go test ./tools/ -run TestSchemaSnapshots: %v", file, err)
			}
			if !bytes.Equal(committed, got) {
				t.Errorf("schemas/%s differs from the Go types; run UPDATE_SCHEMAS=1 go test ./tools/ -run TestSchemaSnapshots and review the diff.\ngenerated:\n%s", file, got)
			}
		}
		check(schemas.InputFile(tool.Name), schemagen.Generate, tool.Input)
		if tool.Output != nil {
			check(schemas.OutputFile(tool.Name), schemagen.GenerateOutput, tool.Output)
		}
	}
	// No stale files for tools that are gone.
	files, _ := filepath.Glob(filepath.Join("..", "schemas", "*.json"))
	for _, f := range files {
		if !want[filepath.Base(f)] {
			if update {
				os.Remove(f)
				continue
			}
			t.Errorf("schemas/%s belongs to no tool; delete it", filepath.Base(f))
		}
	}
}

// TestSchemasCompile compiles every tool's argument validator, which the
// server otherwise does only on a tool's first call (see Register).
func TestSchemasCompile(t *testing.T) {
	for _, tool := range All() {
		def, err := tool.Definition()
		if err != nil {
			t.Fatalf("%s: %v", tool.Name, err)
		}
		if _, err := schemas.Compile(tool.Name, def.RawInputSchema); err != nil {
			t.Errorf("%s: %v", tool.Name, err)
		}
	}
}
