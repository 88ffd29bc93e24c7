// Package schemagen turns the tool input and output types of package
// schemas into the JSON Schemas committed as schemas/<tool>.json and
// schemas/<tool>.output.json. Only tests and development use it (the
// snapshot test in package tools regenerates and compares the files), so
// the reflection library it needs stays out of the server binary, which
// embeds the committed files.
package schemagen

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"

	"github.com/invopop/jsonschema"
)

// Generate returns the client-portable JSON Schema of v's type, indented
// for committing: fully inlined (no $ref or $defs), no $schema or $id, a
// "properties" object on every object node, and additionalProperties false
// at the root so unknown arguments are reported instead of ignored.
func Generate(v any) ([]byte, error) {
	return generate(v, true)
}

// GenerateOutput returns the JSON Schema of a tool's output type, in the
// same portable subset as Generate but without closing the root object.
func GenerateOutput(v any) ([]byte, error) {
	return generate(v, false)
}

func generate(v any, closed bool) ([]byte, error) {
	r := &jsonschema.Reflector{
		DoNotReference:             true,
		ExpandedStruct:             true,
		RequiredFromJSONSchemaTags: true,
		Anonymous:                  true,
	}
	s := r.ReflectFromType(reflect.TypeOf(v))
	s.Version = ""
	s.ID = ""
	normalize(s, closed, closed)
	raw, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("marshal schema of %T: %w", v, err)
	}
	var out bytes.Buffer
	if err := json.Indent(&out, raw, "", "  "); err != nil {
		return nil, fmt.Errorf("indent schema of %T: %w", v, err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// MaxStringLength caps every string argument (input schemas only) that
// declares no other limit, so that an oversized value is refused with a
// message naming it. Output schemas carry no cap: CxReports decides what
// it returns, and clients validate results against the output schema.
const MaxStringLength = 512

// normalize rewrites a reflected schema into the subset that clients
// accept (../shared/docs/client-compat.md §1). closed marks the root of an
// input schema (unknown arguments refused); input marks any node of one.
func normalize(s *jsonschema.Schema, closed, input bool) {
	if s == nil {
		return
	}
	s.Definitions = nil
	if s.Type == "object" {
		declared := s.Properties != nil && s.Properties.Len() > 0
		if s.Properties == nil {
			s.Properties = jsonschema.NewProperties()
		}
		switch {
		case closed, input && declared:
			// The root of an input, and any object of an input with
			// declared fields (such as an array's items): unknown keys
			// are reported, not ignored.
			s.AdditionalProperties = jsonschema.FalseSchema
		default:
			// A free-form object: any keys. Omit the keyword rather than
			// emit a schema-valued additionalProperties.
			s.AdditionalProperties = nil
		}
		s.PatternProperties = nil
	}
	if input && s.Type == "string" && s.MaxLength == nil && len(s.Enum) == 0 {
		n := uint64(MaxStringLength)
		s.MaxLength = &n
	}
	for p := s.Properties.Oldest(); p != nil; p = p.Next() {
		normalize(p.Value, false, input)
	}
	normalize(s.Items, false, input)
}
