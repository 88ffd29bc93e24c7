package sandbox

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func startExport(t *testing.T, h *harness, path string, body any) int64 {
	t.Helper()
	r := h.post(path, body)
	expectStatus(t, r, 202)
	var out map[string]int64
	r.json(t, &out)
	if len(out) != 1 || out["temporaryFileId"] == 0 {
		t.Fatalf("E7 answer %s", r.body)
	}
	return out["temporaryFileId"]
}

func exportStatus(t *testing.T, h *harness, ws string, id int64) map[string]any {
	t.Helper()
	r := h.get("/api/v1/ws/" + ws + "/exports/" + itoa(id) + "/status")
	expectStatus(t, r, 200)
	var st map[string]any
	r.json(t, &st)
	for _, k := range []string{"id", "status", "isReady", "errorMessage", "expiryTime", "name", "contentSize", "contentType"} {
		if _, ok := st[k]; !ok {
			t.Fatalf("status lacks %q: %s", k, r.body)
		}
	}
	return st
}

func TestAsyncExportLifecycle(t *testing.T) {
	h := newHarness(t)
	id := startExport(t, h, "/api/v1/ws/demo/reports/1627/export", map[string]any{"params": map[string]any{"month": "2026-03"}, "timezone": "UTC"})
	if id != 5001 {
		t.Fatalf("first temporaryFileId %d", id)
	}
	st := exportStatus(t, h, "demo", id)
	if st["status"] != StatusInProgress || st["isReady"] != false || st["id"] != 5001.0 || st["name"] != "Invoice.pdf" ||
		st["contentSize"] != nil || st["errorMessage"] != nil || st["expiryTime"] != "2026-03-15T11:00:01Z" {
		t.Fatalf("in progress: %v", st)
	}
	expectProblem(t, h.get("/api/v1/ws/demo/exports/5001/content"), 409, TitleExportNotReady)

	h.clock.Advance(DefaultAsyncExportDelay)
	st = exportStatus(t, h, "1", id)
	if st["status"] != StatusCompleted || st["isReady"] != true || st["contentType"] != "application/pdf" {
		t.Fatalf("completed: %v", st)
	}
	r := h.get("/api/v1/ws/1/exports/5001/content")
	expectStatus(t, r, 200)
	if st["contentSize"] != float64(len(r.body)) || r.Header.Get("Content-Type") != "application/pdf" ||
		r.Header.Get("Content-Disposition") != `attachment; filename="Invoice.pdf"; filename*=UTF-8''Invoice.pdf` {
		t.Fatalf("content: size %v/%d, headers %v", st["contentSize"], len(r.body), r.Header)
	}
	sync := h.post(invoicePDF, map[string]any{"params": map[string]any{"month": "2026-03"}, "timezone": "UTC"})
	if !bytes.Equal(sync.body, r.body) {
		t.Fatal("async content differs from POST pdf")
	}
	// Downloadable again until it expires an hour after it was ready.
	h.clock.Advance(ExportTTL - time.Second)
	expectStatus(t, h.get("/api/v1/ws/1/exports/5001/content"), 200)
	h.clock.Advance(time.Second)
	expectProblem(t, h.get("/api/v1/ws/1/exports/5001/status"), 404, TitleExportNotFound)
	expectProblem(t, h.get("/api/v1/ws/1/exports/5001/content"), 404, TitleExportNotFound)
}

func TestAsyncExportOptions(t *testing.T) {
	h := newHarness(t)
	h.srv.SetAsyncExportDelay(0)
	td := pushTemp(t, h, "1", map[string]any{"content": map[string]any{"fromTemp": "yes"}})
	id := startExport(t, h, "/api/v1/ws/1/reports/invoice/export", map[string]any{"format": 2, "tempDataId": td.TempDataID})
	st := exportStatus(t, h, "1", id)
	if st["status"] != StatusCompleted || st["name"] != "Invoice.xlsx" || !strings.Contains(st["contentType"].(string), "spreadsheetml") {
		t.Fatalf("xlsx export: %v", st)
	}
	_, text := readZip(t, h.get("/api/v1/ws/1/exports/"+itoa(id)+"/content").body)
	if !strings.Contains(text, "fromTemp: yes") {
		t.Fatal("tempDataId ignored by E7")
	}
	// excludePages takes 1-based positions of E4's pages, or page ids.
	full := startExport(t, h, invoiceExport, map[string]any{})
	noItems := startExport(t, h, invoiceExport, map[string]any{"excludePages": []int{2}})
	byID := startExport(t, h, invoiceExport, map[string]any{"excludePages": []int{16272}})
	onlyTerms := startExport(t, h, invoiceExport, map[string]any{"excludePages": []int{1, 2, 99}})
	pdf := func(id int64) []byte { return h.get("/api/v1/ws/1/exports/" + itoa(id) + "/content").body }
	if n := pdfPageCount(pdf(full)); n != 3 {
		t.Fatalf("full: %d pages", n)
	}
	if n := pdfPageCount(pdf(noItems)); n != 2 {
		t.Fatalf("excludePages [2]: %d pages", n)
	}
	if !bytes.Equal(pdf(noItems), pdf(byID)) {
		t.Fatal("page id and page number exclude differently")
	}
	text = pdftotext(t, pdf(onlyTerms))
	if strings.Contains(text, "Parameters") || strings.Contains(text, "Product 1") || !strings.Contains(text, "Payment is due") {
		t.Fatalf("only terms:\n%s", text)
	}
	p := expectProblem(t, h.post(invoiceExport, map[string]any{"excludePages": []int{1, 2, 3}}), 400, ValidationTitle)
	if len(p.Errors["excludePages"]) != 1 {
		t.Fatalf("problem %+v", p)
	}
	for body, field := range map[string]string{
		`{"excludePages":"2"}`:   "excludePages",
		`{"excludePages":[-1]}`:  "excludePages",
		`{"excludePages":["a"]}`: "excludePages",
		`{"tempDataId":"x"}`:     "tempDataId",
		`{"format":"webp"}`:      "format",
	} {
		p := expectProblem(t, h.post(invoiceExport, body), 400, ValidationTitle)
		if len(p.Errors[field]) != 1 {
			t.Errorf("%s: %v", body, p.Errors)
		}
	}
	expectProblem(t, h.post(invoiceExport, map[string]any{"tempDataId": 999}), 404, TitleTempDataNotFound)
	expectProblem(t, h.post("/api/v1/ws/1/reports/424242/export", nil), 404, TitleReportNotFound)
}

const invoiceExport = "/api/v1/ws/1/reports/1627/export"

func TestAsyncExportFailed(t *testing.T) {
	h := newHarness(t)
	for _, tc := range []struct {
		path string
		body any
	}{
		{"/api/v1/ws/1/reports/failing/export", nil},
		{invoiceExport, map[string]any{"params": map[string]any{"fail": true}}},
	} {
		id := startExport(t, h, tc.path, tc.body)
		if st := exportStatus(t, h, "1", id); st["status"] != StatusInProgress {
			t.Fatalf("failing export starts %v", st["status"])
		}
		h.clock.Advance(time.Second)
		st := exportStatus(t, h, "1", id)
		msg, _ := st["errorMessage"].(string)
		if st["status"] != StatusFailed || st["isReady"] != false || !strings.HasPrefix(msg, "Rendering failed: ") || st["contentSize"] != nil {
			t.Fatalf("failed export: %v", st)
		}
		p := expectProblem(t, h.get("/api/v1/ws/1/exports/"+itoa(id)+"/content"), 409, TitleExportFailed)
		if p.Detail != msg {
			t.Fatalf("detail %q", p.Detail)
		}
	}
}

func TestExportNotFound(t *testing.T) {
	h := newHarness(t)
	id := startExport(t, h, invoiceExport, nil)
	for _, path := range []string{
		"/api/v1/ws/1/exports/999/status", "/api/v1/ws/1/exports/abc/content", "/api/v1/ws/1/exports/-1/status",
		"/api/v1/ws/26/exports/" + itoa(id) + "/status", // another workspace
	} {
		expectProblem(t, h.get(path), 404, TitleExportNotFound)
	}
	expectProblem(t, h.req("GET", "/api/v1/ws/1/exports/"+itoa(id)+"/status", DefaultLimitedToken, nil), 403, "Forbidden")
}

func TestAsyncDelayOption(t *testing.T) {
	h := newHarness(t, Options{AsyncExportDelay: 10 * time.Second})
	id := startExport(t, h, invoiceExport, nil)
	h.clock.Advance(9 * time.Second)
	if st := exportStatus(t, h, "1", id); st["status"] != StatusInProgress {
		t.Fatal("ready too early")
	}
	h.clock.Advance(time.Second)
	if st := exportStatus(t, h, "1", id); st["status"] != StatusCompleted {
		t.Fatal("not ready after the delay")
	}
	// A later change applies to new exports only.
	h.srv.SetAsyncExportDelay(time.Minute)
	id2 := startExport(t, h, invoiceExport, nil)
	h.clock.Advance(10 * time.Second)
	if st := exportStatus(t, h, "1", id2); st["status"] != StatusInProgress {
		t.Fatal("new delay not applied")
	}
	h.srv.SetAsyncExportDelay(-time.Second) // negative means none
	id3 := startExport(t, h, invoiceExport, nil)
	if st := exportStatus(t, h, "1", id3); st["status"] != StatusCompleted {
		t.Fatal("negative delay not immediate")
	}
}
