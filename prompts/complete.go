package prompts

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// maxValues is the most completion values one answer may carry (MCP).
const maxValues = 100

// completeTimeout bounds the CxReports call behind one completion: a
// client asks on every keystroke and an old answer is useless.
const completeTimeout = 5 * time.Second

// jobLister is the part of the CxReports client that lists jobs.
// *cxapi.Client has it; the tools' API interface may not yet.
type jobLister interface {
	ListJobs(ctx context.Context, ws string) ([]cxapi.Job, error)
}

// Completions completes the arguments of the prompts: workspaces, report
// type codes and jobs from CxReports, languages from the guide. Anything
// it cannot complete (an unknown prompt or argument, CxReports not
// configured or failing) gets an empty list, never an error: completion
// is a convenience while typing.
// served names the tools the server offers, as for Register.
func Completions(deps *tools.Deps, served []string) server.PromptCompletionProvider {
	return &completer{deps: deps, prompts: available(served)}
}

type completer struct {
	deps    *tools.Deps
	prompts []prompt
}

func (c *completer) CompletePromptArgument(ctx context.Context, promptName string, arg mcp.CompleteArgument, cctx mcp.CompleteContext) (*mcp.Completion, error) {
	return completion(c.values(ctx, promptName, arg, cctx.Arguments)), nil
}

// completion is the answer for values: at most maxValues of them, with
// the total when there are more; never a null list.
func completion(values []string) *mcp.Completion {
	out := &mcp.Completion{Values: []string{}}
	if len(values) > maxValues {
		out.Total, out.HasMore = len(values), true
		values = values[:maxValues]
	}
	out.Values = append(out.Values, values...)
	return out
}

func (c *completer) values(ctx context.Context, promptName string, arg mcp.CompleteArgument, given map[string]string) []string {
	if !slices.ContainsFunc(c.prompts, func(p prompt) bool {
		return p.def.Name == promptName && slices.ContainsFunc(p.def.Arguments, func(a mcp.PromptArgument) bool { return a.Name == arg.Name })
	}) {
		return nil
	}
	if arg.Name == argLanguage {
		return languageValues(arg.Value)
	}
	if arg.Name != argWorkspace && arg.Name != argReport && arg.Name != argJob {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, completeTimeout)
	defer cancel()
	if c.deps.Client == nil {
		return nil
	}
	api, err := c.deps.Client(ctx)
	if err != nil {
		return nil
	}
	ws := strings.TrimSpace(given[argWorkspace])
	if ws == "" {
		ws = c.deps.DefaultWorkspace
	}
	var candidates []string
	switch arg.Name {
	case argWorkspace:
		list, err := api.ListWorkspaces(ctx)
		if err != nil {
			return nil
		}
		for _, w := range list {
			candidates = append(candidates, orID(w.Code, w.ID))
		}
	case argReport:
		if ws == "" {
			return nil
		}
		list, err := api.ListReportTypes(ctx, ws)
		if err != nil {
			return nil
		}
		for _, t := range list {
			candidates = append(candidates, orID(t.Code, t.ID))
		}
	case argJob:
		jobs, ok := api.(jobLister)
		if !ok || ws == "" {
			return nil
		}
		list, err := jobs.ListJobs(ctx, ws)
		if err != nil {
			return nil
		}
		for _, j := range list {
			code := ""
			if j.Code != nil {
				code = *j.Code
			}
			candidates = append(candidates, orID(code, j.ID))
		}
	}
	return matching(candidates, arg.Value)
}

// orID is a code, or the id when there is no code.
func orID(code string, id int64) string {
	if code != "" {
		return code
	}
	return strconv.FormatInt(id, 10)
}

// matching keeps the candidates that start with prefix (ignoring case),
// in their order, without repeats.
func matching(candidates []string, prefix string) []string {
	prefix = strings.ToLower(strings.TrimSpace(prefix))
	var out []string
	for _, c := range candidates {
		if strings.HasPrefix(strings.ToLower(c), prefix) && !slices.Contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}
