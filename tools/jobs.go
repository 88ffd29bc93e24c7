package tools

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// The job tools, in the order a run goes through them.
const (
	toolListJobs             = "list_jobs"
	toolStartJobRun          = "start_job_run"
	toolGetJobRun            = "get_job_run"
	toolCreateReviewDocument = "create_review_document"
	toolDeliverJobRun        = "deliver_job_run"
)

// noRetryDelivery ends every refusal of a delivery: retrying could e-mail
// people twice.
const noRetryDelivery = "Do not retry: CxReports delivers a run at most once. Call get_job_run to see the run's state."

func listJobs() Tool {
	return define(Tool{
		Name:  toolListJobs,
		Title: "List jobs",
		Description: "List the jobs of a workspace: pre-configured report runs that CxReports delivers by e-mail, some after a review. " +
			"Gives the job ids and codes the other job tools take.",
		Toolset: ToolsetJobs,
		Hints:   ReadOnly,
		Output:  schemas.ListJobsOutput{},
	}, func(ctx context.Context, env *Env, in schemas.ListJobsInput) (*mcp.CallToolResult, error) {
		ws, err := env.workspace(ctx, in.Workspace)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		list, err := env.api.ListJobs(ctx, ws)
		if err != nil {
			return errorFromErr(err, &target{Workspace: ws}), nil
		}
		out := schemas.ListJobsOutput{Workspace: ws, Jobs: make([]schemas.JobItem, 0, len(list))}
		if len(list) == 0 {
			return textResult(fmt.Sprintf("No jobs in workspace %s.", ws), out), nil
		}
		var b strings.Builder
		fmt.Fprintf(&b, "%d jobs in workspace %s (id, code, name):\n", len(list), ws)
		for _, j := range list {
			item := schemas.JobItem{ID: j.ID, Code: deref(j.Code), Name: j.Name, Description: deref(j.Description),
				ReviewRequired: j.ReviewRequired, Active: j.IsActive}
			if j.LastRunTime != nil {
				item.LastRunTime = j.LastRunTime.UTC().Format(time.RFC3339)
			}
			out.Jobs = append(out.Jobs, item)
			fmt.Fprintf(&b, "- %d %s %q", j.ID, orDash(item.Code), j.Name)
			var notes []string
			if j.ReviewRequired {
				notes = append(notes, "review before delivery")
			}
			if !j.IsActive {
				notes = append(notes, "inactive: cannot be run")
			}
			if item.LastRunTime != "" {
				notes = append(notes, "last run "+item.LastRunTime)
			}
			if len(notes) > 0 {
				fmt.Fprintf(&b, " (%s)", strings.Join(notes, "; "))
			}
			if item.Description != "" {
				fmt.Fprintf(&b, ": %s", item.Description)
			}
			b.WriteByte('\n')
		}
		return textResult(strings.TrimSpace(b.String()), out), nil
	})
}

func startJobRun() Tool {
	return define(Tool{
		Name:  toolStartJobRun,
		Title: "Start a job run",
		Description: "Start a run of a job from list_jobs, with params and data for the job's report. " +
			"CxReports prepares the run's documents; nothing is sent. Returns run_id for get_job_run.",
		Toolset: ToolsetJobs,
		Hints:   Write,
	}, func(ctx context.Context, env *Env, in schemas.StartJobRunInput) (*mcp.CallToolResult, error) {
		ws, job, err := env.job(ctx, in.JobArg)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		params, err := rawObject(in.Params)
		if err != nil {
			return errorResult("params: " + err.Error() + "."), nil
		}
		data, err := rawObject(in.Data)
		if err != nil {
			return errorResult("data: " + err.Error() + "."), nil
		}
		t := &target{Workspace: ws, Job: job, OnConflict: "A job that is not active cannot be run; see list_jobs."}
		runID, err := env.api.StartJobRun(ctx, ws, job, params, data)
		if err != nil {
			return errorFromErr(err, t), nil
		}
		text := fmt.Sprintf("Started run %d of job %s in workspace %s. Call get_job_run with job %q and run_id %d to follow it; nothing is sent until the run is delivered.",
			runID, job, ws, job, runID)
		return textResult(text, nil), nil
	})
}

func getJobRun() Tool {
	return define(Tool{
		Name:        toolGetJobRun,
		Title:       "Get job run status",
		Description: "Show the progress of a job run: how many entries are queued, waiting for review, completed or failed, and what to do next.",
		Toolset:     ToolsetJobs,
		Hints:       ReadOnly,
		Output:      schemas.JobRunOutput{},
	}, func(ctx context.Context, env *Env, in schemas.GetJobRunInput) (*mcp.CallToolResult, error) {
		run, _, st, failed := env.jobRunStatus(ctx, in.JobRunArgs)
		if failed != nil {
			return failed, nil
		}
		next := nextStep(st)
		out := schemas.JobRunOutput{Workspace: run.ws, Job: run.job, RunID: run.id, Finished: st.Finished, Entries: st.Entries,
			Queued: st.Status.Queued, Review: st.Status.Review, Completed: st.Status.Completed, Errors: st.Status.Errors, Next: next}
		state := "is still running"
		if st.Finished {
			state = "has finished"
		}
		text := fmt.Sprintf("Run %d of job %s in workspace %s %s: %s.\n%s", run.id, run.job, run.ws, state, counts(st), env.advice(next, run))
		return textResult(text, out), nil
	})
}

func createReviewDocument() Tool {
	return define(Tool{
		Name:  toolCreateReviewDocument,
		Title: "Create review document",
		Description: "Save the review document of a finished job run, a PDF listing what delivery would send, as a file " +
			"for a person to check before delivery. Returns the file's path and a resource link.",
		Toolset: ToolsetJobs,
		Hints:   Write,
	}, func(ctx context.Context, env *Env, in schemas.CreateReviewDocumentInput) (*mcp.CallToolResult, error) {
		run, t, st, failed := env.jobRunStatus(ctx, in.JobRunArgs)
		if failed != nil {
			return failed, nil
		}
		switch next := nextStep(st); next {
		case schemas.NextWait:
			return errorResult(fmt.Sprintf("Run %d of job %s is still running (%s), so its review document cannot be made yet. %s",
				run.id, run.job, counts(st), env.advice(next, run))), nil
		case schemas.NextDeliver, schemas.NextNothing:
			return errorResult(fmt.Sprintf("Run %d of job %s has no entries waiting for review (%s), so there is no review document. %s",
				run.id, run.job, counts(st), env.advice(next, run))), nil
		}
		t.OnConflict = "Call get_job_run to see the run's state."
		fileID, err := env.api.GenerateReviewDocument(ctx, run.ws, run.job, run.id)
		if err != nil {
			return errorFromErr(err, t), nil
		}
		what := fmt.Sprintf("the review document of run %d of job %s", run.id, run.job)
		dst, err := env.destination(ctx, "")
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		res := env.awaitExport(ctx, exportJob{ws: run.ws, id: fileID, report: what, format: formats[0]}, dst, extras{})
		if res.IsError || !hasResourceLink(res) {
			return res, nil // failed, or still being made: the result says what to do
		}
		note := "Show it to the user: a person should check it before the run is delivered. "
		if env.offers(toolDeliverJobRun) {
			note += "Once they approve, deliver_job_run sends the run."
		} else {
			note += deliverElsewhere
		}
		appendText(res, note)
		return res, nil
	})
}

func deliverJobRun() Tool {
	return define(Tool{
		Name:  toolDeliverJobRun,
		Title: "Deliver job run (sends e-mail)",
		Description: "Deliver a finished job run: CxReports e-mails each entry's documents to the recipients configured in the job. " +
			"This reaches real people and cannot be undone; a run is delivered once. Call it only when the user has asked to deliver this run, after any review.",
		Toolset: ToolsetJobs,
		Hints:   Destructive,
	}, func(ctx context.Context, env *Env, in schemas.DeliverJobRunInput) (*mcp.CallToolResult, error) {
		run, t, st, failed := env.jobRunStatus(ctx, in.JobRunArgs)
		if failed != nil {
			return failed, nil
		}
		switch nextStep(st) {
		case schemas.NextWait:
			return errorResult(fmt.Sprintf("Run %d of job %s is still running (%s); nothing was delivered. Call get_job_run until it has finished.",
				run.id, run.job, counts(st))), nil
		case schemas.NextNothing:
			return errorResult(fmt.Sprintf("Run %d of job %s has no entries that can be delivered (%s); nothing was delivered. Check the job's params and data, then start a new run.",
				run.id, run.job, counts(st))), nil
		}
		t.OnConflict = noRetryDelivery
		t.Unconfirmed = fmt.Sprintf("The run may have been delivered: do not call deliver_job_run again; ask the user to check run %d in CxReports.", run.id)
		if err := env.api.DeliverJobRun(ctx, run.ws, run.job, run.id); err != nil {
			return errorFromErr(err, t), nil
		}
		deliverable := st.Entries - st.Status.Errors
		text := fmt.Sprintf("Delivered run %d of job %s in workspace %s: CxReports is sending its %d %s to the job's recipients. This cannot be undone, and the run cannot be delivered again.",
			run.id, run.job, run.ws, deliverable, plural(deliverable, "entry", "entries"))
		return textResult(text, nil), nil
	})
}

// deliverElsewhere says what to do when this server does not deliver.
const deliverElsewhere = "This server does not deliver runs (an administrator can allow it with --enable-delivery); a person can deliver the run in CxReports."

// job resolves the workspace and job of a call.
func (e *Env) job(ctx context.Context, a schemas.JobArg) (ws, job string, err error) {
	if ws, err = e.workspace(ctx, a.Workspace); err != nil {
		return "", "", err
	}
	job = strings.TrimSpace(a.Job)
	if job == "" {
		return "", "", &inputError{"job is required: give a job id or code from list_jobs"}
	}
	return ws, job, nil
}

// jobRunRef is a resolved job run.
type jobRunRef struct {
	ws, job string
	id      int64
}

// jobRunStatus resolves the run of a call and fetches its status; failed
// is the isError result when either fails. t names the run for messages.
func (e *Env) jobRunStatus(ctx context.Context, a schemas.JobRunArgs) (run *jobRunRef, t *target, st *cxapi.JobRunStatus, failed *mcp.CallToolResult) {
	run, err := e.jobRun(ctx, a)
	if err != nil {
		return nil, nil, nil, errorFromErr(err, nil)
	}
	t = run.target()
	st, err = e.api.JobRunStatus(ctx, run.ws, run.job, run.id)
	if err != nil {
		return nil, nil, nil, errorFromErr(err, t)
	}
	return run, t, st, nil
}

func (e *Env) jobRun(ctx context.Context, a schemas.JobRunArgs) (*jobRunRef, error) {
	ws, job, err := e.job(ctx, a.JobArg)
	if err != nil {
		return nil, err
	}
	return &jobRunRef{ws: ws, job: job, id: a.RunID}, nil
}

func (r *jobRunRef) target() *target {
	return &target{Workspace: r.ws, Job: r.job, Run: r.id}
}

// nextStep reads a run's status as the next thing to do with it.
func nextStep(st *cxapi.JobRunStatus) string {
	switch {
	case !st.Finished:
		return schemas.NextWait
	case st.Status.Review > 0:
		return schemas.NextReview
	case st.Status.Completed > 0:
		return schemas.NextDeliver
	}
	return schemas.NextNothing
}

// advice says in words what to do next with a run, naming only tools
// this server offers.
func (e *Env) advice(next string, r *jobRunRef) string {
	switch next {
	case schemas.NextWait:
		return "Wait a few seconds, then call get_job_run again."
	case schemas.NextReview:
		switch {
		case e.offers(toolCreateReviewDocument) && e.offers(toolDeliverJobRun):
			return "Next: call create_review_document for a person to check; once they approve, deliver_job_run sends the run."
		case e.offers(toolCreateReviewDocument):
			return "Next: call create_review_document for a person to check. " + deliverElsewhere
		}
		return "A person can review and deliver the run in CxReports; this server does not."
	case schemas.NextDeliver:
		if e.offers(toolDeliverJobRun) {
			return "Next: unless it was delivered already, deliver_job_run sends it, when the user asks for delivery."
		}
		return "Unless it was delivered already: " + deliverElsewhere
	}
	return fmt.Sprintf("No entry can be delivered. Check the job's params and data, then start a new run of job %s.", r.job)
}

// counts describes a run's entries: "3 entries: 3 waiting for review".
func counts(st *cxapi.JobRunStatus) string {
	var parts []string
	for _, c := range []struct {
		n    int
		what string
	}{
		{st.Status.Queued, "queued"},
		{st.Status.Review, "waiting for review"},
		{st.Status.Completed, "completed"},
		{st.Status.Errors, "failed"},
	} {
		if c.n > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", c.n, c.what))
		}
	}
	s := fmt.Sprintf("%d %s", st.Entries, plural(st.Entries, "entry", "entries"))
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, ", ")
	}
	return s
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
