package sandbox

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

func TestWorkspaces(t *testing.T) {
	h := newHarness(t)
	r := h.get("/api/v1/workspaces")
	expectStatus(t, r, 200)
	if ct := r.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Fatalf("Content-Type %q", ct)
	}
	want := `[{"id":1,"name":"Demo","description":"Sample reports for trying cxreports-mcp","code":"demo"},` +
		`{"id":26,"name":"Finance","description":null,"code":"finance"},` +
		`{"id":72,"name":"Master","description":"Examples of the vendor's master tenant","code":"master"}]`
	if string(r.body) != want {
		t.Fatalf("workspaces:\n%s\nwant\n%s", r.body, want)
	}
	r = h.req("GET", "/api/v1/workspaces", DefaultLimitedToken, nil)
	expectStatus(t, r, 200)
	if string(r.body) != `[{"id":26,"name":"Finance","description":null,"code":"finance"}]` {
		t.Fatalf("limited workspaces: %s", r.body)
	}
}

func TestCustomTokens(t *testing.T) {
	h := newHarness(t, Options{Token: "main-x", LimitedToken: "lim-y"})
	expectStatus(t, h.req("GET", "/api/v1/workspaces", "main-x", nil), 200)
	expectProblem(t, h.req("GET", "/api/v1/workspaces", DefaultToken, nil), 401, "Unauthorized")
	expectProblem(t, h.req("GET", "/api/v1/ws/1/reports", "lim-y", nil), 403, "Forbidden")
}

func TestAuthentication(t *testing.T) {
	h := newHarness(t)
	for name, hdr := range map[string]string{
		"missing": "", "wrong token": "Bearer nope", "basic scheme": "Basic c2FuZGJveC10b2tlbg==", "empty bearer": "Bearer ",
	} {
		t.Run(name, func(t *testing.T) {
			var r response
			if hdr == "" {
				r = h.req("GET", "/api/v1/workspaces", "", nil)
			} else {
				r = h.req("GET", "/api/v1/workspaces", "", nil, "Authorization", hdr)
			}
			p := expectProblem(t, r, 401, "Unauthorized")
			if p.Type != "https://tools.ietf.org/html/rfc9110#section-15.5.2" || p.Detail == "" {
				t.Fatalf("problem %+v", p)
			}
			if !strings.HasPrefix(r.Header.Get("WWW-Authenticate"), "Bearer") {
				t.Fatalf("WWW-Authenticate %q", r.Header.Get("WWW-Authenticate"))
			}
		})
	}
	// The scheme is case-insensitive.
	expectStatus(t, h.req("GET", "/api/v1/workspaces", "", nil, "Authorization", "bearer "+DefaultToken), 200)
	// Every API route needs the token, including unknown workspaces.
	for _, route := range Routes() {
		if route == RoutePreview {
			continue
		}
		method, path, _ := strings.Cut(string(route), " ")
		path = strings.NewReplacer("{ws}", "1", "{report}", "1627", "{file}", "5001", "{job}", "42", "{run}", "7001").Replace(path)
		expectProblem(t, h.req(method, path, "", nil), 401, "Unauthorized")
	}
}

func TestLimitedUser(t *testing.T) {
	h := newHarness(t)
	lim := func(method, path string) response { return h.req(method, path, DefaultLimitedToken, nil) }
	expectStatus(t, lim("GET", "/api/v1/ws/26/reports"), 200)
	expectStatus(t, lim("GET", "/api/v1/ws/finance/report-types"), 200)
	for _, path := range []string{"/api/v1/ws/1/reports", "/api/v1/ws/demo/report-types", "/api/v1/ws/72/reports/497/pdf",
		"/api/v1/ws/master/jobs", "/api/v1/ws/1/themes"} {
		expectProblem(t, lim("GET", path), 403, "Forbidden")
	}
	expectProblem(t, lim("POST", "/api/v1/ws/1/temporary-data"), 403, "Forbidden")
	// Access is checked before the body is read.
	expectProblem(t, h.req("POST", "/api/v1/ws/1/reports/1627/pdf", DefaultLimitedToken, "{bad"), 403, "Forbidden")
	expectProblem(t, h.req("POST", "/api/v1/ws/1/reports/1627/export", DefaultLimitedToken, "{bad"), 403, "Forbidden")
	// Unknown workspaces are 404 for everybody.
	expectProblem(t, lim("GET", "/api/v1/ws/999/reports"), 404, TitleWorkspaceNotFound)
	// Nonces are not workspace-scoped.
	expectStatus(t, lim("POST", "/api/v1/nonce-tokens"), 200)
}

func TestReportTypes(t *testing.T) {
	h := newHarness(t)
	r := h.get("/api/v1/ws/demo/report-types")
	expectStatus(t, r, 200)
	var raw []map[string]any
	r.json(t, &raw)
	var codes []string
	for _, rt := range raw {
		for _, k := range []string{"id", "name", "description", "code", "defaultReportId", "defaultReportName"} {
			if _, ok := rt[k]; !ok {
				t.Fatalf("report type %v lacks %q", rt, k)
			}
		}
		codes = append(codes, rt["code"].(string))
	}
	want := []string{"invoice", "bank-statement", "sales-summary", "other", "showcase", "large-document", "failing"}
	if !slices.Equal(codes, want) {
		t.Fatalf("codes %v, want %v", codes, want)
	}
	if raw[0]["id"] != 101.0 || raw[0]["name"] != "Invoice" || raw[0]["defaultReportId"] != 1627.0 || raw[0]["defaultReportName"] != "Invoice" {
		t.Fatalf("invoice type %v", raw[0])
	}
	if raw[3]["description"] != nil || raw[3]["name"] != "Miscellaneous" {
		t.Fatalf("other type %v", raw[3])
	}
	r = h.get("/api/v1/ws/26/report-types")
	r.json(t, &raw)
	if len(raw) != 5 || raw[4]["code"] != "showcase" || raw[4]["defaultReportId"] != 160.0 {
		t.Fatalf("finance types %v", raw)
	}
}

func reportIDs(t *testing.T, r response) []int64 {
	t.Helper()
	expectStatus(t, r, 200)
	var reps []struct{ ID int64 }
	r.json(t, &reps)
	ids := []int64{}
	for _, rep := range reps {
		ids = append(ids, rep.ID)
	}
	return ids
}

func TestReports(t *testing.T) {
	h := newHarness(t)
	all := []int64{1627, 1628, 1629, 1630, 1631, 1632, 1633, 1634, 1635, 9001, 9002}
	for _, q := range []string{"", "?type=", "?type=&offset=&limit=", "?limit=0"} {
		if got := reportIDs(t, h.get("/api/v1/ws/demo/reports"+q)); !slices.Equal(got, all) {
			t.Fatalf("reports%s = %v", q, got)
		}
	}
	cases := map[string][]int64{
		"?type=invoice":                  {1627, 1629, 1630},
		"?type=INVOICE":                  {1627, 1629, 1630},
		"?type=sales-summary":            {1631, 1632},
		"?type=nope":                     {},
		"?offset=2&limit=3":              {1629, 1630, 1631},
		"?limit=2":                       {1627, 1628},
		"?offset=10":                     {9002},
		"?offset=50":                     {},
		"?type=invoice&offset=1&limit=1": {1629},
	}
	for q, want := range cases {
		if got := reportIDs(t, h.get("/api/v1/ws/1/reports"+q)); !slices.Equal(got, want) {
			t.Errorf("reports%s = %v, want %v", q, got, want)
		}
	}
	if got := reportIDs(t, h.get("/api/v1/ws/finance/reports")); !slices.Equal(got, []int64{149, 160, 161, 162, 163}) {
		t.Fatalf("finance reports %v", got)
	}
	if got := reportIDs(t, h.get("/api/v1/ws/72/reports?type=invoice")); !slices.Equal(got, []int64{497}) {
		t.Fatalf("master invoices %v", got)
	}
	for _, q := range []string{"?offset=-1", "?limit=x", "?offset=1.5"} {
		expectProblem(t, h.get("/api/v1/ws/1/reports"+q), 400, ValidationTitle)
	}
	p := expectProblem(t, h.get("/api/v1/ws/1/reports?limit=abc"), 400, ValidationTitle)
	if len(p.Errors["limit"]) != 1 || !strings.HasPrefix(p.Detail, "limit: ") {
		t.Fatalf("problem %+v", p)
	}

	r := h.get("/api/v1/ws/1/reports?type=invoice&limit=1")
	want := `[{"id":1627,"name":"Invoice","reportTypeId":101,"reportTypeName":"Invoice","reportTemplateName":"Default",` +
		`"previewImage":null,"themeName":"Corporate","isDefault":true}]`
	if string(r.body) != want {
		t.Fatalf("report JSON\n%s\nwant\n%s", r.body, want)
	}
}

func TestPages(t *testing.T) {
	h := newHarness(t)
	r := h.get("/api/v1/ws/demo/reports/1627/pages")
	expectStatus(t, r, 200)
	want := `[{"id":16271,"name":"Summary","type":"page"},{"id":16272,"name":"Items","type":"page"},{"id":16273,"name":"Terms","type":"subreport"}]`
	if string(r.body) != want {
		t.Fatalf("pages %s", r.body)
	}
	r = h.get("/api/v1/ws/1/reports/showcase/pages")
	var pages []pageJSON
	r.json(t, &pages)
	if len(pages) != 3 || pages[2].Type != "document-merge" {
		t.Fatalf("showcase pages %+v", pages)
	}
	for _, rep := range seed().reports {
		for _, p := range rep.Pages {
			if p.Type != "page" && p.Type != "subreport" && p.Type != "document-merge" {
				t.Fatalf("report %d page %d type %q", rep.ID, p.ID, p.Type)
			}
		}
	}
}

func TestThemesAndTemplates(t *testing.T) {
	h := newHarness(t)
	r := h.get("/api/v1/ws/demo/themes")
	expectStatus(t, r, 200)
	if string(r.body) != `[{"id":3,"code":"corporate","name":"Corporate"},{"id":4,"code":"plain","name":"Plain"}]` {
		t.Fatalf("themes %s", r.body)
	}
	r = h.get("/api/v1/ws/26/templates")
	expectStatus(t, r, 200)
	if string(r.body) != `[{"id":2,"code":"default","name":"Default"},{"id":5,"code":"compact","name":"Compact"}]` {
		t.Fatalf("templates %s", r.body)
	}
	expectProblem(t, h.get("/api/v1/ws/nope/themes"), 404, TitleWorkspaceNotFound)
}

func TestIdentifiersAndEscaping(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{
		"/api/v1/ws/1/reports/1627/pages",
		"/api/v1/ws/demo/reports/1627/pages",
		"/api/v1/ws/DEMO/reports/invoice/pages",
		"/api/v1/ws/%64emo/reports/%69nvoice/pages",
		"/api/v1/ws/%31/reports/%31627/pages",
		"/api/v1/ws/demo/reports/Invoice/pages",
	} {
		r := h.get(path)
		expectStatus(t, r, 200)
		if !strings.Contains(string(r.body), `"id":16271`) {
			t.Fatalf("%s: %s", path, r.body)
		}
	}
	expectProblem(t, h.get("/api/v1/ws/nope/reports"), 404, TitleWorkspaceNotFound)
	expectProblem(t, h.get("/api/v1/ws/with%2Fslash/reports"), 404, TitleWorkspaceNotFound)
	expectProblem(t, h.get("/api/v1/ws/1/reports/999999/pages"), 404, TitleReportNotFound)
	expectProblem(t, h.get("/api/v1/ws/1/reports/160/pages"), 404, TitleReportNotFound) // 160 lives in ws 26
	expectProblem(t, h.get("/api/v1/ws/1/reports/no-such-type/pages"), 404, TitleReportTypeNotFound)
	expectProblem(t, h.get("/api/v1/ws/26/reports/large-document/pdf"), 404, TitleReportTypeNotFound)
	p := expectProblem(t, h.get("/api/v1/ws/1/reports/999999/pdf"), 404, TitleReportNotFound)
	if p.Instance != "/api/v1/ws/1/reports/999999/pdf" {
		t.Fatalf("instance %q", p.Instance)
	}
}

func TestUnknownRoutesAndMethods(t *testing.T) {
	h := newHarness(t)
	for _, path := range []string{"/api/v1/nope", "/api/v1/ws/1/unknown", "/api/v1/workspaces/1", "/api/v1/"} {
		expectProblem(t, h.get(path), 404, TitleNotFound)
	}
	r := h.req("DELETE", "/api/v1/workspaces", DefaultToken, nil)
	expectProblem(t, r, 405, "Method Not Allowed")
	if r.Header.Get("Allow") != "GET" {
		t.Fatalf("Allow %q", r.Header.Get("Allow"))
	}
	r = h.req("PUT", "/api/v1/ws/1/reports/1627/pdf", DefaultToken, nil)
	expectProblem(t, r, 405, "Method Not Allowed")
	if r.Header.Get("Allow") != "GET, POST" {
		t.Fatalf("Allow %q", r.Header.Get("Allow"))
	}
	expectProblem(t, h.get("/api/v1/nonce-tokens"), 405, "Method Not Allowed")
	// Nothing under /api/v1 is HTML.
	for _, path := range []string{"/api/v1/nope", "/api/v1/workspaces"} {
		if ct := h.req("GET", path, "", nil).Header.Get("Content-Type"); strings.Contains(ct, "html") {
			t.Fatalf("%s answered %s", path, ct)
		}
	}
	r = h.req("GET", "/", "", nil)
	expectStatus(t, r, 200)
	if !strings.Contains(string(r.body), "CxReports sandbox") {
		t.Fatalf("index %s", r.body)
	}
}

// TestStatusCodesNeverCreatedOrNoContent walks every endpoint once and
// checks the success codes: 202 for E7, 200 everywhere else.
func TestStatusCodesNeverCreatedOrNoContent(t *testing.T) {
	h := newHarness(t, Options{AsyncExportDelay: -1})
	codes := map[string]int{}
	check := func(name string, r response, want int) {
		t.Helper()
		codes[name] = r.StatusCode
		if r.StatusCode != want {
			t.Fatalf("%s: %d, want %d: %s", name, r.StatusCode, want, truncate(r.body))
		}
	}
	check("E1", h.get("/api/v1/workspaces"), 200)
	check("E2", h.get("/api/v1/ws/1/report-types"), 200)
	check("E3", h.get("/api/v1/ws/1/reports"), 200)
	check("E4", h.get("/api/v1/ws/1/reports/1627/pages"), 200)
	check("E5", h.get("/api/v1/ws/1/reports/1627/pdf"), 200)
	check("E6", h.post("/api/v1/ws/1/reports/1627/pdf", map[string]any{}), 200)
	r := h.post("/api/v1/ws/1/reports/1627/export", map[string]any{})
	check("E7", r, 202)
	var started struct{ TemporaryFileID int64 }
	r.json(t, &started)
	check("E8", h.get("/api/v1/ws/1/exports/"+itoa(started.TemporaryFileID)+"/status"), 200)
	check("E9", h.get("/api/v1/ws/1/exports/"+itoa(started.TemporaryFileID)+"/content"), 200)
	check("E10", h.post("/api/v1/ws/1/temporary-data", map[string]any{"content": map[string]any{}}), 200)
	check("E11", h.post("/api/v1/nonce-tokens", nil), 200)
	check("E12", h.get("/api/v1/ws/1/themes"), 200)
	check("E13", h.get("/api/v1/ws/1/templates"), 200)
	check("E14", h.get("/api/v1/ws/1/jobs"), 200)
	r = h.post("/api/v1/ws/1/jobs/42/runs", map[string]any{})
	check("E15", r, 200)
	var run struct{ JobRunID int64 }
	r.json(t, &run)
	runPath := "/api/v1/ws/1/jobs/42/runs/" + itoa(run.JobRunID)
	check("E16", h.get(runPath+"/status"), 200)
	check("E17", h.post(runPath+"/generate-review-document", nil), 200)
	r = h.post(runPath+"/deliver", nil)
	check("E18", r, 200)
	if string(r.body) != "{}" {
		t.Fatalf("deliver body %q", r.body)
	}
	check("P1", h.req("GET", "/ws/1/reports/1627/preview", DefaultToken, nil), 200)
	if len(codes) != 19 {
		t.Fatalf("covered %d endpoints", len(codes))
	}
}

func itoa(n int64) string { b, _ := json.Marshal(n); return string(b) }

func TestSeedConsistency(t *testing.T) {
	d := seed()
	ids := map[int64]bool{}
	for _, r := range d.reports {
		if ids[r.ID] {
			t.Fatalf("duplicate report id %d", r.ID)
		}
		ids[r.ID] = true
		if d.reportType(r.WorkspaceID, r.TypeCode) == nil {
			t.Fatalf("report %d: type %q missing in ws %d", r.ID, r.TypeCode, r.WorkspaceID)
		}
		if len(r.Pages) == 0 {
			t.Fatalf("report %d has no pages", r.ID)
		}
		if r.Data != nil && !json.Valid(r.Data.Example) {
			t.Fatalf("report %d: bad data example", r.ID)
		}
	}
	for _, rt := range d.types {
		def := d.reportByID(rt.DefaultReportID)
		if def == nil || def.WorkspaceID != rt.WorkspaceID || def.TypeCode != rt.Code || !def.IsDefault {
			t.Fatalf("type %d (%s): bad default report %d", rt.ID, rt.Code, rt.DefaultReportID)
		}
	}
	for _, j := range d.jobs {
		if rep := d.reportByID(j.ReportID); rep == nil || rep.WorkspaceID != j.WorkspaceID {
			t.Fatalf("job %s in ws %d: bad report %d", j.Code, j.WorkspaceID, j.ReportID)
		}
	}
	_ = http.StatusOK
}
