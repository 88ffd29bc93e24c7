// Package reporthints reads a report hints file: what a team knows about
// the params and data its CxReports reports expect, which the CxReports API
// cannot tell. The file is JSON or YAML:
//
//	reports:            # by report id
//	  "1627":
//	    description: Monthly invoice for one customer.
//	    params:
//	      - {name: month, type: string, description: "Billing month, YYYY-MM.", example: "2026-03"}
//	    data:
//	      description: An invoice with items and a total.
//	      example: {invoice: {invoiceNumber: "12345", total: 588.34}}
//	reportTypes:        # by report type code, in every workspace
//	  invoice:
//	    params: [...]
//
// It is the shape of the sandbox's report-hints.json, plus an optional
// description per report.
package reporthints

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Param is one documented report parameter.
type Param struct {
	Name        string `json:"name"`
	Type        string `json:"type,omitempty"`
	Description string `json:"description,omitempty"`
	Example     any    `json:"example,omitempty"`
}

// Data describes the data a report renders.
type Data struct {
	Description string         `json:"description,omitempty"`
	Example     map[string]any `json:"example,omitempty"`
}

// Hint is what is known about one report or report type.
type Hint struct {
	Description string  `json:"description,omitempty"`
	Params      []Param `json:"params"`
	Data        *Data   `json:"data,omitempty"`
}

// Documents reports whether the hint names param.
func (h *Hint) Documents(param string) bool {
	return slices.ContainsFunc(h.Params, func(p Param) bool { return p.Name == param })
}

// ParamNames returns the documented param names in file order.
func (h *Hint) ParamNames() []string {
	out := make([]string, len(h.Params))
	for i, p := range h.Params {
		out[i] = p.Name
	}
	return out
}

// File is a whole report hints file. It is immutable once loaded and safe
// for concurrent use.
type File struct {
	// Reports holds hints by report id.
	Reports map[int64]*Hint
	// ReportTypes holds hints by report type code, lower-cased.
	ReportTypes map[string]*Hint
}

// ForReport returns the hints of a report id, or nil.
func (f *File) ForReport(id int64) *Hint {
	if f == nil {
		return nil
	}
	return f.Reports[id]
}

// ForType returns the hints of a report type code (case-insensitive), or nil.
func (f *File) ForType(code string) *Hint {
	if f == nil {
		return nil
	}
	return f.ReportTypes[strings.ToLower(code)]
}

// Empty reports whether the file documents nothing.
func (f *File) Empty() bool {
	return f == nil || len(f.Reports) == 0 && len(f.ReportTypes) == 0
}

// paramTypes are the values Param.Type may take.
var paramTypes = []string{"string", "integer", "number", "boolean", "object", "array"}

// Load reads a hints file: YAML when its name ends in .yaml or .yml, else
// JSON. The error names the file and what is wrong.
func Load(path string) (*File, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err // names the file and the cause
	}
	ext := strings.ToLower(filepath.Ext(path))
	f, err := Parse(b, ext == ".yaml" || ext == ".yml")
	if err != nil {
		return nil, fmt.Errorf("report hints %s: %w", filepath.Base(path), err)
	}
	return f, nil
}

// Parse reads the content of a hints file, YAML when yamlSyntax is set,
// else JSON. Unknown keys are errors, so that a misspelt key is not
// silently ignored.
func Parse(b []byte, yamlSyntax bool) (*File, error) {
	if yamlSyntax {
		var v any
		if err := yaml.Unmarshal(b, &v); err != nil {
			return nil, fmt.Errorf("not valid YAML: %w", err)
		}
		v, err := jsonKeys(v)
		if err != nil {
			return nil, err
		}
		if b, err = json.Marshal(v); err != nil {
			return nil, fmt.Errorf("YAML that has no JSON form: %w", err)
		}
	}
	var raw struct {
		Reports     map[string]*Hint `json:"reports"`
		ReportTypes map[string]*Hint `json:"reportTypes"`
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	dec.UseNumber() // examples keep the numbers as written
	if err := dec.Decode(&raw); err != nil {
		return nil, fmt.Errorf("not a report hints document: %w", err)
	}
	f := &File{Reports: map[int64]*Hint{}, ReportTypes: map[string]*Hint{}}
	var problems []error
	for key, h := range raw.Reports {
		id, err := strconv.ParseInt(key, 10, 64)
		if err != nil || id <= 0 {
			problems = append(problems, fmt.Errorf("reports: key %q is not a report id", key))
			continue
		}
		if err := h.check(); err != nil {
			problems = append(problems, fmt.Errorf("reports.%s: %w", key, err))
			continue
		}
		f.Reports[id] = h
	}
	for key, h := range raw.ReportTypes {
		code := strings.ToLower(strings.TrimSpace(key))
		if code == "" {
			problems = append(problems, errors.New("reportTypes: an empty report type code"))
			continue
		}
		if _, dup := f.ReportTypes[code]; dup {
			problems = append(problems, fmt.Errorf("reportTypes: code %q appears twice (codes are case-insensitive)", key))
			continue
		}
		if err := h.check(); err != nil {
			problems = append(problems, fmt.Errorf("reportTypes.%s: %w", key, err))
			continue
		}
		f.ReportTypes[code] = h
	}
	if len(problems) > 0 {
		slices.SortFunc(problems, func(a, b error) int { return strings.Compare(a.Error(), b.Error()) })
		return nil, errors.Join(problems...)
	}
	return f, nil
}

// check validates one hint.
func (h *Hint) check() error {
	if h == nil {
		return errors.New("empty; give at least params: []")
	}
	seen := map[string]bool{}
	for i, p := range h.Params {
		switch {
		case strings.TrimSpace(p.Name) == "":
			return fmt.Errorf("params[%d] has no name", i)
		case seen[p.Name]:
			return fmt.Errorf("param %q appears twice", p.Name)
		case p.Type != "" && !slices.Contains(paramTypes, p.Type):
			return fmt.Errorf("param %q has type %q; use one of %s", p.Name, p.Type, strings.Join(paramTypes, ", "))
		}
		seen[p.Name] = true
	}
	if h.Params == nil {
		h.Params = []Param{}
	}
	return nil
}

// jsonKeys turns the maps YAML decodes into maps with string keys, so
// that an unquoted report id such as 1627: works as a key.
func jsonKeys(v any) (any, error) {
	switch v := v.(type) {
	case map[string]any:
		for k, e := range v {
			e, err := jsonKeys(e)
			if err != nil {
				return nil, err
			}
			v[k] = e
		}
		return v, nil
	case map[any]any:
		out := make(map[string]any, len(v))
		for k, e := range v {
			switch k.(type) {
			case string, int, int64, uint64, float64, bool:
			default:
				return nil, fmt.Errorf("YAML key %v is not a string or number", k)
			}
			e, err := jsonKeys(e)
			if err != nil {
				return nil, err
			}
			out[fmt.Sprint(k)] = e
		}
		return out, nil
	case []any:
		for i, e := range v {
			e, err := jsonKeys(e)
			if err != nil {
				return nil, err
			}
			v[i] = e
		}
		return v, nil
	}
	return v, nil
}
