package cxapi

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"time"
)

// Job is a pre-configured, repeatable report-generation task (E14).
type Job struct {
	ID             int64      `json:"id"`
	Name           string     `json:"name"`
	Description    *string    `json:"description"`
	Code           *string    `json:"code"`
	ReviewRequired bool       `json:"reviewRequired"`
	IsActive       bool       `json:"isActive"`
	LastRunTime    *time.Time `json:"lastRunTime"`
}

// UnmarshalJSON accepts RFC 3339 and .NET's offset-less date forms.
func (j *Job) UnmarshalJSON(b []byte) error {
	type plain Job
	aux := struct {
		*plain
		LastRunTime jsonTime `json:"lastRunTime"`
	}{plain: (*plain)(j)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	j.LastRunTime = aux.LastRunTime.ptr()
	return nil
}

// JobRunCounts counts the entries of a job run by state.
type JobRunCounts struct {
	Queued    int `json:"queued"`
	Review    int `json:"review"`
	Completed int `json:"completed"`
	Errors    int `json:"errors"`
}

// JobRunStatus is the progress of a job run (E16).
type JobRunStatus struct {
	Finished bool         `json:"finished"`
	Entries  int          `json:"entries"`
	Status   JobRunCounts `json:"status"`
}

// ListJobs lists the jobs of workspace ws (GET /api/v1/ws/{ws}/jobs).
func (c *Client) ListJobs(ctx context.Context, ws string) ([]Job, error) {
	var out []Job
	if err := c.listJSON(ctx, ws, "/jobs", &out); err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	return nonNil(out), nil
}

// StartJobRun starts a run of job (an id or code) and returns the run id
// (POST /api/v1/ws/{ws}/jobs/{job}/runs, body {"params":…,"data":…} with
// unset values left out). params and data must be JSON objects when set.
// Never retried.
func (c *Client) StartJobRun(ctx context.Context, ws, job string, params, data json.RawMessage) (int64, error) {
	p, err := wsPath(ws)
	if err == nil {
		err = checkSegment("job id or code", job)
	}
	if err == nil {
		err = checkObject("params", params)
	}
	if err == nil {
		err = checkObject("data", data)
	}
	if err != nil {
		return 0, fmt.Errorf("start job run: %w", err)
	}
	body, err := marshalBody(struct {
		Params json.RawMessage `json:"params,omitempty"`
		Data   json.RawMessage `json:"data,omitempty"`
	}{objectOrNil(params), objectOrNil(data)})
	if err != nil {
		return 0, fmt.Errorf("start job run: %w: %v", ErrInvalidArgument, err)
	}
	r := &request{method: "POST", path: p + "/jobs/" + url.PathEscape(job) + "/runs", body: body}
	id, err := c.postForID(ctx, r, "jobRunId")
	if err != nil {
		return 0, fmt.Errorf("start job run: %w", err)
	}
	return id, nil
}

// JobRunStatus reports the progress of a job run
// (GET /api/v1/ws/{ws}/jobs/{job}/runs/{runId}/status).
func (c *Client) JobRunStatus(ctx context.Context, ws, job string, runID int64) (*JobRunStatus, error) {
	p, err := jobRunPath(ws, job, runID)
	if err != nil {
		return nil, fmt.Errorf("job run status: %w", err)
	}
	var out JobRunStatus
	if err := c.doJSON(ctx, &request{method: "GET", path: p + "/status", retry: true}, &out); err != nil {
		return nil, fmt.Errorf("job run status: %w", err)
	}
	return &out, nil
}

// GenerateReviewDocument asks for the review document of a job run and
// returns its temporary file id, to poll with ExportStatus and fetch with
// DownloadExport (POST .../runs/{runId}/generate-review-document, no body).
// Never retried.
func (c *Client) GenerateReviewDocument(ctx context.Context, ws, job string, runID int64) (int64, error) {
	p, err := jobRunPath(ws, job, runID)
	if err != nil {
		return 0, fmt.Errorf("generate review document: %w", err)
	}
	id, err := c.postForID(ctx, &request{method: "POST", path: p + "/generate-review-document"}, "temporaryFileId")
	if err != nil {
		return 0, fmt.Errorf("generate review document: %w", err)
	}
	return id, nil
}

// DeliverJobRun delivers the entries of a job run, e.g. sends e-mails
// (POST .../runs/{runId}/deliver, no body). Any response body is ignored,
// but an HTML page (an old server's login page) is an error, since the
// delivery then did not happen. Never retried; it cannot be undone.
func (c *Client) DeliverJobRun(ctx context.Context, ws, job string, runID int64) error {
	p, err := jobRunPath(ws, job, runID)
	if err != nil {
		return fmt.Errorf("deliver job run: %w", err)
	}
	if err := c.doJSON(ctx, &request{method: "POST", path: p + "/deliver"}, nil); err != nil {
		return fmt.Errorf("deliver job run: %w", err)
	}
	return nil
}
