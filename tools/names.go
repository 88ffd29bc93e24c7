package tools

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
)

// maxCandidates is how many near matches an error about a name lists.
const maxCandidates = 5

// closest returns up to n items nearest to query, best first. Each item is
// known by one or more keys (a name, a code); an item ranks by its best
// key: equal ignoring case, then starting with the query, then containing
// it, then anything else; within a rank by edit distance, then by order.
func closest[T any](items []T, query string, n int, keys func(T) []string) []T {
	q := strings.ToLower(strings.TrimSpace(query))
	type scored struct {
		item       T
		rank, dist int
		order      int
	}
	var all []scored
	for i, it := range items {
		best := scored{item: it, rank: 4, order: i}
		for _, k := range keys(it) {
			k = strings.ToLower(k)
			if k == "" {
				continue
			}
			s := scored{item: it, order: i, dist: levenshtein.ComputeDistance(k, q)}
			switch {
			case k == q:
				s.rank = 0
			case strings.HasPrefix(k, q):
				s.rank = 1
			case strings.Contains(k, q):
				s.rank = 2
			default:
				s.rank = 3
			}
			if s.rank < best.rank || s.rank == best.rank && s.dist < best.dist {
				best = s
			}
		}
		all = append(all, best)
	}
	slices.SortStableFunc(all, func(a, b scored) int {
		if a.rank != b.rank {
			return a.rank - b.rank
		}
		return a.dist - b.dist
	})
	out := make([]T, 0, min(n, len(all)))
	for _, s := range all[:min(n, len(all))] {
		out = append(out, s.item)
	}
	return out
}

// isID reports whether s is a numeric id, which goes to CxReports as is.
func isID(s string) bool {
	_, err := strconv.ParseUint(s, 10, 63)
	return err == nil
}

// workspace resolves the workspace of a call: the argument, else the
// configured default; an id, a code or a name (case-insensitive).
//
// A numeric id goes to CxReports unchanged, as does any value when the
// user's workspace list cannot be read, so that CxReports answers with its
// own 403 or 404. A code or name found in the list becomes that
// workspace's code. Several workspaces with the name is an error listing
// them. A value found nowhere also goes to CxReports unchanged (it may be
// a workspace this user cannot see); should the call fail, its error ends
// with the closest workspaces the user has.
func (e *Env) workspace(ctx context.Context, arg string) (string, error) {
	v := strings.TrimSpace(arg)
	if v == "" {
		v = e.deps.DefaultWorkspace
	}
	if v == "" {
		return "", &inputError{"workspace is required: pass workspace (an id, code or name from list_workspaces), or set CXREPORTS_WORKSPACE to make one the default"}
	}
	if isID(v) {
		return v, nil
	}
	list, err := e.workspaces(ctx)
	if err != nil {
		return v, nil // the call that follows reports the problem
	}
	var byCode, byName []cxapi.Workspace
	for _, w := range list {
		switch {
		case w.Code == v:
			return v, nil
		case strings.EqualFold(w.Code, v):
			byCode = append(byCode, w)
		case strings.EqualFold(w.Name, v):
			byName = append(byName, w)
		}
	}
	switch {
	case len(byCode) == 1:
		return wsKey(byCode[0]), nil
	case len(byCode)+len(byName) == 1:
		return wsKey(byName[0]), nil
	case len(byCode)+len(byName) > 1:
		return "", &inputError{fmt.Sprintf("workspace %q is ambiguous: it names %d workspaces (id, code, name): %s. Pass the id or code of the one meant",
			v, len(byCode)+len(byName), workspaceList(append(byCode, byName...)))}
	}
	if near := closest(list, v, maxCandidates, func(w cxapi.Workspace) []string { return []string{w.Code, w.Name} }); len(near) > 0 {
		e.note = "Workspaces this token can use, closest first (id, code, name): " + workspaceList(near) + "."
	}
	return v, nil
}

// wsKey is how a resolved workspace goes to CxReports: its code, else its id.
func wsKey(w cxapi.Workspace) string {
	if w.Code != "" {
		return w.Code
	}
	return strconv.FormatInt(w.ID, 10)
}

func workspaceList(list []cxapi.Workspace) string {
	parts := make([]string, len(list))
	for i, w := range list {
		parts[i] = fmt.Sprintf("%d %s %q", w.ID, w.Code, w.Name)
	}
	return strings.Join(parts, "; ")
}

// reportNamed finds the report of a workspace whose name is name, ignoring
// case. It never guesses: no report or several reports of that name is an
// error listing the closest names with their ids.
func (e *Env) reportNamed(ctx context.Context, ws, name string) (*cxapi.Report, error) {
	cat, err := e.reports(ctx, ws)
	if err != nil {
		return nil, err
	}
	q := strings.TrimSpace(name)
	var same []cxapi.Report
	for _, r := range cat.reports {
		if strings.EqualFold(strings.TrimSpace(r.Name), q) {
			same = append(same, r)
		}
	}
	if len(same) == 1 {
		return &same[0], nil
	}
	types, _ := e.reportTypes(ctx, ws) // for the type codes in the message
	switch {
	case len(same) > 1:
		return nil, &inputError{fmt.Sprintf("the report name %q is ambiguous in workspace %s: %d reports have that name (id, name, type): %s. Pass report_id instead",
			q, ws, len(same), reportList(same, types))}
	}
	msg := fmt.Sprintf("no report in workspace %s is named %q", ws, q)
	if cat.truncated {
		msg += fmt.Sprintf(" among its first %d reports", len(cat.reports))
	}
	near := closest(cat.reports, q, maxCandidates, func(r cxapi.Report) []string { return []string{r.Name} })
	if len(near) > 0 {
		msg += ". Closest (id, name, type): " + reportList(near, types) + ". Pass report_id, or report_name exactly"
	} else {
		msg += ": it has no reports"
	}
	return nil, &inputError{msg}
}

func reportList(list []cxapi.Report, types []cxapi.ReportType) string {
	parts := make([]string, len(list))
	for i, r := range list {
		parts[i] = fmt.Sprintf("%d %q, %s", r.ID, r.Name, typeLabel(r, types))
	}
	return strings.Join(parts, "; ")
}

// typeLabel shows a report's type as its code, else its name.
func typeLabel(r cxapi.Report, types []cxapi.ReportType) string {
	if t := typeByID(types, r.ReportTypeID); t != nil && t.Code != "" {
		return t.Code
	}
	return r.ReportTypeName
}

func typeByID(types []cxapi.ReportType, id int64) *cxapi.ReportType {
	for i := range types {
		if types[i].ID == id {
			return &types[i]
		}
	}
	return nil
}

func typeByCode(types []cxapi.ReportType, code string) *cxapi.ReportType {
	for i := range types {
		if strings.EqualFold(types[i].Code, code) {
			return &types[i]
		}
	}
	return nil
}

func reportByID(cat *reportCatalog, id int64) *cxapi.Report {
	for i := range cat.reports {
		if cat.reports[i].ID == id {
			return &cat.reports[i]
		}
	}
	return nil
}
