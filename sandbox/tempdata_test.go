package sandbox

import (
	"bytes"
	"net/url"
	"strings"
	"testing"
	"time"
)

type tempDataResp struct {
	TempDataID int64
	ExpiryDate string
}

func pushTemp(t *testing.T, h *harness, ws string, body any) tempDataResp {
	t.Helper()
	r := h.post("/api/v1/ws/"+ws+"/temporary-data", body)
	expectStatus(t, r, 200)
	var out tempDataResp
	r.json(t, &out)
	return out
}

func TestTemporaryData(t *testing.T) {
	h := newHarness(t)
	content := `{"invoice":{"invoiceNumber":"T-1","items":[{"name":"Widget","quantity":2,"price":5}]}}`
	asObject := pushTemp(t, h, "demo", `{"content":`+content+`}`)
	asString := pushTemp(t, h, "1", map[string]any{"content": content, "expiryDate": nil})
	if asObject.TempDataID != 1001 || asString.TempDataID != 1002 {
		t.Fatalf("ids %d %d", asObject.TempDataID, asString.TempDataID)
	}
	wantExpiry := h.clock.Now().Add(time.Hour).Format(time.RFC3339)
	if asObject.ExpiryDate != wantExpiry || asString.ExpiryDate != "2026-03-15T11:00:00Z" {
		t.Fatalf("expiry %q %q, want %q", asObject.ExpiryDate, asString.ExpiryDate, wantExpiry)
	}
	a := h.get(invoicePDF + "?tempDataId=1001")
	b := h.get(invoicePDF + "?tempDataId=1002")
	legacy := h.get(invoicePDF + "?tmpDataId=1002")
	expectStatus(t, a, 200)
	if !bytes.Equal(b.body, legacy.body) {
		t.Fatal("tmpDataId and tempDataId render differently")
	}
	text := pdftotext(t, a.body)
	if strings.ReplaceAll(pdftotext(t, b.body), "temporary data 1002", "temporary data 1001") != text {
		t.Fatal("content as object and as JSON string render differently")
	}
	if !strings.Contains(text, "Source: temporary data 1001") || !strings.Contains(text, "invoiceNumber: T-1") || !strings.Contains(text, "Widget") {
		t.Fatalf("temp data not rendered:\n%s", text)
	}
	// Inline data merges over temporary data.
	m := h.get(invoicePDF + "?tempDataId=1001&data=" + url.QueryEscape(`{"extra":"yes"}`))
	if text := pdftotext(t, m.body); !strings.Contains(text, "Source: temporary data 1001 + inline data") || !strings.Contains(text, "extra: yes") ||
		!strings.Contains(text, "invoiceNumber: T-1") {
		t.Fatalf("merge:\n%s", text)
	}
	// Other workspaces cannot use it.
	expectProblem(t, h.get("/api/v1/ws/26/reports/161/pdf?tempDataId=1001"), 404, TitleTempDataNotFound)
	expectProblem(t, h.get(invoicePDF+"?tempDataId=4242"), 404, TitleTempDataNotFound)

	// A string that is not JSON stays a string.
	s := pushTemp(t, h, "1", map[string]any{"content": "plain words"})
	if text := pdftotext(t, h.get(invoicePDF+"?tempDataId="+itoa(s.TempDataID)).body); !strings.Contains(text, "plain words") {
		t.Fatalf("string content:\n%s", text)
	}
}

func TestTemporaryDataExpiry(t *testing.T) {
	h := newHarness(t)
	def := pushTemp(t, h, "1", map[string]any{"content": map[string]any{"a": 1}})
	custom := pushTemp(t, h, "1", map[string]any{"content": map[string]any{"a": 2}, "expiryDate": "2026-03-15T10:10:00.000Z"})
	offset := pushTemp(t, h, "1", map[string]any{"content": map[string]any{"a": 3}, "expiryDate": "2026-03-16T12:00:00+02:00"})
	if custom.ExpiryDate != "2026-03-15T10:10:00Z" || offset.ExpiryDate != "2026-03-16T10:00:00Z" {
		t.Fatalf("expiry %q %q", custom.ExpiryDate, offset.ExpiryDate)
	}
	use := func(id int64) response { return h.get(invoicePDF + "?tempDataId=" + itoa(id)) }
	h.clock.Advance(9*time.Minute + 59*time.Second)
	expectStatus(t, use(custom.TempDataID), 200)
	h.clock.Advance(time.Second)
	p := expectProblem(t, use(custom.TempDataID), 404, TitleTempDataNotFound)
	if !strings.Contains(p.Detail, "expired") {
		t.Fatalf("detail %q", p.Detail)
	}
	expectStatus(t, use(def.TempDataID), 200)
	h.clock.Advance(50 * time.Minute)
	expectProblem(t, use(def.TempDataID), 404, TitleTempDataNotFound)
	expectStatus(t, use(offset.TempDataID), 200)
	// Expired entries are swept when new data arrives.
	h.clock.Advance(48 * time.Hour)
	pushTemp(t, h, "1", map[string]any{"content": 1})
	h.srv.mu.Lock()
	n := len(h.srv.tempData)
	h.srv.mu.Unlock()
	if n != 1 {
		t.Fatalf("%d entries after sweep", n)
	}
}

func TestTemporaryDataErrors(t *testing.T) {
	h := newHarness(t)
	for body, field := range map[string]string{
		`{}`:                                    "content",
		``:                                      "content",
		`{"content":1,"expiryDate":"tomorrow"}`: "expiryDate",
		`{"content":1,"expiryDate":"2020-01-01T00:00:00Z"}`: "expiryDate",
		`{"content":1,"expiryDate":5}`:                      "expiryDate",
		`{"content":`:                                       "body",
		`"text"`:                                            "body",
	} {
		p := expectProblem(t, h.req("POST", "/api/v1/ws/1/temporary-data", DefaultToken, body), 400, ValidationTitle)
		if len(p.Errors[field]) != 1 {
			t.Errorf("%q: errors %v, want %s", body, p.Errors, field)
		}
	}
	expectProblem(t, h.post("/api/v1/ws/404/temporary-data", map[string]any{"content": 1}), 404, TitleWorkspaceNotFound)
	big := `{"content":"` + strings.Repeat("x", maxBody) + `"}`
	expectProblem(t, h.post("/api/v1/ws/1/temporary-data", big), 413, "Payload Too Large")
}
