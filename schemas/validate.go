package schemas

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

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
	const most = 5
	shown := e.Problems
	if len(shown) > most {
		shown = append(slices.Clip(shown[:most]), fmt.Sprintf("and %d more problems", len(e.Problems)-most))
	}
	return "invalid arguments: " + strings.Join(shown, "; ")
}

func argErrorf(format string, a ...any) *ArgError {
	return &ArgError{Problems: []string{fmt.Sprintf(format, a...)}}
}

// Validator checks, coerces and decodes the arguments of one tool. It is
// compiled once and safe for concurrent use.
type Validator struct {
	schema *jsonschema.Schema
	names  []string            // argument names in schema order
	types  map[string]string   // argument name → JSON type
	enums  map[string][]string // argument name → allowed strings, for enums
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
			Type string   `json:"type"`
			Enum []string `json:"enum"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(raw, &shape); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", name, err)
	}
	v := &Validator{schema: sch, types: map[string]string{}, enums: map[string][]string{}}
	for n, p := range shape.Properties {
		v.types[n] = p.Type
		if len(p.Enum) > 0 {
			v.enums[n] = p.Enum
		}
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
			return argErrorf("argument %q must be %s; %s is out of range", clipName(te.Field), v.typePhrase(te.Field), strings.TrimPrefix(te.Value, "number "))
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
			args[name] = coerceEnum(v.enums[name], coerce(t, value))
		}
	}
	var problems []string
	for _, name := range slices.Sorted(maps.Keys(args)) {
		problems = append(problems, v.outOfRange(name, args[name])...)
	}
	if len(problems) > 0 {
		return nil, &ArgError{Problems: problems}
	}
	return args, nil
}

// outOfRange reports every number in value that cannot be used as a
// double (such as 1e309 or 1e-999999) or is absurdly long: CxReports could
// not read it, and working with it exactly would take unbounded time.
func (v *Validator) outOfRange(path string, value any) []string {
	switch x := value.(type) {
	case json.Number:
		problem := numberProblem(string(x))
		if problem == "" {
			return nil
		}
		if t := v.types[path]; t == "integer" || t == "number" {
			return []string{fmt.Sprintf("argument %q must be %s; %s %s", clipName(path), article(t), display(x), problem)}
		}
		return []string{fmt.Sprintf("argument %q holds the number %s, which %s", clipName(path), display(x), problem)}
	case map[string]any:
		var out []string
		for _, k := range slices.Sorted(maps.Keys(x)) {
			out = append(out, v.outOfRange(path+"."+k, x[k])...)
		}
		return out
	case []any:
		var out []string
		for i, e := range x {
			out = append(out, v.outOfRange(fmt.Sprintf("%s.%d", path, i), e)...)
		}
		return out
	}
	return nil
}

// maxNumberLength caps the characters of a JSON number; a double has at
// most 17 significant digits, and big exact values (ids) have about 20.
const maxNumberLength = 100

// numberProblem says why a JSON number literal cannot be used, or returns
// "" when it can. It reads the literal only as a float64, which takes time
// in proportion to its length, never as an exact rational.
func numberProblem(s string) string {
	if len(s) > maxNumberLength {
		return fmt.Sprintf("is too long (%d characters, at most %d)", len(s), maxNumberLength)
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return "is out of range"
	}
	mantissa, _, _ := strings.Cut(strings.ToLower(s), "e")
	if f == 0 && strings.ContainsAny(mantissa, "123456789") {
		return "is out of range" // too small to be anything but zero
	}
	return ""
}

// coerce converts a value to the wanted JSON type when the conversion is
// unambiguous, and otherwise returns it unchanged for the validator to
// report.
// coerceEnum maps a string that matches an enum member but for case
// ("PDF" for pdf) onto the member; anything else is left for the
// validator to report.
func coerceEnum(members []string, value any) any {
	s, ok := value.(string)
	if !ok || len(members) == 0 {
		return value
	}
	for _, m := range members {
		if strings.EqualFold(strings.TrimSpace(s), m) {
			return m
		}
	}
	return value
}

func coerce(want string, value any) any {
	switch want {
	case "integer", "number":
		switch x := value.(type) {
		case string:
			if s := strings.TrimSpace(x); isJSONNumber(s) {
				return canonicalNumber(json.Number(s))
			}
		case json.Number:
			return canonicalNumber(x)
		}
	case "boolean":
		if s, ok := value.(string); ok {
			switch strings.ToLower(strings.TrimSpace(s)) {
			case "true":
				return true
			case "false":
				return false
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

// isJSONNumber reports whether s is a number in JSON syntax: "10", "-2.5",
// "1e3", but not "0x10", "+5", ".5" or "1_000", which a client would not
// mean as numbers.
func isJSONNumber(s string) bool {
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	var n json.Number
	return json.Unmarshal([]byte(s), &n) == nil
}

// canonicalNumber writes an integral number without a fraction or exponent
// (10.0 → 10) so that it decodes into a Go integer. A number that cannot be
// used is returned as it is, for outOfRange to report.
func canonicalNumber(n json.Number) json.Number {
	if numberProblem(string(n)) != "" {
		return n
	}
	if r, ok := new(big.Rat).SetString(string(n)); ok && r.IsInt() && len(r.Num().String()) <= 20 {
		return json.Number(r.Num().String())
	}
	return n
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
	field := clipName(strings.Join(e.InstanceLocation, "."))
	subject := fmt.Sprintf("argument %q", field)
	switch k := e.ErrorKind.(type) {
	case *kind.Required:
		var parts []string
		for _, m := range k.Missing {
			parts = append(parts, fmt.Sprintf("missing required argument %q (%s)", clipName(join(field, m)), v.typePhrase(m)))
		}
		return strings.Join(parts, "; ")
	case *kind.AdditionalProperties:
		names := strings.Join(quoteAll(slices.Sorted(slices.Values(k.Properties))), ", ")
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
		return fmt.Sprintf("%s must be at least %s, not %s", subject, ratText(k.Want), ratText(k.Got))
	case *kind.Maximum:
		return fmt.Sprintf("%s must be at most %s, not %s", subject, ratText(k.Want), ratText(k.Got))
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
	const most = 5
	var out []string
	for i, n := range names {
		if i == most {
			out = append(out, fmt.Sprintf("and %d more", len(names)-most))
			break
		}
		out = append(out, strconv.Quote(clipName(n)))
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

// clipName shortens an argument name for a message; a client may send
// keys of any length.
func clipName(name string) string {
	const max = 60
	if len(name) <= max {
		return name
	}
	n := max
	for n > 0 && !utf8.RuneStart(name[n]) {
		n--
	}
	return name[:n] + "…"
}

// ratText shows a number in a message: exactly when short, else in
// scientific notation (1e+300 rather than three hundred digits).
func ratText(r *big.Rat) string {
	if s := r.RatString(); len(s) <= 24 {
		return s
	}
	return new(big.Float).SetRat(r).Text('g', 6)
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
