package schemas

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
)

// committed holds the generated schemas as they are committed in this
// folder; they are what tools/list publishes.
//
//go:embed *.json
var committed embed.FS

// InputFile and OutputFile name the committed schema files of a tool.
func InputFile(tool string) string  { return tool + ".json" }
func OutputFile(tool string) string { return tool + ".output.json" }

// Input returns the committed input schema of a tool, compacted.
func Input(tool string) (json.RawMessage, error) {
	raw, err := load(InputFile(tool))
	if err != nil {
		return nil, fmt.Errorf("input schema of %s: %w", tool, err)
	}
	return raw, nil
}

// Output returns the committed output schema of a tool, compacted, or nil
// when the tool declares none.
func Output(tool string) (json.RawMessage, error) {
	raw, err := load(OutputFile(tool))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("output schema of %s: %w", tool, err)
	}
	return raw, nil
}

func load(name string) (json.RawMessage, error) {
	b, err := committed.ReadFile(name)
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}
