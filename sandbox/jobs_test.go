package sandbox

import (
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

func startRun(t *testing.T, h *harness, ws, job string, body any) (int64, string) {
	t.Helper()
	r := h.post("/api/v1/ws/"+ws+"/jobs/"+job+"/runs", body)
	expectStatus(t, r, 200)
	var out map[string]int64
	r.json(t, &out)
	if len(out) != 1 || out["jobRunId"] == 0 {
		t.Fatalf("E15 answer %s", r.body)
	}
	return out["jobRunId"], "/api/v1/ws/" + ws + "/jobs/" + job + "/runs/" + itoa(out["jobRunId"])
}

func runStatus(t *testing.T, h *harness, runPath string) runStatusJSON {
	t.Helper()
	r := h.get(runPath + "/status")
	expectStatus(t, r, 200)
	var st runStatusJSON
	r.json(t, &st)
	return st
}

func TestJobsList(t *testing.T) {
	h := newHarness(t)
	r := h.get("/api/v1/ws/1/jobs")
	expectStatus(t, r, 200)
	want := `[{"id":42,"name":"Daily invoices","description":"Sends yesterday's invoices to each customer after review","code":"daily-invoices","reviewRequired":true,"isActive":true,"lastRunTime":null},` +
		`{"id":43,"name":"Monthly statements","description":"Sends each account holder a monthly statement","code":"monthly-statements","reviewRequired":false,"isActive":true,"lastRunTime":null},` +
		`{"id":44,"name":"Weekly reminders","description":null,"code":"weekly-reminders","reviewRequired":false,"isActive":false,"lastRunTime":null}]`
	if string(r.body) != want {
		t.Fatalf("jobs\n%s\nwant\n%s", r.body, want)
	}
	var jobs []jobJSON
	h.get("/api/v1/ws/finance/jobs").json(t, &jobs)
	if len(jobs) != 2 || jobs[0].ID != 42 || jobs[1].Code != "monthly-statements" {
		t.Fatalf("finance jobs %+v", jobs)
	}
	if string(h.get("/api/v1/ws/72/jobs").body) != "[]" {
		t.Fatal("master has no jobs")
	}
	startRun(t, h, "1", "42", nil)
	h.get("/api/v1/ws/1/jobs").json(t, &jobs)
	if jobs[0].LastRunTime == nil || *jobs[0].LastRunTime != "2026-03-15T10:00:00Z" || jobs[1].LastRunTime != nil {
		t.Fatalf("lastRunTime %+v", jobs)
	}
}

func TestJobRunWithReview(t *testing.T) {
	h := newHarness(t)
	id, run := startRun(t, h, "demo", DailyInvoicesJobCode, map[string]any{"params": map[string]any{"date": "2026-05-29"}, "data": map[string]any{}})
	if id != 7001 {
		t.Fatalf("first run id %d", id)
	}
	if st := runStatus(t, h, run); st != (runStatusJSON{Finished: false, Entries: 3, Status: runCountersJSON{Queued: 3}}) {
		t.Fatalf("queued: %+v", st)
	}
	if r := h.get(run + "/status"); string(r.body) != `{"finished":false,"entries":3,"status":{"queued":3,"review":0,"completed":0,"errors":0}}` {
		t.Fatalf("status JSON %s", r.body)
	}
	expectProblem(t, h.post(run+"/generate-review-document", nil), 409, TitleRunNotFinished)
	expectProblem(t, h.post(run+"/deliver", nil), 409, TitleRunNotFinished)

	h.clock.Advance(time.Second)
	if st := runStatus(t, h, run); st != (runStatusJSON{Finished: true, Entries: 3, Status: runCountersJSON{Review: 3}}) {
		t.Fatalf("review: %+v", st)
	}
	r := h.post(run+"/generate-review-document", nil)
	expectStatus(t, r, 200)
	var doc map[string]int64
	r.json(t, &doc)
	fileID := doc["temporaryFileId"]
	if fileID == 0 {
		t.Fatalf("E17 answer %s", r.body)
	}
	if st := exportStatus(t, h, "demo", fileID); st["status"] != StatusInProgress || st["name"] != "Daily invoices - review (run 7001).pdf" {
		t.Fatalf("review document status %v", st)
	}
	h.clock.Advance(time.Second)
	content := h.get("/api/v1/ws/demo/exports/" + itoa(fileID) + "/content")
	expectStatus(t, content, 200)
	text := pdftotext(t, content.body)
	for _, s := range []string{"Daily invoices - review (run 7001)", `date = "2026-05-29"`, "billing@test-enterprises.example", "Waiting for review"} {
		if !strings.Contains(text, s) {
			t.Errorf("review document lacks %q", s)
		}
	}

	if len(h.srv.Deliveries()) != 0 {
		t.Fatal("delivery recorded before deliver")
	}
	r = h.post(run+"/deliver", nil)
	expectStatus(t, r, 200)
	if string(r.body) != "{}" || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
		t.Fatalf("deliver answer %q", r.body)
	}
	want := Delivery{Workspace: 1, JobID: 42, JobCode: "daily-invoices", RunID: 7001, At: h.clock.Now(),
		Recipients: []string{"billing@test-enterprises.example", "accounts@tech-solutions.example", "finance@innovate-tech.example"}}
	got := h.srv.Deliveries()
	if len(got) != 1 || got[0].RunID != want.RunID || got[0].JobID != want.JobID || got[0].JobCode != want.JobCode ||
		got[0].Workspace != want.Workspace || !got[0].At.Equal(want.At) || !slices.Equal(got[0].Recipients, want.Recipients) {
		t.Fatalf("deliveries %+v", got)
	}
	p := expectProblem(t, h.post(run+"/deliver", nil), 409, TitleAlreadyDelivered)
	if p.Title != "Run already delivered" {
		t.Fatal(p.Title)
	}
	if len(h.srv.Deliveries()) != 1 {
		t.Fatal("second deliver recorded")
	}
	if st := runStatus(t, h, run); st != (runStatusJSON{Finished: true, Entries: 3, Status: runCountersJSON{Completed: 3}}) {
		t.Fatalf("delivered: %+v", st)
	}
	expectProblem(t, h.post(run+"/generate-review-document", nil), 409, TitleNoReviewPending)
	// The run is reachable by job id as well as code, not through another job.
	expectStatus(t, h.get("/api/v1/ws/1/jobs/42/runs/7001/status"), 200)
	expectProblem(t, h.get("/api/v1/ws/1/jobs/43/runs/7001/status"), 404, TitleJobRunNotFound)
	expectProblem(t, h.get("/api/v1/ws/26/jobs/42/runs/7001/status"), 404, TitleJobRunNotFound)
}

func TestJobRunWithoutReview(t *testing.T) {
	h := newHarness(t, Options{AsyncExportDelay: -1})
	_, run := startRun(t, h, "finance", "43", nil)
	if st := runStatus(t, h, run); st != (runStatusJSON{Finished: true, Entries: 5, Status: runCountersJSON{Completed: 5}}) {
		t.Fatalf("status %+v", st)
	}
	expectProblem(t, h.post(run+"/generate-review-document", nil), 409, TitleNoReviewPending)
	expectStatus(t, h.post(run+"/deliver", nil), 200)
	d := h.srv.Deliveries()
	if len(d) != 1 || d[0].Workspace != 26 || d[0].JobCode != "monthly-statements" || len(d[0].Recipients) != 5 {
		t.Fatalf("deliveries %+v", d)
	}
	// Deliveries returns a copy.
	d[0].Recipients[0] = "changed"
	if h.srv.Deliveries()[0].Recipients[0] == "changed" {
		t.Fatal("Deliveries shares memory")
	}
}

func TestJobErrors(t *testing.T) {
	h := newHarness(t, Options{AsyncExportDelay: -1})
	expectProblem(t, h.post("/api/v1/ws/1/jobs/nope/runs", nil), 404, TitleJobNotFound)
	expectProblem(t, h.post("/api/v1/ws/72/jobs/42/runs", nil), 404, TitleJobNotFound)
	expectProblem(t, h.post("/api/v1/ws/1/jobs/weekly-reminders/runs", nil), 409, TitleJobInactive)
	expectProblem(t, h.get("/api/v1/ws/1/jobs/42/runs/9999/status"), 404, TitleJobRunNotFound)
	expectProblem(t, h.get("/api/v1/ws/1/jobs/42/runs/x/status"), 404, TitleJobRunNotFound)
	expectProblem(t, h.post("/api/v1/ws/1/jobs/42/runs", `{"params":[1]}`), 400, ValidationTitle)
	expectProblem(t, h.post("/api/v1/ws/1/jobs/42/runs", `{`), 400, ValidationTitle)
	// params {"fail": true} fails every entry.
	_, run := startRun(t, h, "1", "daily-invoices", map[string]any{"params": map[string]any{"fail": true}})
	if st := runStatus(t, h, run); st != (runStatusJSON{Finished: true, Entries: 3, Status: runCountersJSON{Errors: 3}}) {
		t.Fatalf("failed run %+v", st)
	}
	expectProblem(t, h.post(run+"/generate-review-document", nil), 409, TitleNoReviewPending)
	expectProblem(t, h.post(run+"/deliver", nil), 409, TitleRunFailed)
	if len(h.srv.Deliveries()) != 0 {
		t.Fatal("failed run delivered")
	}
}

func TestConcurrentDeliverRecordsOnce(t *testing.T) {
	h := newHarness(t, Options{AsyncExportDelay: -1})
	_, run := startRun(t, h, "1", "42", nil)
	var wg sync.WaitGroup
	codes := make(chan int, 20)
	for range 20 {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", h.ts.URL+run+"/deliver", nil)
			req.Header.Set("Authorization", "Bearer "+DefaultToken)
			resp, err := h.ts.Client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			resp.Body.Close()
			codes <- resp.StatusCode
		})
	}
	wg.Wait()
	close(codes)
	ok := 0
	for c := range codes {
		if c == 200 {
			ok++
		} else if c != 409 {
			t.Fatalf("status %d", c)
		}
	}
	if ok != 1 || len(h.srv.Deliveries()) != 1 {
		t.Fatalf("%d successful delivers, %d recorded", ok, len(h.srv.Deliveries()))
	}
}
