package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"time"
)

// Titles of the jobs endpoints' 409 answers.
const (
	TitleJobInactive      = "Job is not active"
	TitleRunNotFinished   = "Job run not finished"
	TitleNoReviewPending  = "No review pending"
	TitleAlreadyDelivered = "Run already delivered"
	TitleRunFailed        = "Job run failed"
)

// Delivery is a job run's delivery as recorded by E18. Nothing is sent.
type Delivery struct {
	Workspace  int64
	JobID      int64
	JobCode    string
	RunID      int64
	At         time.Time
	Recipients []string
}

// jobRun progresses with the clock: queued until started + delay, then
// finished with every entry in review (jobs with reviewRequired) or
// completed; delivery moves review entries to completed. params
// {"fail": true} finishes every entry as an error.
type jobRun struct {
	id        int64
	job       *job
	started   time.Time
	delay     time.Duration
	params    object
	data      any
	failed    bool
	delivered bool
}

type runStatusJSON struct {
	Finished bool            `json:"finished"`
	Entries  int             `json:"entries"`
	Status   runCountersJSON `json:"status"`
}

type runCountersJSON struct {
	Queued    int `json:"queued"`
	Review    int `json:"review"`
	Completed int `json:"completed"`
	Errors    int `json:"errors"`
}

func (run *jobRun) finished(now time.Time) bool { return !now.Before(run.started.Add(run.delay)) }

func (run *jobRun) status(now time.Time) runStatusJSON {
	n := len(run.job.Recipients)
	out := runStatusJSON{Entries: n, Finished: run.finished(now)}
	switch {
	case !out.Finished:
		out.Status.Queued = n
	case run.failed:
		out.Status.Errors = n
	case run.job.ReviewRequired && !run.delivered:
		out.Status.Review = n
	default:
		out.Status.Completed = n
	}
	return out
}

type jobJSON struct {
	ID             int64   `json:"id"`
	Name           string  `json:"name"`
	Description    *string `json:"description"`
	Code           string  `json:"code"`
	ReviewRequired bool    `json:"reviewRequired"`
	IsActive       bool    `json:"isActive"`
	LastRunTime    *string `json:"lastRunTime"`
}

// handleJobs is E14.
func (s *Server) handleJobs(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return err
	}
	out := []jobJSON{}
	s.mu.Lock()
	for _, j := range s.data.jobs {
		if j.WorkspaceID != ws.ID {
			continue
		}
		jj := jobJSON{ID: j.ID, Name: j.Name, Description: j.Description, Code: j.Code, ReviewRequired: j.ReviewRequired, IsActive: j.IsActive}
		if t, ok := s.lastRun[j]; ok {
			jj.LastRunTime = strp(isoTime(t))
		}
		out = append(out, jj)
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) resolveJob(r *http.Request, u *user) (*workspace, *job, error) {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return nil, nil, err
	}
	key := r.PathValue("job")
	j := s.data.job(ws.ID, key)
	if j == nil {
		return nil, nil, notFound(TitleJobNotFound, fmt.Sprintf("no job with id or code %q in workspace %q", key, ws.Code))
	}
	return ws, j, nil
}

// resolveRun finds the {run} of the {job}. Callers get the run with
// Server.mu held and must unlock it.
func (s *Server) resolveRun(r *http.Request, u *user) (*workspace, *jobRun, error) {
	ws, j, err := s.resolveJob(r, u)
	if err != nil {
		return nil, nil, err
	}
	key := r.PathValue("run")
	id, ok := parseID(key)
	s.mu.Lock()
	run := s.runs[id]
	if !ok || run == nil || run.job != j {
		s.mu.Unlock()
		return nil, nil, notFound(TitleJobRunNotFound, fmt.Sprintf("no run %s of job %q", key, j.Code))
	}
	return ws, run, nil
}

// handleJobRun is E15: {params?, data?} (an empty body is {}), answers
// {"jobRunId": n}.
func (s *Server) handleJobRun(w http.ResponseWriter, r *http.Request, u *user) error {
	_, j, err := s.resolveJob(r, u)
	if err != nil {
		return err
	}
	body, err := readObjectBody(w, r)
	if err != nil {
		return err
	}
	run := &jobRun{job: j}
	switch v, _ := body.get("params"); t := v.(type) {
	case nil:
	case object:
		run.params = t
	default:
		return badRequest("params", "must be a JSON object")
	}
	run.data, _ = body.get("data")
	if v, ok := run.params.get("fail"); ok && truthy(v) {
		run.failed = true
	}
	if !j.IsActive {
		return conflict(TitleJobInactive, fmt.Sprintf("job %q is not active", j.Code))
	}
	s.mu.Lock()
	run.id = s.nextRun
	s.nextRun++
	run.started = s.now()
	run.delay = s.asyncDelay
	s.runs[run.id] = run
	s.lastRun[j] = run.started
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]int64{"jobRunId": run.id})
	return nil
}

// handleJobRunStatus is E16.
func (s *Server) handleJobRunStatus(w http.ResponseWriter, r *http.Request, u *user) error {
	_, run, err := s.resolveRun(r, u)
	if err != nil {
		return err
	}
	st := run.status(s.now())
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
	return nil
}

// handleReview is E17: a review document (a PDF listing the run's entries)
// as a temporary file, downloadable through E8/E9. 409 before the run
// finished or when no review is pending.
func (s *Server) handleReview(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, run, err := s.resolveRun(r, u)
	if err != nil {
		return err
	}
	st := run.status(s.now())
	doc := reviewDocument(ws, run)
	s.mu.Unlock()
	switch {
	case !st.Finished:
		return conflict(TitleRunNotFinished, fmt.Sprintf("run %d is still in progress", run.id))
	case st.Status.Review == 0:
		return conflict(TitleNoReviewPending, fmt.Sprintf("run %d has no entries waiting for review", run.id))
	}
	b, err := renderPDF(doc)
	if err != nil {
		return err
	}
	res := bytesDoc(doc.Title+".pdf", contentTypes[formatPDF], b)
	id := s.addExport(ws.ID, res.name, res, "")
	writeJSON(w, http.StatusOK, exportStartedJSON{TemporaryFileID: id})
	return nil
}

// reviewDocument lists what a delivery would send.
func reviewDocument(ws *workspace, run *jobRun) *document {
	rep := run.job.ReportID
	sum := []block{
		line(0, "Job: "+run.job.Name+" ("+run.job.Code+", id "+strconv.FormatInt(run.job.ID, 10)+")"),
		line(0, "Run: "+strconv.FormatInt(run.id, 10)),
		line(0, "Started: "+isoTime(run.started)),
		line(0, fmt.Sprintf("Entries: %d", len(run.job.Recipients))),
		heading(0, "Parameters"),
	}
	if len(run.params) == 0 {
		sum = append(sum, line(0, "No parameters given."))
	}
	for _, m := range run.params {
		sum = append(sum, line(0, m.Key+" = "+compactJSON(m.Value)))
	}
	t := block{Kind: blockTable, Columns: []string{"#", "Recipient", "Report", "Status"}}
	for i, rcpt := range run.job.Recipients {
		t.Rows = append(t.Rows, []string{strconv.Itoa(i + 1), rcpt, strconv.FormatInt(rep, 10), "Waiting for review"})
	}
	return &document{
		Title: fmt.Sprintf("%s - review (run %d)", run.job.Name, run.id), Workspace: ws.label(),
		Theme: "Plain", Template: "Default", Timezone: "UTC", Lang: "en",
		Sections: []section{{Title: "Run", Blocks: sum}, {Title: "Entries", Blocks: []block{t}}},
	}
}

// handleDeliver is E18: records a Delivery once and answers 200 {}.
func (s *Server) handleDeliver(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, run, err := s.resolveRun(r, u)
	if err != nil {
		return err
	}
	err = s.deliverLocked(ws, run)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, struct{}{})
	return nil
}

// deliverLocked records the delivery of run; Server.mu is held.
func (s *Server) deliverLocked(ws *workspace, run *jobRun) error {
	now := s.now()
	switch {
	case !run.finished(now):
		return conflict(TitleRunNotFinished, fmt.Sprintf("run %d is still in progress", run.id))
	case run.delivered:
		return conflict(TitleAlreadyDelivered, fmt.Sprintf("run %d was delivered before", run.id))
	case run.failed:
		return conflict(TitleRunFailed, fmt.Sprintf("every entry of run %d failed; nothing to deliver", run.id))
	}
	run.delivered = true
	s.deliveries = append(s.deliveries, Delivery{Workspace: ws.ID, JobID: run.job.ID, JobCode: run.job.Code, RunID: run.id,
		At: now, Recipients: append([]string(nil), run.job.Recipients...)})
	return nil
}

// Deliveries returns a copy of the recorded deliveries, oldest first.
func (s *Server) Deliveries() []Delivery {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Delivery, len(s.deliveries))
	for i, d := range s.deliveries {
		d.Recipients = append([]string(nil), d.Recipients...)
		out[i] = d
	}
	return out
}
