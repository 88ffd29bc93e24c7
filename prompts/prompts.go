// Package prompts defines the MCP prompts of cxreports-mcp: workflows a
// person picks from a client's prompt menu (export a report with my data,
// share a preview link, review a job run before delivery) and a guide for
// developers who build CxReports into their own app. Each prompt is a
// user message that walks the model through the server's tools.
//
// A prompt is listed only when the server serves every tool it names, so
// a prompt never points the model at a tool it cannot call. Argument
// values are completed from CxReports (workspaces, report types, jobs)
// through the same client the tools use.
package prompts

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/tools"
)

// Argument names shared by several prompts; completions key on them.
const (
	argWorkspace = "workspace"
	argReport    = "report"
	argJob       = "job"
	argLanguage  = "language"
	argData      = "data"
	argWhat      = "what"
	argParams    = "params"
)

// prompt is one prompt: its definition, the tools it needs, and its text.
type prompt struct {
	def mcp.Prompt
	// needs are the tools the prompt's text tells the model to call.
	needs []string
	// text renders the user message from the arguments.
	text func(a args) string
}

// args are a prompt's arguments with what the server knows.
type args struct {
	values           map[string]string
	defaultWorkspace string
	served           []string
}

// get returns an argument, trimmed.
func (a args) get(name string) string { return strings.TrimSpace(a.values[name]) }

// serves reports whether the server offers the tool.
func (a args) serves(tool string) bool { return slices.Contains(a.served, tool) }

// workspace describes the workspace to use, for the text.
func (a args) workspace() string {
	switch ws := a.get(argWorkspace); {
	case ws != "":
		return fmt.Sprintf("workspace %q (pass workspace: %q to each tool)", ws, ws)
	case a.defaultWorkspace != "":
		return fmt.Sprintf("the default workspace (%s)", a.defaultWorkspace)
	}
	return "the workspace I name; if I named none, call list_workspaces and ask me"
}

// all returns every prompt this server defines, in a stable order.
func all() []prompt {
	return []prompt{exportReport(), sharePreview(), reviewJobRun(), integrationGuide()}
}

// Register adds to s the prompts whose tools are all among served (the
// names of the tools the server offers). Completions of their arguments
// come from Completions, which the server must be built with.
func Register(s *server.MCPServer, served []string, deps *tools.Deps) {
	for _, p := range available(served) {
		s.AddPrompt(p.def, handler(p, served, deps))
	}
}

// available returns the prompts whose tools are all served.
func available(served []string) []prompt {
	var out []prompt
	for _, p := range all() {
		if !slices.ContainsFunc(p.needs, func(t string) bool { return !slices.Contains(served, t) }) {
			out = append(out, p)
		}
	}
	return out
}

func handler(p prompt, served []string, deps *tools.Deps) server.PromptHandlerFunc {
	return func(_ context.Context, req mcp.GetPromptRequest) (*mcp.GetPromptResult, error) {
		a := args{values: req.Params.Arguments, defaultWorkspace: deps.DefaultWorkspace, served: served}
		return mcp.NewGetPromptResult(p.def.Description, []mcp.PromptMessage{
			mcp.NewPromptMessage(mcp.RoleUser, mcp.NewTextContent(p.text(a))),
		}), nil
	}
}

func exportReport() prompt {
	return prompt{
		def: mcp.NewPrompt("export_report",
			mcp.WithPromptTitle("Export a report with my data"),
			mcp.WithPromptDescription("Fill a CxReports report with your data and save it as a PDF, then check what it says."),
			mcp.WithArgument(argReport, mcp.ArgumentTitle("Report"), mcp.ArgumentDescription("Report type code (e.g. invoice) or report id; leave empty to choose from a list.")),
			mcp.WithArgument(argData, mcp.ArgumentTitle("Data"), mcp.ArgumentDescription("The data for the report: JSON, a file path, or a description.")),
			mcp.WithArgument(argWorkspace, mcp.ArgumentTitle("Workspace"), mcp.ArgumentDescription("Workspace id, code or name; empty for the default.")),
		),
		needs: []string{"list_report_types", "list_reports", "export_pdf"},
		text: func(a args) string {
			var b strings.Builder
			b.WriteString("Export a CxReports report as a PDF, filled with my data.\n\n")
			fmt.Fprintf(&b, "Workspace: %s.\n", a.workspace())
			if r := a.get(argReport); r != "" {
				fmt.Fprintf(&b, "Report: %s (a number is a report_id; a type code such as invoice is a report_type; anything else a report_name).\n", r)
			} else {
				b.WriteString("Report: not chosen yet. Call list_report_types (each type has a default report) and, if needed, list_reports, then ask me which one.\n")
			}
			if d := a.get(argData); d != "" {
				fmt.Fprintf(&b, "Data:\n%s\n", d)
			} else {
				b.WriteString("Data: ask me for it.\n")
			}
			b.WriteString("\nSteps:\n")
			b.WriteString("1. Shape the data as the report expects: values that choose what is shown (a month, a customer) go in params, the records it lists go in data. ")
			if a.serves("describe_report") {
				b.WriteString("Call describe_report for the params and data it takes. If it documents none, export")
			} else {
				b.WriteString("If you do not know the shape, export")
			}
			b.WriteString(" the report once without data with include_text: true and read which parameters and data it shows, or ask me.\n")
			if a.serves("push_temporary_data") {
				b.WriteString("2. Pass small data inline as data. For large data (more than a few KB, long lists) call push_temporary_data with it first and pass the temp_data_id it returns instead.\n")
			} else {
				b.WriteString("2. Pass the data inline as data.\n")
			}
			b.WriteString("3. Call export_pdf with include_text: true. Tell me where the file is, and check in the returned text that my data is in the document; summarize what it says. " +
				"If export_pdf reports an error, follow what it says and try again before asking me.\n")
			return b.String()
		},
	}
}

func sharePreview() prompt {
	return prompt{
		def: mcp.NewPrompt("share_report_preview",
			mcp.WithPromptTitle("Find a report and share a preview link"),
			mcp.WithPromptDescription("Find the report you describe and make a browser link that shows it rendered."),
			mcp.WithArgument(argWhat, mcp.ArgumentTitle("Which report"), mcp.ArgumentDescription("What the report is, e.g. \"March invoice\" or \"bank statement for account 987654321\".")),
			mcp.WithArgument(argWorkspace, mcp.ArgumentTitle("Workspace"), mcp.ArgumentDescription("Workspace id, code or name; empty for the default.")),
		),
		needs: []string{"list_report_types", "list_reports", "create_preview_link"},
		text: func(a args) string {
			var b strings.Builder
			b.WriteString("Find a CxReports report and give me a preview link to share.\n\n")
			fmt.Fprintf(&b, "Workspace: %s.\n", a.workspace())
			if w := a.get(argWhat); w != "" {
				fmt.Fprintf(&b, "The report I mean: %s\n", w)
			} else {
				b.WriteString("The report I mean: ask me.\n")
			}
			b.WriteString("\nSteps:\n" +
				"1. Find it: call list_report_types and list_reports (page with offset when it says more follow). If several reports could match, list them and ask me; do not guess.\n" +
				"2. If my description names values (a month, an account, a customer), pass them as params or data, named as the report expects.\n" +
				"3. Call create_preview_link and give me the link with its report's name. Tell me: it opens once, in one browser, and keeps working there; " +
				"for another person or browser, ask for a new link. If I want to put it in a web page, call it again with iframe: true for an HTML snippet.\n")
			return b.String()
		},
	}
}

func reviewJobRun() prompt {
	return prompt{
		def: mcp.NewPrompt("review_job_run",
			mcp.WithPromptTitle("Run a job and review it before delivery"),
			mcp.WithPromptDescription("Start a CxReports job, wait for it, review its documents with you, and deliver only when you say so."),
			mcp.WithArgument(argJob, mcp.ArgumentTitle("Job"), mcp.ArgumentDescription("Job code or id; leave empty to choose from a list.")),
			mcp.WithArgument(argParams, mcp.ArgumentTitle("Parameters"), mcp.ArgumentDescription("Job parameters as JSON, e.g. {\"date\":\"2026-05-29\"}.")),
			mcp.WithArgument(argWorkspace, mcp.ArgumentTitle("Workspace"), mcp.ArgumentDescription("Workspace id, code or name; empty for the default.")),
		),
		// deliver_job_run is optional: without it, a person delivers in CxReports.
		needs: []string{"list_jobs", "start_job_run", "get_job_run", "create_review_document"},
		text: func(a args) string {
			var b strings.Builder
			b.WriteString("Run a CxReports job and let me review it before anything is delivered.\n\n")
			fmt.Fprintf(&b, "Workspace: %s.\n", a.workspace())
			if j := a.get(argJob); j != "" {
				fmt.Fprintf(&b, "Job: %s.\n", j)
			} else {
				b.WriteString("Job: not chosen yet. Call list_jobs and ask me which one.\n")
			}
			if p := a.get(argParams); p != "" {
				fmt.Fprintf(&b, "Parameters: %s\n", p)
			}
			b.WriteString("\nSteps:\n" +
				"1. Call list_jobs to check the job exists, is active, and whether it requires review.\n" +
				"2. Call start_job_run with the parameters, then get_job_run until the run is finished. Tell me how many entries it made and how many failed.\n" +
				"3. If entries wait for review, call create_review_document and read it; summarize for me what would be sent, and to how many recipients, and point out anything that looks wrong (empty amounts, missing names, errors).\n" +
				"4. Stop and ask me whether to deliver. Call deliver_job_run only after I answer yes in this conversation: delivery sends e-mails to people and cannot be undone. " +
				"If I say no, leave the run undelivered and tell me so. If deliver_job_run is not available, tell me to deliver the run in CxReports.\n")
			return b.String()
		},
	}
}
