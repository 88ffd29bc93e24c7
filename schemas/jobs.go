package schemas

// The input and output types of the job tools (toolset "jobs").

// JobArg selects a job; shared by the job tools.
type JobArg struct {
	WorkspaceArg
	Job string `json:"job" jsonschema:"required" jsonschema_description:"Job id or code from list_jobs."`
}

// JobRunArgs selects one run of a job.
type JobRunArgs struct {
	JobArg
	RunID int64 `json:"run_id" jsonschema:"required,minimum=1" jsonschema_description:"Run id returned by start_job_run."`
}

// ListJobsInput is the input of list_jobs.
type ListJobsInput struct {
	WorkspaceArg
}

// StartJobRunInput is the input of start_job_run.
type StartJobRunInput struct {
	JobArg
	Params map[string]any `json:"params,omitempty" jsonschema_description:"Parameters of the job's report as a JSON object, e.g. {\"date\":\"2026-05-29\"}."`
	Data   map[string]any `json:"data,omitempty" jsonschema_description:"Data for the job's report as a JSON object."`
}

// GetJobRunInput is the input of get_job_run.
type GetJobRunInput struct {
	JobRunArgs
}

// CreateReviewDocumentInput is the input of create_review_document.
type CreateReviewDocumentInput struct {
	JobRunArgs
}

// DeliverJobRunInput is the input of deliver_job_run.
type DeliverJobRunInput struct {
	JobRunArgs
}

// JobItem is one job in list_jobs.
type JobItem struct {
	ID             int64  `json:"id"`
	Code           string `json:"code,omitempty"`
	Name           string `json:"name"`
	Description    string `json:"description,omitempty"`
	ReviewRequired bool   `json:"review_required" jsonschema_description:"Runs wait for review before delivery."`
	Active         bool   `json:"active" jsonschema_description:"Only active jobs can be run."`
	LastRunTime    string `json:"last_run_time,omitempty" jsonschema:"format=date-time"`
}

// ListJobsOutput is the structured result of list_jobs.
type ListJobsOutput struct {
	Workspace string    `json:"workspace"`
	Jobs      []JobItem `json:"jobs"`
}

// Values of JobRunOutput.Next.
const (
	NextWait    = "wait"
	NextReview  = "review"
	NextDeliver = "deliver"
	NextNothing = "nothing"
)

// JobRunOutput is the structured result of get_job_run.
type JobRunOutput struct {
	Workspace string `json:"workspace"`
	Job       string `json:"job"`
	RunID     int64  `json:"run_id"`
	Finished  bool   `json:"finished"`
	Entries   int    `json:"entries"`
	Queued    int    `json:"queued"`
	Review    int    `json:"review" jsonschema_description:"Entries waiting for review."`
	Completed int    `json:"completed"`
	Errors    int    `json:"errors"`
	Next      string `json:"next" jsonschema:"enum=wait,enum=review,enum=deliver,enum=nothing" jsonschema_description:"wait: still running; review: create_review_document, then deliver; deliver: ready to deliver unless already delivered; nothing: no entry can be delivered."`
}
