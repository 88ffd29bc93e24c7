package cxapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func TestNewBaseURL(t *testing.T) {
	good := []struct{ in, want string }{
		{"https://tenant.cx-reports.app", "https://tenant.cx-reports.app"},
		{"https://tenant.cx-reports.app/", "https://tenant.cx-reports.app"},
		{"  http://localhost:8080/  ", "http://localhost:8080"},
		{"HTTPS://Tenant.example/cx/", "https://Tenant.example/cx"},
		{"http://example.com/a%20b", "http://example.com/a%20b"},
	}
	for _, tc := range good {
		c, err := New(Config{BaseURL: tc.in})
		if err != nil {
			t.Errorf("New(%q): %v", tc.in, err)
			continue
		}
		if got := c.BaseURL(); got != tc.want {
			t.Errorf("New(%q).BaseURL() = %q, want %q", tc.in, got, tc.want)
		}
	}
	bad := []struct{ in, want string }{
		{"", "base URL is empty"},
		{"tenant.cx-reports.app", "base URL must start with http:// or https://"},
		{"ftp://example.com", "base URL must start with http:// or https://"},
		{"http://", "base URL has no host"},
		{"https://user:secretpw@example.com", "must not contain a user name or password"},
		{"https://example.com/?x=1", "must not contain a query"},
		{"https://example.com/#frag", "must not contain a fragment"},
		{"https://example.com/api/v1/", "without /api/v1"},
		{"http://exa mple.com", "not a valid URL"},
	}
	for _, tc := range bad {
		_, err := New(Config{BaseURL: tc.in})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("New(%q) error = %v, want it to contain %q", tc.in, err, tc.want)
		}
		if err != nil && strings.Contains(err.Error(), "secretpw") {
			t.Errorf("New(%q) error leaks the password: %v", tc.in, err)
		}
	}
	for _, cfg := range []Config{
		{BaseURL: "http://x", Timeout: -1},
		{BaseURL: "http://x", MaxJSONBytes: -1},
		{BaseURL: "http://x", MaxDocumentBytes: -1},
		{BaseURL: "http://x", UserAgent: "a\nb"},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded, want an error", cfg)
		}
	}
}

func TestNewDefaults(t *testing.T) {
	c, err := New(Config{BaseURL: "http://x"})
	if err != nil {
		t.Fatal(err)
	}
	if c.timeout != 30*time.Second || c.maxRetries != 2 || c.maxJSON != 10<<20 || c.maxDoc != 1<<30 || c.userAgent != "cxreports-mcp" {
		t.Errorf("defaults: %+v", c)
	}
	if c.hc == nil || c.hc.Timeout != 0 {
		t.Errorf("default HTTP client must exist and have no overall Timeout")
	}
	c, _ = New(Config{BaseURL: "http://x", MaxRetries: -1})
	if c.maxRetries != 0 {
		t.Errorf("MaxRetries -1 gave %d retries", c.maxRetries)
	}
}

func TestWithTokenAndHash(t *testing.T) {
	c, err := New(Config{BaseURL: "http://x", Token: " first \n"})
	if err != nil {
		t.Fatal(err)
	}
	d := c.WithToken("second")
	if c.token != "first" || d.token != "second" {
		t.Fatalf("tokens: %q %q", c.token, d.token)
	}
	if c.hc != d.hc || d.BaseURL() != c.BaseURL() {
		t.Error("WithToken must share the HTTP client and settings")
	}
	h := c.TokenHash()
	if len(h) != 16 || h == d.TokenHash() || h != c.WithToken("first").TokenHash() {
		t.Errorf("TokenHash: %q vs %q", h, d.TokenHash())
	}
	// sha256("first") starts with a7937b64b8caa58f.
	if h != "a7937b64b8caa58f" {
		t.Errorf("TokenHash() = %q", h)
	}
	if strings.Contains(h, "first") || c.WithToken("").TokenHash() != "" {
		t.Error("TokenHash must not reveal the token; empty token gives \"\"")
	}
}

func TestNoTokenSendsNothing(t *testing.T) {
	f := newFake(t, jsonOK("[]"))
	c := newTestClient(t, f.URL, func(cfg *Config) { cfg.Token = "" })
	var buf bytes.Buffer
	errs := []error{
		func() error { _, err := c.ListWorkspaces(context.Background()); return err }(),
		func() error { _, err := c.CreateNonce(context.Background()); return err }(),
		func() error { _, err := c.DownloadPDF(context.Background(), "1", ReportByID(1), nil, &buf); return err }(),
		c.DeliverJobRun(context.Background(), "1", "j", 1),
	}
	for i, err := range errs {
		if !errors.Is(err, ErrNoToken) {
			t.Errorf("call %d: error = %v, want ErrNoToken", i, err)
		}
	}
	if _, err := c.WithToken("bad\ntoken").ListWorkspaces(context.Background()); !errors.Is(err, ErrInvalidArgument) || strings.Contains(err.Error(), "bad") {
		t.Errorf("token with a newline: %v", err)
	}
	if f.calls() != 0 {
		t.Errorf("%d requests sent without a token", f.calls())
	}
}

func TestInvalidArguments(t *testing.T) {
	f := newFake(t, jsonOK("[]"))
	c := newTestClient(t, f.URL, nil)
	ctx := context.Background()
	var buf bytes.Buffer
	errs := map[string]error{}
	_, errs["empty ws"] = c.ListReports(ctx, "", nil)
	_, errs["dotdot ws"] = c.ListThemes(ctx, "..")
	_, errs["negative limit"] = c.ListReports(ctx, "1", &ListReportsOptions{Limit: -1})
	_, errs["no report"] = c.ListReportPages(ctx, "1", ReportRef{})
	_, errs["both"] = c.ListReportPages(ctx, "1", ReportRef{ID: 1, TypeCode: "x"})
	_, errs["negative id"] = c.ListReportPages(ctx, "1", ReportByID(-3))
	_, errs["params array"] = c.DownloadPDF(ctx, "1", ReportByID(1), &ReportQuery{Params: json.RawMessage(`[1]`)}, &buf)
	_, errs["data invalid"] = c.Export(ctx, "1", ReportByID(1), &ExportRequest{Data: json.RawMessage(`{`)}, &buf)
	_, errs["nil writer"] = c.DownloadPDF(ctx, "1", ReportByID(1), nil, nil)
	_, errs["content null"] = c.PushTemporaryData(ctx, "1", json.RawMessage(`null`), nil)
	_, errs["content invalid"] = c.PushTemporaryData(ctx, "1", json.RawMessage(`{"a":`), nil)
	_, errs["job empty"] = c.StartJobRun(ctx, "1", "", nil, nil)
	_, errs["job params string"] = c.StartJobRun(ctx, "1", "j", json.RawMessage(`"x"`), nil)
	_, errs["run id"] = c.JobRunStatus(ctx, "1", "j", 0)
	_, errs["temp file id"] = c.ExportStatus(ctx, "1", -1)
	_, errs["preview"] = c.NewPreviewURL(ctx, "", ReportByID(1), nil)
	for name, err := range errs {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: error = %v, want ErrInvalidArgument", name, err)
		}
	}
	if f.calls() != 0 {
		t.Errorf("%d requests sent for invalid arguments", f.calls())
	}
}

// TestRequestShapes pins method, URI, headers and body of every endpoint.
func TestRequestShapes(t *testing.T) {
	ctx := context.Background()
	expiry := time.Date(2026, 5, 29, 12, 0, 0, 0, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		name     string
		handler  http.HandlerFunc
		call     func(c *Client) error
		method   string
		uri      string
		body     string // "" = no body and no Content-Type
		document bool
	}{
		{"E1 workspaces", jsonOK(`[]`), func(c *Client) error { _, err := c.ListWorkspaces(ctx); return err },
			"GET", "/api/v1/workspaces", "", false},
		{"E2 report types, escaped ws", jsonOK(`[]`), func(c *Client) error { _, err := c.ListReportTypes(ctx, "my ws"); return err },
			"GET", "/api/v1/ws/my%20ws/report-types", "", false},
		{"E3 reports with options", jsonOK(`[]`), func(c *Client) error {
			_, err := c.ListReports(ctx, "demo", &ListReportsOptions{Type: "invoice", Offset: 10, Limit: 5})
			return err
		}, "GET", "/api/v1/ws/demo/reports?type=invoice&offset=10&limit=5", "", false},
		{"E3 reports, slash in ws, no options", jsonOK(`[]`), func(c *Client) error { _, err := c.ListReports(ctx, "a/b", nil); return err },
			"GET", "/api/v1/ws/a%2Fb/reports", "", false},
		{"E3 reports, type with space", jsonOK(`[]`), func(c *Client) error {
			_, err := c.ListReports(ctx, "26", &ListReportsOptions{Type: "my type", Limit: 10})
			return err
		}, "GET", "/api/v1/ws/26/reports?type=my%20type&limit=10", "", false},
		{"E4 pages by type code", jsonOK(`[]`), func(c *Client) error { _, err := c.ListReportPages(ctx, "26", ReportByType("invoice")); return err },
			"GET", "/api/v1/ws/26/reports/invoice/pages", "", false},
		{"E5 pdf", pdfOK(samplePDF), func(c *Client) error {
			_, err := c.DownloadPDF(ctx, "demo", ReportByID(160), &ReportQuery{Params: json.RawMessage(`{ "a": 1 }`), Timezone: "Europe/Belgrade"}, &bytes.Buffer{})
			return err
		}, "GET", "/api/v1/ws/demo/reports/160/pdf?params=%7B%22a%22%3A1%7D&timezone=Europe%2FBelgrade", "", true},
		{"E6 export", pdfOK(samplePDF), func(c *Client) error {
			_, err := c.Export(ctx, "demo", ReportByID(160), &ExportRequest{Params: json.RawMessage(`{"a": 1}`), Data: json.RawMessage(`null`),
				Format: "pdf", IncludeAttachments: ptr(false), Theme: "corporate"}, &bytes.Buffer{})
			return err
		}, "POST", "/api/v1/ws/demo/reports/160/pdf", `{"params":{"a":1},"format":"pdf","theme":"corporate","includeAttachments":false}`, true},
		{"E6 export nil request", pdfOK(samplePDF), func(c *Client) error {
			_, err := c.Export(ctx, "demo", ReportByType("invoice"), nil, &bytes.Buffer{})
			return err
		}, "POST", "/api/v1/ws/demo/reports/invoice/pdf", `{}`, true},
		{"E7 start export", respond(202, "application/json", `{"temporaryFileId":55}`), func(c *Client) error {
			id, err := c.StartExport(ctx, "demo", ReportByID(160), &ExportRequest{Data: json.RawMessage(`{"x":"<&>"}`), ExcludePages: []int{2, 3}, TempDataID: 7})
			if err == nil && id != 55 {
				t.Errorf("StartExport id = %d", id)
			}
			return err
		}, "POST", "/api/v1/ws/demo/reports/160/export", `{"data":{"x":"<&>"},"excludePages":[2,3],"tempDataId":7}`, false},
		{"E8 export status", jsonOK(`{"id":55,"status":"Completed","isReady":true}`), func(c *Client) error { _, err := c.ExportStatus(ctx, "demo", 55); return err },
			"GET", "/api/v1/ws/demo/exports/55/status", "", false},
		{"E9 export content", pdfOK(samplePDF), func(c *Client) error { _, err := c.DownloadExport(ctx, "demo", 55, &bytes.Buffer{}); return err },
			"GET", "/api/v1/ws/demo/exports/55/content", "", true},
		{"E10 temporary data", jsonOK(`{"tempDataId":3,"expiryDate":"2026-05-30T00:00:00Z"}`), func(c *Client) error {
			_, err := c.PushTemporaryData(ctx, "demo", json.RawMessage(`{"a": 1}`), nil)
			return err
		}, "POST", "/api/v1/ws/demo/temporary-data", `{"content":{"a":1}}`, false},
		{"E10 temporary data with expiry", jsonOK(`{"tempDataId":3,"expiryDate":"2026-05-30T00:00:00Z"}`), func(c *Client) error {
			_, err := c.PushTemporaryData(ctx, "demo", json.RawMessage(`{"a":1}`), &expiry)
			return err
		}, "POST", "/api/v1/ws/demo/temporary-data", `{"content":{"a":1},"expiryDate":"2026-05-29T10:00:00Z"}`, false},
		{"E11 nonce", jsonOK(`{"nonce":"n1"}`), func(c *Client) error { _, err := c.CreateNonce(ctx); return err },
			"POST", "/api/v1/nonce-tokens", "", false},
		{"E12 themes", jsonOK(`[]`), func(c *Client) error { _, err := c.ListThemes(ctx, "26"); return err },
			"GET", "/api/v1/ws/26/themes", "", false},
		{"E13 templates", jsonOK(`[]`), func(c *Client) error { _, err := c.ListTemplates(ctx, "26"); return err },
			"GET", "/api/v1/ws/26/templates", "", false},
		{"E14 jobs", jsonOK(`[]`), func(c *Client) error { _, err := c.ListJobs(ctx, "26"); return err },
			"GET", "/api/v1/ws/26/jobs", "", false},
		{"E15 start job run", jsonOK(`{"jobRunId":9}`), func(c *Client) error {
			id, err := c.StartJobRun(ctx, "demo", "daily-invoices", json.RawMessage(`{"date": "2026-05-29"}`), nil)
			if err == nil && id != 9 {
				t.Errorf("StartJobRun id = %d", id)
			}
			return err
		}, "POST", "/api/v1/ws/demo/jobs/daily-invoices/runs", `{"params":{"date":"2026-05-29"}}`, false},
		{"E15 start job run, nothing", jsonOK(`{"jobRunId":9}`), func(c *Client) error { _, err := c.StartJobRun(ctx, "demo", "42", nil, nil); return err },
			"POST", "/api/v1/ws/demo/jobs/42/runs", `{}`, false},
		{"E16 job run status", jsonOK(`{"finished":false,"entries":1,"status":{}}`), func(c *Client) error {
			_, err := c.JobRunStatus(ctx, "demo", "daily invoices", 9)
			return err
		}, "GET", "/api/v1/ws/demo/jobs/daily%20invoices/runs/9/status", "", false},
		{"E17 review document", jsonOK(`{"temporaryFileId":77}`), func(c *Client) error {
			id, err := c.GenerateReviewDocument(ctx, "demo", "42", 9)
			if err == nil && id != 77 {
				t.Errorf("GenerateReviewDocument id = %d", id)
			}
			return err
		}, "POST", "/api/v1/ws/demo/jobs/42/runs/9/generate-review-document", "", false},
		{"E18 deliver, {}", jsonOK(`{}`), func(c *Client) error { return c.DeliverJobRun(ctx, "demo", "42", 9) },
			"POST", "/api/v1/ws/demo/jobs/42/runs/9/deliver", "", false},
		{"E18 deliver, empty body", respond(200, "", ""), func(c *Client) error { return c.DeliverJobRun(ctx, "demo", "42", 9) },
			"POST", "/api/v1/ws/demo/jobs/42/runs/9/deliver", "", false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, tc.handler)
			c := newTestClient(t, f.URL, nil)
			if err := tc.call(c); err != nil {
				t.Fatalf("call: %v", err)
			}
			if f.calls() != 1 {
				t.Fatalf("%d requests, want 1", f.calls())
			}
			got := f.last()
			if got.method != tc.method || got.uri != tc.uri {
				t.Errorf("request = %s %s, want %s %s", got.method, got.uri, tc.method, tc.uri)
			}
			if string(got.body) != tc.body {
				t.Errorf("body = %q, want %q", got.body, tc.body)
			}
			wantCT := ""
			if tc.body != "" {
				wantCT = "application/json"
			}
			wantAccept := "application/json"
			if tc.document {
				wantAccept = "application/pdf, */*"
			}
			h := got.header
			if h.Get("Authorization") != "Bearer "+testToken || h.Get("Accept") != wantAccept ||
				h.Get("Content-Type") != wantCT || h.Get("User-Agent") != "cxreports-mcp" {
				t.Errorf("headers: Authorization=%q Accept=%q Content-Type=%q User-Agent=%q",
					h.Get("Authorization"), h.Get("Accept"), h.Get("Content-Type"), h.Get("User-Agent"))
			}
		})
	}
}

func TestSubPathBase(t *testing.T) {
	f := newFake(t, jsonOK(`[]`))
	c := newTestClient(t, f.URL+"/cx/", func(cfg *Config) { cfg.UserAgent = "custom/1" })
	if _, err := c.ListWorkspaces(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := f.last(); got.uri != "/cx/api/v1/workspaces" || got.header.Get("User-Agent") != "custom/1" {
		t.Errorf("got %s with User-Agent %q", got.uri, got.header.Get("User-Agent"))
	}
}

// TestDecodeModels checks every response model against a sample body.
func TestDecodeModels(t *testing.T) {
	ctx := context.Background()
	day := time.Date(2026, 5, 29, 8, 30, 0, 0, time.UTC)
	tests := []struct {
		name string
		body string
		call func(c *Client) (any, error)
		want any
	}{
		{"workspaces", `[{"id":26,"name":"Demo","description":null,"code":"demo"},{"id":1,"name":"B","description":"d","code":"b","extra":1}]`,
			func(c *Client) (any, error) { return c.ListWorkspaces(ctx) },
			[]Workspace{{ID: 26, Name: "Demo", Code: "demo"}, {ID: 1, Name: "B", Description: ptr("d"), Code: "b"}}},
		{"workspaces null", `null`, func(c *Client) (any, error) { return c.ListWorkspaces(ctx) }, []Workspace{}},
		{"report types", `[{"id":1,"name":"Invoice","code":"invoice","description":null,"defaultReportId":160,"defaultReportName":"Invoice"},{"id":2,"name":"Other","code":"other"}]`,
			func(c *Client) (any, error) { return c.ListReportTypes(ctx, "26") },
			[]ReportType{{ID: 1, Name: "Invoice", Code: "invoice", DefaultReportID: ptr(int64(160)), DefaultReportName: ptr("Invoice")}, {ID: 2, Name: "Other", Code: "other"}}},
		{"reports", `[{"id":160,"name":"Invoice","reportTypeId":1,"reportTypeName":"Invoice","reportTemplateName":"Default","previewImage":"data:x","themeName":null,"isDefault":true}]`,
			func(c *Client) (any, error) { return c.ListReports(ctx, "26", nil) },
			[]Report{{ID: 160, Name: "Invoice", ReportTypeID: 1, ReportTypeName: "Invoice", ReportTemplateName: "Default", PreviewImage: ptr("data:x"), IsDefault: true}}},
		{"pages", `[{"id":1,"name":"Cover","type":"page"},{"id":2,"name":null,"type":"document-merge"}]`,
			func(c *Client) (any, error) { return c.ListReportPages(ctx, "26", ReportByID(160)) },
			[]ReportPage{{ID: 1, Name: ptr("Cover"), Type: PageTypePage}, {ID: 2, Type: PageTypeDocumentMerge}}},
		{"temporary data", `{"tempDataId":12,"expiryDate":"2026-05-29T08:30:00Z"}`,
			func(c *Client) (any, error) { return c.PushTemporaryData(ctx, "26", json.RawMessage(`{}`), nil) },
			&TemporaryData{TempDataID: 12, ExpiryDate: day}},
		{"temporary data, .NET date without offset", `{"tempDataId":12,"expiryDate":"2026-05-29T08:30:00.0000000"}`,
			func(c *Client) (any, error) {
				return c.PushTemporaryData(ctx, "26", json.RawMessage(`"as string"`), nil)
			},
			&TemporaryData{TempDataID: 12, ExpiryDate: day}},
		{"themes", `[{"id":3,"code":"corporate","name":"Corporate"},{"id":4,"code":null,"name":null}]`,
			func(c *Client) (any, error) { return c.ListThemes(ctx, "26") },
			[]Theme{{ID: 3, Code: "corporate", Name: "Corporate"}, {ID: 4}}},
		{"templates", `[{"id":2,"code":"Default","name":"Default"}]`,
			func(c *Client) (any, error) { return c.ListTemplates(ctx, "26") },
			[]Template{{ID: 2, Code: "Default", Name: "Default"}}},
		{"jobs", `[{"id":42,"name":"Daily invoices","description":null,"code":"daily-invoices","reviewRequired":true,"isActive":true,"lastRunTime":"2026-05-29T10:30:00+02:00"},{"id":43,"name":"N","lastRunTime":null}]`,
			func(c *Client) (any, error) { return c.ListJobs(ctx, "26") },
			[]Job{{ID: 42, Name: "Daily invoices", Code: ptr("daily-invoices"), ReviewRequired: true, IsActive: true, LastRunTime: ptr(time.Date(2026, 5, 29, 10, 30, 0, 0, time.FixedZone("", 7200)))}, {ID: 43, Name: "N"}}},
		{"job run status", `{"finished":true,"entries":5,"status":{"queued":0,"review":2,"completed":2,"errors":1}}`,
			func(c *Client) (any, error) { return c.JobRunStatus(ctx, "26", "42", 9) },
			&JobRunStatus{Finished: true, Entries: 5, Status: JobRunCounts{Review: 2, Completed: 2, Errors: 1}}},
		{"export status", `{"id":55,"status":"Failed","isReady":false,"errorMessage":"boom","expiryTime":"2026-05-29T08:30:00Z","name":"r.pdf","contentSize":1234,"contentType":"application/pdf"}`,
			func(c *Client) (any, error) { return c.ExportStatus(ctx, "26", 55) },
			&ExportStatus{ID: 55, Status: ExportFailed, ErrorMessage: ptr("boom"), ExpiryTime: ptr(day), Name: ptr("r.pdf"), ContentSize: ptr(int64(1234)), ContentType: ptr("application/pdf")}},
		{"export status, numeric enum", `{"id":55,"status":1,"isReady":true,"expiryTime":null}`,
			func(c *Client) (any, error) { return c.ExportStatus(ctx, "26", 55) },
			&ExportStatus{ID: 55, Status: ExportCompleted, IsReady: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t, jsonOK(tc.body))
			c := newTestClient(t, f.URL, nil)
			got, err := tc.call(c)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tc.want) {
				gj, _ := json.Marshal(got)
				wj, _ := json.Marshal(tc.want)
				t.Errorf("got  %s\nwant %s", gj, wj)
			}
		})
	}
}

func TestMissingIDsAreUnexpected(t *testing.T) {
	ctx := context.Background()
	for name, call := range map[string]func(c *Client) error{
		"start export": func(c *Client) error { _, err := c.StartExport(ctx, "1", ReportByID(1), nil); return err },
		"job run":      func(c *Client) error { _, err := c.StartJobRun(ctx, "1", "j", nil, nil); return err },
		"review":       func(c *Client) error { _, err := c.GenerateReviewDocument(ctx, "1", "j", 1); return err },
		"nonce":        func(c *Client) error { _, err := c.CreateNonce(ctx); return err },
		"temp data":    func(c *Client) error { _, err := c.PushTemporaryData(ctx, "1", json.RawMessage(`{}`), nil); return err },
	} {
		f := newFake(t, jsonOK(`{"other":1}`))
		if err := call(newTestClient(t, f.URL, nil)); !errors.Is(err, ErrUnexpectedResponse) {
			t.Errorf("%s: error = %v, want ErrUnexpectedResponse", name, err)
		}
	}
}
