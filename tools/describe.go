package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/reporthints"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// maxExampleText bounds a data example in the text of describe_report;
// structuredContent carries it whole.
const maxExampleText = 800

// describeReport tells what is known about one report: the API's facts
// (type, template, theme, pages) and the team's report hints (params and
// data), which the API cannot give.
func describeReport() Tool {
	return define(Tool{
		Name:        "describe_report",
		Title:       "Describe a report",
		Description: "What a report expects: the params and data documented for it, with examples; also its type, template and pages.",
		Toolset:     ToolsetCore,
		Hints:       ReadOnly,
		Output:      schemas.DescribeReportOutput{},
	}, func(ctx context.Context, env *Env, in schemas.DescribeReportInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(ctx, in.Workspace)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		about := &target{Workspace: ws}
		id, err := env.describedID(ctx, ws, in.ReportSelector)
		if err != nil {
			return errorFromErr(err, about), nil
		}
		about.Report = fmt.Sprintf("report %d", id)
		// The pages also tell whether the report exists for this user.
		pages, err := env.api.ListReportPages(ctx, ws, cxapi.ReportByID(id))
		if err != nil {
			return errorFromErr(err, about), nil
		}
		out := schemas.DescribeReportOutput{Workspace: ws, ID: id, Pages: make([]schemas.DescribedPage, 0, len(pages))}
		for i, p := range pages {
			out.Pages = append(out.Pages, schemas.DescribedPage{Number: i + 1, ID: p.ID, Name: deref(p.Name), Type: p.Type})
		}
		if cat, err := env.reports(ctx, ws); err == nil {
			if r := reportByID(cat, id); r != nil {
				out.Name, out.ReportTypeName, out.Template, out.Theme, out.Default = r.Name, r.ReportTypeName, r.ReportTemplateName, deref(r.ThemeName), r.IsDefault
				if types, err := env.reportTypes(ctx, ws); err == nil {
					if t := typeByID(types, r.ReportTypeID); t != nil {
						out.ReportType = t.Code
					}
				}
			}
		}
		ref := cxapi.ReportByID(id)
		h, source := env.hintsFor(ctx, ws, ref)
		if h != nil {
			out.Hints = hintsItem(h, source)
		}
		return textResult(describeText(out, env), out), nil
	})
}

// describedID resolves a report selector to a report id: a type code to
// its default report, a name to the report of that name.
func (e *Env) describedID(ctx context.Context, ws string, s schemas.ReportSelector) (int64, error) {
	ref, _, err := e.reportRef(ctx, ws, s)
	if err != nil || ref.ID != 0 {
		return ref.ID, err
	}
	types, err := e.reportTypes(ctx, ws)
	if err != nil {
		return 0, err
	}
	t := typeByCode(types, ref.TypeCode)
	if t == nil {
		msg := fmt.Sprintf("no report type of workspace %s has the code %q", ws, ref.TypeCode)
		near := closest(types, ref.TypeCode, maxCandidates, func(t cxapi.ReportType) []string { return []string{t.Code, t.Name} })
		if len(near) > 0 {
			parts := make([]string, len(near))
			for i, t := range near {
				parts[i] = fmt.Sprintf("%s %q", t.Code, t.Name)
			}
			msg += ". Closest (code, name): " + strings.Join(parts, "; ")
		}
		return 0, &inputError{msg}
	}
	if t.DefaultReportID == nil || *t.DefaultReportID == 0 {
		return 0, &inputError{fmt.Sprintf("report type %s has no default report; call list_reports with report_type %q and pass a report_id", t.Code, t.Code)}
	}
	return *t.DefaultReportID, nil
}

func hintsItem(h *reporthints.Hint, source string) *schemas.HintsItem {
	out := &schemas.HintsItem{For: source, Description: h.Description, Params: make([]schemas.ParamItem, 0, len(h.Params))}
	for _, p := range h.Params {
		out.Params = append(out.Params, schemas.ParamItem{Name: p.Name, Type: p.Type, Description: p.Description, Example: exampleText(p.Example)})
	}
	if h.Data != nil {
		out.Data = &schemas.DataItem{Description: h.Data.Description, Example: h.Data.Example}
	}
	return out
}

// exampleText renders an example value: a string as it is, anything else
// as JSON.
func exampleText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	}
	b, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(b)
}

// describeText renders describe_report's result compactly.
func describeText(out schemas.DescribeReportOutput, env *Env) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Report %d", out.ID)
	if out.Name != "" {
		fmt.Fprintf(&b, " %q", out.Name)
	}
	fmt.Fprintf(&b, " in workspace %s", out.Workspace)
	var facts []string
	switch {
	case out.ReportType != "":
		facts = append(facts, fmt.Sprintf("type %s %q", out.ReportType, out.ReportTypeName))
	case out.ReportTypeName != "":
		facts = append(facts, fmt.Sprintf("type %q", out.ReportTypeName))
	}
	if out.Default {
		facts = append(facts, "the type's default report")
	}
	if out.Template != "" {
		facts = append(facts, "template "+out.Template)
	}
	if out.Theme != "" {
		facts = append(facts, "theme "+out.Theme)
	}
	if len(facts) > 0 {
		b.WriteString(": " + strings.Join(facts, ", "))
	}
	b.WriteString(".\n")
	if len(out.Pages) > 0 {
		pages := make([]string, len(out.Pages))
		for i, p := range out.Pages {
			pages[i] = fmt.Sprintf("%d: %d %q, %s", p.Number, p.ID, p.Name, p.Type)
		}
		fmt.Fprintf(&b, "Pages (number: id, name, type): %s.\n", strings.Join(pages, "; "))
	}
	h := out.Hints
	switch {
	case h == nil && env.deps.ReportHintsProblem != "":
		fmt.Fprintf(&b, "Its params are not known: the report hints file is unusable (%s). Ask the user which params the report needs.", env.deps.ReportHintsProblem)
	case h == nil && env.deps.ReportHints == nil:
		b.WriteString("Its params are not known: no report hints file is configured (CXREPORTS_REPORT_HINTS). Ask the user which params the report needs.")
	case h == nil:
		b.WriteString("Its params are not known: the report hints file has no entry for this report or its type. Ask the user which params the report needs.")
	default:
		fmt.Fprintf(&b, "Documented in the report hints (%s).", h.For)
		if h.Description != "" {
			b.WriteString(" " + sentence(h.Description))
		}
		if len(h.Params) == 0 {
			b.WriteString("\nParams: none.")
		} else {
			b.WriteString("\nParams (pass in params):")
		}
		for _, p := range h.Params {
			fmt.Fprintf(&b, "\n- %s", p.Name)
			if p.Type != "" {
				fmt.Fprintf(&b, " (%s)", p.Type)
			}
			if p.Description != "" {
				b.WriteString(": " + p.Description)
			}
			if p.Example != "" {
				fmt.Fprintf(&b, " Example: %s", p.Example)
			}
		}
		if h.Data != nil {
			b.WriteString("\nData (pass in data)")
			if h.Data.Description != "" {
				b.WriteString(": " + h.Data.Description)
			}
			if h.Data.Example != nil {
				ex := exampleText(h.Data.Example)
				if len(ex) > maxExampleText {
					cut := maxExampleText
					for !utf8.RuneStart(ex[cut]) {
						cut--
					}
					ex = ex[:cut] + "… (shortened; whole in structuredContent)"
				}
				b.WriteString(" Example: " + ex)
			}
		}
	}
	return strings.TrimSpace(b.String())
}
