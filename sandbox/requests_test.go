package sandbox

import (
	"fmt"
	"net/http/httptest"
	"strings"
	"testing"
)

func newRecorder() *httptest.ResponseRecorder { return httptest.NewRecorder() }

func TestRequestsLog(t *testing.T) {
	h := newHarness(t, Options{Token: "secret-main-token"})
	h.req("GET", "/api/v1/ws/1/reports?type=invoice+x&limit=2", "secret-main-token", nil, "Accept", "application/json", "User-Agent", "test")
	h.req("POST", "/api/v1/ws/1/temporary-data", "secret-main-token", `{"content":{"a":1}}`)
	big := `{"content":"` + strings.Repeat("y", 70000) + `"}`
	r := h.req("POST", "/api/v1/ws/1/temporary-data", "secret-main-token", big)
	expectStatus(t, r, 200) // the handler still reads the whole body
	h.req("GET", "/ws/1/reports/1627/preview?nonce=abc", "", nil, "Cookie", "cxr_session=zzz")

	reqs := h.srv.Requests()
	if len(reqs) != 4 {
		t.Fatalf("%d requests", len(reqs))
	}
	a := reqs[0]
	if a.Method != "GET" || a.Path != "/api/v1/ws/1/reports" || a.RawQuery != "type=invoice+x&limit=2" || !a.HasAuthorization ||
		a.Header.Get("Accept") != "application/json" || a.Header.Get("User-Agent") != "test" || !a.At.Equal(h.clock.Now()) {
		t.Fatalf("request %+v", a)
	}
	if string(reqs[1].Body) != `{"content":{"a":1}}` || reqs[1].BodyTruncated || reqs[1].Header.Get("Content-Type") != "application/json" {
		t.Fatalf("body %q", reqs[1].Body)
	}
	if len(reqs[2].Body) != maxRecordedBody || !reqs[2].BodyTruncated {
		t.Fatalf("big body recorded %d bytes", len(reqs[2].Body))
	}
	if reqs[3].HasAuthorization || !reqs[3].HasCookie {
		t.Fatalf("preview request %+v", reqs[3])
	}
	if dump := fmt.Sprintf("%+v", reqs); strings.Contains(dump, "secret-main-token") || strings.Contains(dump, "zzz") {
		t.Fatal("a credential leaked into the request log")
	}
}

func TestRequestsLogIsBounded(t *testing.T) {
	srv := New(Options{})
	for i := range maxRecordedRequests + 10 {
		r := httptest.NewRequest("GET", fmt.Sprintf("/api/v1/workspaces?i=%d", i), nil)
		srv.ServeHTTP(httptest.NewRecorder(), r)
	}
	reqs := srv.Requests()
	last := fmt.Sprintf("i=%d", maxRecordedRequests+9)
	if len(reqs) != maxRecordedRequests || reqs[0].RawQuery != "i=10" || reqs[len(reqs)-1].RawQuery != last {
		t.Fatalf("%d requests, first %q, last %q", len(reqs), reqs[0].RawQuery, reqs[len(reqs)-1].RawQuery)
	}
	for i, r := range reqs {
		if want := fmt.Sprintf("i=%d", i+10); r.RawQuery != want {
			t.Fatalf("request %d is %q, want %q (oldest first)", i, r.RawQuery, want)
		}
	}
}
