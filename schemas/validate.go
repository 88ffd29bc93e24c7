package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"
	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// ArgError reports arguments that do not fit a tool's schema. Its message
// names every offending argument and says what is expected, in sentences a
// model can act on.
type ArgError struct {
	Problems []string
}

func (e *ArgError) Error() string {
	return "invalid arguments: " + strings.Join(e.Problems, "; ")
}

func argErrorf(format string, a ...any) *ArgError {
	return &ArgError{Problems: []string{fmt.Sprintf(format, a...)}}
}

// Validator checks, coerces and decodes the arguments of one tool. It is
// compiled once and safe for concurrent use.
type Validator struct {
	schema *jsonschema.Schema
	names  []string          // argument names in schema order
	types  map[string]string // argument name → JSON type
}

// Compile prepares a Validator from a tool's JSON Schema.
func Compile(name string, raw []byte) (*Validator, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, fmt.Errorf("schema of %s: %w", name, err)
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	url := "mem:///" + name + ".json"
	if err := c.AddResource(url, doc); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", name, err)
	}
	sch, err := c.Compile(url)
	if err != nil {
		return nil, fmt.Errorf("compile schema of %s: %w", name, err)
	}
	var shape struct {
		Properties map[string]struct {
			Type string `json:"type"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &shape); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", name, err)
	}
	v := &Validator{schema: sch, types: map[string]string{}}
	for n, p := range shape.Properties {
		v.types[n] = p.Type
	}
	v.names = propertyOrder(raw)
	return v, nil
}

// propertyOrder returns the property names of a schema in document order.
func propertyOrder(raw []byte) []string {
	var top map[string]json.RawMessage
	if json.Unmarshal(raw, &top) != nil {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(top["properties"]))
	var names []string
	depth := 0
	for {
		tok, err := dec.Token()
		if err != nil {
			return names
		}
		switch t := tok.(type) {
		case json.Delim:
			if t == '{' || t == '[' {
				depth++
			} else {
				depth--
			}
		case string:
			if depth == 1 {
				names = append(names, t)
				// Skip the property's value.
				var skip json.RawMessage
				if dec.Decode(&skip) != nil {
					return names
				}
			}
		}
	}
}

// Decode turns raw tool arguments into dst. Absent or null arguments mean
// {}. Values sent as strings where the schema wants another type are
// converted when that is unambiguous ("10" → 10, "true" → true,
// "{…}" → object, "[…]" → array, 26 → "26"); anything else that does not fit
// the schema is reported as an *ArgError and dst is left untouched.
func (v *Validator) Decode(raw json.RawMessage, dst any) error {
	args, err := v.normalize(raw)
	if err != nil {
		return err
	}
	if err := v.schema.Validate(args); err != nil {
		var ve *jsonschema.ValidationError
		if errors.As(err, &ve) {
			return v.describe(ve)
		}
		return argErrorf("%v", err)
	}
	buf, err := json.Marshal(args)
	if err != nil {
		return argErrorf("arguments cannot be encoded: %v", err)
	}
	dec := json.NewDecoder(bytes.NewReader(buf))
	dec.UseNumber() // free-form objects keep every digit of their numbers
	if err := dec.Decode(dst); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return argErrorf("argument %q must be %s; %s is out of range", te.Field, v.typePhrase(te.Field), te.Value)
		}
		return argErrorf("arguments do not fit: %v", err)
	}
	return nil
}

// normalize parses the arguments into the generic form the validator wants
// and applies the unambiguous string coercions.
func (v *Validator) normalize(raw json.RawMessage) (map[string]any, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || bytes.Equal(raw, []byte("null")) {
		return map[string]any{}, nil
	}
	val, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		return nil, argErrorf("arguments are not valid JSON: %v", err)
	}
	// Some clients send the whole arguments object as a JSON string.
	if s, ok := val.(string); ok && strings.HasPrefix(strings.TrimSpace(s), "{") {
		if inner, err := jsonschema.UnmarshalJSON(strings.NewReader(s)); err == nil {
			val = inner
		}
	}
	args, ok := val.(map[string]any)
	if !ok {
		return nil, argErrorf("arguments must be a JSON object such as {%s}, not %s", v.example(), jsonKind(val))
	}
	for name, value := range args {
		if t, known := v.types[name]; known {
			args[name] = coerce(t, value)
		}
	}
	return args, nil
}

// coerce converts a value to the wanted JSON type when the conversion is
// unambiguous, and otherwise returns it unchanged for the validator to
// report.
func coerce(want string, value any) any {
	switch want {
	case "integer", "number":
		switch x := value.(type) {
		case string:
			s := strings.TrimSpace(x)
			if r, ok := new(big.Rat).SetString(s); ok && s != "" && !strings.ContainsAny(s, "/") {
				return canonicalNumber(r, json.Number(s))
			}
		case json.Number:
			if r, ok := new(big.Rat).SetString(string(x)); ok {
				return canonicalNumber(r, x)
			}
		}
	case "boolean":
		if s, ok := value.(string); ok {
			if b, err := strconv.ParseBool(strings.ToLower(strings.TrimSpace(s))); err == nil && s != "1" && s != "0" {
				return b
			}
		}
	case "object", "array":
		if s, ok := value.(string); ok {
			open := map[string]string{"object": "{", "array": "["}[want]
			if t := strings.TrimSpace(s); strings.HasPrefix(t, open) {
				if parsed, err := jsonschema.UnmarshalJSON(strings.NewReader(t)); err == nil {
					return parsed
				}
			}
		}
	case "string":
		if n, ok := value.(json.Number); ok {
			return string(n)
		}
	}
	return value
}

// canonicalNumber writes an integral number without a fraction or exponent
// (10.0 → 10) so that it decodes into a Go integer.
func canonicalNumber(r *big.Rat, orig json.Number) json.Number {
	if r.IsInt() && len(r.Num().String()) <= 20 {
		return json.Number(r.Num().String())
	}
	return orig
}

// describe turns a validation error tree into one sentence per problem.
func (v *Validator) describe(ve *jsonschema.ValidationError) *ArgError {
	var problems []string
	var walk func(e *jsonschema.ValidationError)
	walk = func(e *jsonschema.ValidationError) {
		if len(e.Causes) == 0 {
			if p := v.sentence(e); p != "" && !slices.Contains(problems, p) {
				problems = append(problems, p)
			}
			return
		}
		for _, c := range e.Causes {
			walk(c)
		}
	}
	walk(ve)
	if len(problems) == 0 {
		problems = []string{"arguments do not match the tool's schema"}
	}
	return &ArgError{Problems: problems}
}

func (v *Validator) sentence(e *jsonschema.ValidationError) string {
	field := strings.Join(e.InstanceLocation, ".")
	subject := fmt.Sprintf("argument %q", field)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var parts []string
		for _, m := range k.Missing {
			parts = append(parts, fmt.Sprintf("missing required argument %q (%s)", join(field, m), v.typePhrase(m)))
		}
		return strings.Join(parts, "; ")
	case *kind.AdditionalProperties:
		names := strings.Join(quoteAll(k.Properties), ", ")
		noun := "unknown argument"
		if len(k.Properties) > 1 {
			noun = "unknown arguments"
		}
		if field != "" {
			return fmt.Sprintf("%s %s in %q", noun, names, field)
		}
		if len(v.names) == 0 {
			return fmt.Sprintf("%s %s: this tool takes no arguments", noun, names)
		}
		return fmt.Sprintf("%s %s: this tool takes %s", noun, names, strings.Join(v.names, ", "))
	case *kind.Type:
		return fmt.Sprintf("%s must be %s, not %s", subject, article(strings.Join(k.Want, " or ")), article(k.Got))
	case *kind.Enum:
		var want []string
		for _, w := range k.Want {
			want = append(want, fmt.Sprint(w))
		}
		return fmt.Sprintf("%s must be one of %s, not %s", subject, strings.Join(want, ", "), display(k.Got))
	case *kind.Minimum:
		return fmt.Sprintf("%s must be at least %s, not %s", subject, k.Want.RatString(), k.Got.RatString())
	case *kind.Maximum:
		return fmt.Sprintf("%s must be at most %s, not %s", subject, k.Want.RatString(), k.Got.RatString())
	case *kind.MinItems:
		return fmt.Sprintf("%s must have at least %d %s, not %d", subject, k.Want, plural(k.Want, "item"), k.Got)
	case *kind.MaxItems:
		return fmt.Sprintf("%s must have at most %d %s, not %d", subject, k.Want, plural(k.Want, "item"), k.Got)
	case *kind.MinLength:
		return fmt.Sprintf("%s must have at least %d characters", subject, k.Want)
	case *kind.MaxLength:
		return fmt.Sprintf("%s is too long: %d characters, at most %d allowed", subject, k.Got, k.Want)
	case *kind.Format:
		if k.Want == "date-time" {
			return fmt.Sprintf("%s must be an RFC 3339 date-time such as 2026-12-31T23:00:00Z, not %s", subject, display(k.Got))
		}
		return fmt.Sprintf("%s must be a valid %s, not %s", subject, k.Want, display(k.Got))
	case *kind.FalseSchema:
		return fmt.Sprintf("%s is not allowed", subject)
	}
	return fmt.Sprintf("%s: %s", subject, e.ErrorKind.LocalizedString(message.NewPrinter(language.English)))
}

// typePhrase names the type an argument expects, e.g. "an integer".
func (v *Validator) typePhrase(name string) string {
	if t := v.types[name]; t != "" {
		return article(t)
	}
	return "a value"
}

// example renders a short example of valid arguments for messages.
func (v *Validator) example() string {
	if len(v.names) == 0 {
		return ""
	}
	n := v.names[0]
	switch v.types[n] {
	case "integer", "number":
		return fmt.Sprintf("%q: 1", n)
	case "boolean":
		return fmt.Sprintf("%q: true", n)
	case "object":
		return fmt.Sprintf("%q: {}", n)
	}
	return fmt.Sprintf("%q: \"…\"", n)
}

func join(parent, child string) string {
	if parent == "" {
		return child
	}
	return parent + "." + child
}

func quoteAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = strconv.Quote(n)
	}
	return out
}

// plural adds an s to noun unless n is 1.
func plural(n int, noun string) string {
	if n == 1 {
		return noun
	}
	return noun + "s"
}

// article prefixes a JSON type name with "a" or "an".
func article(t string) string {
	switch {
	case t == "":
		return "a value"
	case strings.Contains(t, " or "):
		return t
	case strings.IndexByte("aeiou", t[0]) >= 0:
		return "an " + t
	}
	return "a " + t
}

// jsonKind names the JSON type of a decoded value.
func jsonKind(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return fmt.Sprintf("%T", v)
}

// display shows a value in a message, shortened when long.
func display(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	const max = 60
	if len(b) > max {
		return string(b[:max]) + "…"
	}
	return string(b)
}
