package tools

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/mark3labs/mcp-go/client"
	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// remoteNote ends the text of a document saved for a client that is not
// marked local, as the in-process clients of these tests are by default.
const remoteNote = "Saved in the server's output folder (a remote client's folders are never used)."

// userKey picks the sandbox user of a request in these tests, as the
// HTTP transport picks the caller's token.
type userKey struct{}

func asLimitedUser(ctx context.Context) context.Context {
	return context.WithValue(ctx, userKey{}, "limited")
}

// resourceHarness is a sandbox with two users, tools and resources on one
// MCP server, and a client of it.
type resourceHarness struct {
	t      *testing.T
	deps   *Deps
	srv    *server.MCPServer
	client *client.Client
}

// newResourceHarness serves every tool and the resources; the client of a
// call is the main sandbox user's, or the limited user's when the context
// says so (asLimitedUser).
func newResourceHarness(t *testing.T, opts ...client.ClientOption) *resourceHarness {
	t.Helper()
	hs := httptest.NewServer(sandbox.New(sandbox.Options{}))
	t.Cleanup(hs.Close)
	main, err := cxapi.New(cxapi.Config{BaseURL: hs.URL, Token: sandbox.DefaultToken})
	if err != nil {
		t.Fatal(err)
	}
	limited, err := cxapi.New(cxapi.Config{BaseURL: hs.URL, Token: sandbox.DefaultLimitedToken})
	if err != nil {
		t.Fatal(err)
	}
	deps := &Deps{
		Client: func(ctx context.Context) (API, error) {
			if ctx.Value(userKey{}) == "limited" {
				return limited, nil
			}
			return main, nil
		},
		DefaultWorkspace: sandbox.DemoWorkspaceCode,
		Timezone:         "Europe/Belgrade",
		OutputDir:        t.TempDir(),
		EmbedLimit:       DefaultEmbedLimit,
	}
	h := &resourceHarness{t: t, deps: deps}
	h.srv = server.NewMCPServer("test", "1", server.WithToolCapabilities(false), server.WithResourceCapabilities(false, false))
	if err := Register(h.srv, All(), deps); err != nil {
		t.Fatal(err)
	}
	RegisterResources(h.srv, deps)
	h.client = h.connect(opts...)
	return h
}

// connect makes another initialized client of the server.
func (h *resourceHarness) connect(opts ...client.ClientOption) *client.Client {
	h.t.Helper()
	c, err := client.NewInProcessClientWithOptions(h.srv, append([]client.ClientOption{client.WithProtocolVersion(mcp.ProtocolVersion20251125)}, opts...)...)
	if err != nil {
		h.t.Fatal(err)
	}
	ctx := context.Background()
	if err := c.Start(ctx); err != nil {
		h.t.Fatal(err)
	}
	req := mcp.InitializeRequest{}
	req.Params.ProtocolVersion = mcp.ProtocolVersion20251125
	req.Params.ClientInfo = mcp.Implementation{Name: "test", Version: "1"}
	if _, err := c.Initialize(ctx, req); err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { c.Close() })
	return c
}

// call runs a tool on ctx and fails the test on a protocol error.
func (h *resourceHarness) call(ctx context.Context, name, args string) *mcp.CallToolResult {
	h.t.Helper()
	req := mcp.CallToolRequest{}
	req.Params.Name = name
	req.Params.Arguments = json.RawMessage(args)
	res, err := h.client.CallTool(ctx, req)
	if err != nil {
		h.t.Fatalf("%s(%s): %v", name, args, err)
	}
	if !res.IsError {
		checkStructured(h.t, name, res)
	}
	return res
}

func (h *resourceHarness) list(ctx context.Context) []mcp.Resource {
	h.t.Helper()
	res, err := h.client.ListResources(ctx, mcp.ListResourcesRequest{})
	if err != nil {
		h.t.Fatal(err)
	}
	return res.Resources
}

func (h *resourceHarness) read(ctx context.Context, uri string) ([]mcp.ResourceContents, error) {
	req := mcp.ReadResourceRequest{}
	req.Params.URI = uri
	res, err := h.client.ReadResource(ctx, req)
	if err != nil {
		return nil, err
	}
	return res.Contents, nil
}

// links returns the resource links of a result.
func links(res *mcp.CallToolResult) []mcp.ResourceLink {
	var out []mcp.ResourceLink
	for _, c := range res.Content {
		if l, ok := c.(mcp.ResourceLink); ok {
			out = append(out, l)
		}
	}
	return out
}

func uris(list []mcp.Resource) []string {
	out := []string{}
	for _, r := range list {
		out = append(out, r.URI)
	}
	return out
}

func TestResourcesCapabilityAndCatalogue(t *testing.T) {
	h := newResourceHarness(t)
	// Declared without subscribe or listChanged: only what is served.
	init := h.srv.HandleMessage(context.Background(), []byte(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}`))
	raw, _ := json.Marshal(init)
	if !strings.Contains(string(raw), `"resources":{}`) {
		t.Errorf("initialize capabilities: %s", raw)
	}

	ctx := context.Background()
	want := []mcp.Resource{
		{URI: "cxreports://workspaces/demo/report-types", Name: "demo/report-types", Title: "Report types of workspace demo",
			Description: "The report types of the default workspace, each with its default report, as JSON.", MIMEType: "application/json"},
		{URI: "cxreports://workspaces/demo/reports", Name: "demo/reports", Title: "Reports of workspace demo",
			Description: "The first 100 reports of the default workspace, as JSON.", MIMEType: "application/json"},
		{URI: "cxreports://workspaces", Name: "workspaces", Title: "CxReports workspaces",
			Description: "The workspaces the token can use, with ids and codes, as JSON.", MIMEType: "application/json"},
	}
	if got := h.list(ctx); !reflect.DeepEqual(got, want) {
		t.Errorf("resources/list:\n got %+v\nwant %+v", got, want)
	}

	tpl, err := h.client.ListResourceTemplates(ctx, mcp.ListResourceTemplatesRequest{})
	if err != nil {
		t.Fatal(err)
	}
	type row struct{ URITemplate, Name, Title, Description, MIMEType string }
	var gotT []row
	for _, r := range tpl.ResourceTemplates {
		gotT = append(gotT, row{r.URITemplate.Raw(), r.Name, r.Title, r.Description, r.MIMEType})
	}
	wantT := []row{
		{"cxreports://exports/{file}", "export", "Exported document", "A document this server exported (export_pdf, export_batch), as base64, up to 10.0 MiB. Only the CxReports user who exported it can read it.", ""},
		{"cxreports://workspaces/{workspace}/report-types", "report-types", "Report types of a workspace", "A workspace's report types, each with its default report, as JSON. workspace is an id or code.", "application/json"},
		{"cxreports://workspaces/{workspace}/reports", "reports", "Reports of a workspace", "A workspace's first 100 reports with ids, types, templates and themes, as JSON. workspace is an id or code.", "application/json"},
	}
	if !reflect.DeepEqual(gotT, wantT) {
		t.Errorf("resources/templates/list:\n got %+v\nwant %+v", gotT, wantT)
	}

	readJSON := func(ctx context.Context, uri string, v any) {
		t.Helper()
		contents, err := h.read(ctx, uri)
		if err != nil {
			t.Fatalf("read %s: %v", uri, err)
		}
		tc, ok := contents[0].(mcp.TextResourceContents)
		if len(contents) != 1 || !ok || tc.URI != uri || tc.MIMEType != "application/json" {
			t.Fatalf("read %s: %+v", uri, contents)
		}
		if err := json.Unmarshal([]byte(tc.Text), v); err != nil {
			t.Fatalf("read %s: %v", uri, err)
		}
	}
	var ws struct {
		Workspaces []struct {
			ID      int64  `json:"id"`
			Code    string `json:"code"`
			Default bool   `json:"default"`
		} `json:"workspaces"`
	}
	readJSON(ctx, "cxreports://workspaces", &ws)
	if fmt.Sprint(ws.Workspaces) != "[{1 demo true} {26 finance false} {72 master false}]" {
		t.Errorf("workspaces: %v", ws.Workspaces)
	}
	// The limited user sees what its own token sees.
	ws.Workspaces = nil
	readJSON(asLimitedUser(ctx), "cxreports://workspaces", &ws)
	if fmt.Sprint(ws.Workspaces) != "[{26 finance false}]" {
		t.Errorf("workspaces of the limited user: %v", ws.Workspaces)
	}
	var types struct {
		Workspace   string `json:"workspace"`
		ReportTypes []struct {
			Code            string `json:"code"`
			DefaultReportID int64  `json:"default_report_id"`
		} `json:"report_types"`
	}
	readJSON(ctx, "cxreports://workspaces/finance/report-types", &types)
	if types.Workspace != "finance" || fmt.Sprint(types.ReportTypes) != "[{invoice 161} {bank-statement 162} {sales-summary 163} {other 149} {showcase 160}]" {
		t.Errorf("report types: %+v", types)
	}
	var reports struct {
		Workspace  string `json:"workspace"`
		Limit      int    `json:"limit"`
		NextOffset int    `json:"next_offset"`
		Reports    []struct {
			ID int64 `json:"id"`
		} `json:"reports"`
	}
	readJSON(ctx, "cxreports://workspaces/demo/reports", &reports)
	if reports.Workspace != "demo" || reports.Limit != 100 || reports.NextOffset != 0 || len(reports.Reports) != 11 || reports.Reports[0].ID != 1627 {
		t.Errorf("reports: %+v", reports)
	}
	// CxReports errors come back as errors with the tools' wording.
	for uri, want := range map[string]string{
		"cxreports://workspaces/nowhere/reports":      `Workspace "nowhere" was not found (404). Call list_workspaces for valid ids and codes.`,
		"cxreports://workspaces/demo/report-types":    `The token has no access to workspace "demo" (403 Forbidden). Call list_workspaces to see the workspaces it can use.`,
		"cxreports://workspaces/finance/reports/1627": `handler not found for resource URI 'cxreports://workspaces/finance/reports/1627': resource not found`,
	} {
		_, err := h.read(asLimitedUser(ctx), uri)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("read %s: %v, want %q", uri, err, want)
		}
	}
}

func TestExportIsAResource(t *testing.T) {
	h := newResourceHarness(t)
	ctx := context.Background()
	res := h.call(ctx, "export_pdf", `{"report_id":1627,"params":{"month":"2026-03"}}`)
	path := filepath.Join(h.deps.OutputDir, "Invoice.pdf")
	if res.IsError || !strings.HasSuffix(text(res), "\n"+remoteNote) {
		t.Fatalf("export: %s", text(res))
	}
	l := links(res)
	if len(l) != 1 || l[0].URI != "cxreports://exports/Invoice.pdf" || l[0].MIMEType != "application/pdf" || l[0].Name != "Invoice.pdf" {
		t.Fatalf("links: %+v", l)
	}
	file, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}

	// resources/list: the catalogue, then the export.
	list := h.list(ctx)
	if got := uris(list); !reflect.DeepEqual(got, []string{"cxreports://workspaces/demo/report-types", "cxreports://workspaces/demo/reports", "cxreports://workspaces", "cxreports://exports/Invoice.pdf"}) {
		t.Fatalf("resources/list: %q", got)
	}
	e := list[3]
	if e.Name != "Invoice.pdf" || e.Title != "Invoice.pdf" || e.MIMEType != "application/pdf" || e.Size == nil || *e.Size != int64(len(file)) ||
		!strings.HasPrefix(e.Description, "PDF of report 1627 in workspace demo, exported ") {
		t.Errorf("export in resources/list: %+v", e)
	}

	// resources/read: the file's bytes, base64-encoded once.
	contents, err := h.read(ctx, l[0].URI)
	if err != nil {
		t.Fatal(err)
	}
	blob, ok := contents[0].(mcp.BlobResourceContents)
	if len(contents) != 1 || !ok || blob.URI != l[0].URI || blob.MIMEType != "application/pdf" {
		t.Fatalf("read: %+v", contents)
	}
	got, err := base64.StdEncoding.DecodeString(blob.Blob)
	if err != nil || !bytes.Equal(got, file) {
		t.Fatalf("read: the blob (%d bytes, %v) is not the file (%d bytes)", len(got), err, len(file))
	}

	// A name with spaces and non-ASCII letters survives the URI.
	res = h.call(ctx, "export_pdf", `{"report_id":1635}`)
	l = links(res)
	if len(l) != 1 || l[0].URI != "cxreports://exports/Relev%C3%A9%20de%20compte.pdf" {
		t.Fatalf("links: %+v", l)
	}
	contents, err = h.read(ctx, l[0].URI)
	if err != nil {
		t.Fatal(err)
	}
	file, _ = os.ReadFile(filepath.Join(h.deps.OutputDir, "Relevé de compte.pdf"))
	if got, _ := base64.StdEncoding.DecodeString(contents[0].(mcp.BlobResourceContents).Blob); !bytes.Equal(got, file) {
		t.Error("the second export's blob is not its file")
	}

	// Unknown names and files deleted since are errors that say so.
	_, err = h.read(ctx, "cxreports://exports/Nothing.pdf")
	if want := `no export named "Nothing.pdf" is available to you: this server serves only documents you exported with it since it started (see resources/list). Export the report again`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("unknown export: %v", err)
	}
	os.Remove(path)
	_, err = h.read(ctx, "cxreports://exports/Invoice.pdf")
	if want := `export "Invoice.pdf" is no longer at ` + path + `: it was moved or deleted. Export the report again`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("deleted export: %v", err)
	}
}

func TestExportResourceSizeCap(t *testing.T) {
	h := newResourceHarness(t)
	h.deps.ResourceLimit = 1 << 10
	ctx := context.Background()
	res := h.call(ctx, "export_pdf", `{"report_id":1627}`)
	path := filepath.Join(h.deps.OutputDir, "Invoice.pdf")
	fi, err := os.Stat(path)
	if res.IsError || err != nil {
		t.Fatalf("export: %s %v", text(res), err)
	}
	_, err = h.read(ctx, "cxreports://exports/Invoice.pdf")
	want := fmt.Sprintf(`export "Invoice.pdf" is %s, over the 1.0 KiB limit for reading documents as resources (CXREPORTS_RESOURCE_MAX_MB). Use the file instead: %s`, humanBytes(fi.Size()), path)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("read over the cap: %v\nwant %s", err, want)
	}
	// At the cap exactly it is served.
	h.deps.ResourceLimit = fi.Size()
	if _, err := h.read(ctx, "cxreports://exports/Invoice.pdf"); err != nil {
		t.Errorf("read at the cap: %v", err)
	}
}

func TestExportBelongsToItsUser(t *testing.T) {
	h := newResourceHarness(t)
	ctx := context.Background()
	limited := asLimitedUser(ctx)
	if res := h.call(ctx, "export_pdf", `{"report_id":1627}`); res.IsError {
		t.Fatal(text(res))
	}
	res := h.call(limited, "export_pdf", `{"workspace":"finance","report_id":161}`)
	if res.IsError {
		t.Fatal(text(res))
	}
	theirs := links(res)[0].URI
	if theirs != "cxreports://exports/Invoice-2.pdf" {
		t.Fatalf("the limited user's export is %s", theirs)
	}

	// Each user lists only their own export.
	if got := uris(h.list(ctx)); got[len(got)-1] != "cxreports://exports/Invoice.pdf" || strings.Contains(strings.Join(got, " "), "Invoice-2") {
		t.Errorf("main user's list: %q", got)
	}
	if got := uris(h.list(limited)); got[len(got)-1] != theirs || strings.Contains(strings.Join(got, " "), "exports/Invoice.pdf") {
		t.Errorf("limited user's list: %q", got)
	}

	// Another user's export is refused exactly like one that does not exist.
	_, errOther := h.read(limited, "cxreports://exports/Invoice.pdf")
	_, errNone := h.read(limited, "cxreports://exports/Invoice-9.pdf")
	if errOther == nil || errNone == nil {
		t.Fatalf("reads succeeded: %v, %v", errOther, errNone)
	}
	if want := `no export named "Invoice.pdf" is available to you`; !strings.Contains(errOther.Error(), want) ||
		strings.Replace(errOther.Error(), "Invoice.pdf", "X", 1) != strings.Replace(errNone.Error(), "Invoice-9.pdf", "X", 1) {
		t.Errorf("refusals differ:\n%v\n%v", errOther, errNone)
	}
	// Both read their own.
	if _, err := h.read(ctx, "cxreports://exports/Invoice.pdf"); err != nil {
		t.Error(err)
	}
	if _, err := h.read(limited, theirs); err != nil {
		t.Error(err)
	}
}

// rootsHandler answers roots/list with roots that a test may change, and
// counts the questions.
type rootsHandler struct {
	mu    sync.Mutex
	roots []mcp.Root
	asked int
}

func (r *rootsHandler) ListRoots(context.Context, mcp.ListRootsRequest) (*mcp.ListRootsResult, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.asked++
	return &mcp.ListRootsResult{Roots: r.roots}, nil
}

func (r *rootsHandler) set(roots ...mcp.Root) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.roots = roots
}

func (r *rootsHandler) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.asked
}

func TestExportSavedUnderClientRoot(t *testing.T) {
	project := t.TempDir()
	other := t.TempDir()
	roots := &rootsHandler{}
	roots.set(
		mcp.Root{URI: "https://example.com/not-local", Name: "web"},
		mcp.Root{URI: fileURL(filepath.Join(project, "missing")), Name: "gone"},
		mcp.Root{URI: fileURL(project), Name: "project"},
		mcp.Root{URI: fileURL(other), Name: "other"},
	)
	h := newResourceHarness(t, client.WithRootsHandler(roots))
	local := WithLocalClient(context.Background())

	res := h.call(local, "export_pdf", `{"report_id":1627}`)
	path := filepath.Join(project, "Invoice.pdf")
	if want := "\nPath: " + path + "\n" + fileURL(path) + "\nSaved in the client's project folder (its first MCP root)."; res.IsError || !strings.HasSuffix(text(res), want) {
		t.Fatalf("export:\n%s\nwant suffix %q", text(res), want)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	// The export is a resource like any other.
	if contents, err := h.read(local, links(res)[0].URI); err != nil || len(contents) != 1 {
		t.Fatalf("read: %v", err)
	}
	// The roots are asked for once per session…
	h.call(local, "export_pdf", `{"report_id":1627}`)
	if _, err := os.Stat(filepath.Join(project, "Invoice-2.pdf")); err != nil || roots.count() != 1 {
		t.Fatalf("second export: %v; roots asked %d times, want 1", err, roots.count())
	}
	// …and again after the client says they changed.
	roots.set(mcp.Root{URI: fileURL(other), Name: "other"})
	if err := h.client.RootListChanges(context.Background()); err != nil {
		t.Fatal(err)
	}
	h.call(local, "export_pdf", `{"report_id":1627}`)
	if _, err := os.Stat(filepath.Join(other, "Invoice.pdf")); err != nil || roots.count() != 2 {
		t.Fatalf("after roots/list_changed: %v; roots asked %d times, want 2", err, roots.count())
	}

	// A folder the user names wins over the roots.
	named := t.TempDir()
	res = h.call(local, "export_pdf", fmt.Sprintf(`{"report_id":1627,"folder":%q}`, named))
	if !strings.HasSuffix(text(res), "\nSaved in the folder you named.") {
		t.Errorf("named folder: %s", text(res))
	}
	if _, err := os.Stat(filepath.Join(named, "Invoice.pdf")); err != nil {
		t.Error(err)
	}
	for args, want := range map[string]string{
		`{"report_id":1627,"folder":"reports"}`:                                  `Folder must be an absolute path such as /home/me/Reports; "reports" is not.`,
		fmt.Sprintf(`{"report_id":1627,"folder":%q}`, filepath.Join(named, "x")): "Folder " + filepath.Join(named, "x") + " does not exist or is not a folder. Create it first, or call again without folder.",
	} {
		if res := h.call(local, "export_pdf", args); !res.IsError || text(res) != want {
			t.Errorf("export_pdf(%s): %s\nwant %s", args, text(res), want)
		}
	}

	// A connection not marked local (HTTP): roots are neither asked for
	// nor used, and folder is refused.
	asked := roots.count()
	remote := context.Background()
	res = h.call(remote, "export_pdf", `{"report_id":1627}`)
	if !strings.HasSuffix(text(res), "\n"+remoteNote) {
		t.Errorf("remote export: %s", text(res))
	}
	if _, err := os.Stat(filepath.Join(h.deps.OutputDir, "Invoice.pdf")); err != nil || roots.count() != asked {
		t.Errorf("remote export: %v; roots asked %d times, want %d", err, roots.count(), asked)
	}
	res = h.call(remote, "export_pdf", fmt.Sprintf(`{"report_id":1627,"folder":%q}`, named))
	if want := "Folder works only when this server runs on the user's machine (stdio); here documents are saved in the server's output folder. Call again without folder."; !res.IsError || text(res) != want {
		t.Errorf("remote folder: %s", text(res))
	}
}

func TestExportWithoutRootsGoesToOutputDir(t *testing.T) {
	// A local client that offers no roots (no roots capability, or none
	// usable) gets the output folder.
	empty := &rootsHandler{}
	for name, opts := range map[string][]client.ClientOption{
		"no roots capability": nil,
		"no usable root":      {client.WithRootsHandler(empty)},
	} {
		h := newResourceHarness(t, opts...)
		res := h.call(WithLocalClient(context.Background()), "export_pdf", `{"report_id":1627}`)
		if !strings.HasSuffix(text(res), "\nSaved in the output folder (CXREPORTS_OUTPUT_DIR): the client shares no writable project folder (MCP roots).") {
			t.Errorf("%s: %s", name, text(res))
		}
		if _, err := os.Stat(filepath.Join(h.deps.OutputDir, "Invoice.pdf")); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
}

// TestExportURIMatchesTheTemplate: every file name makes a URI that the
// exports template matches and decodes back to the name.
func TestExportURIMatchesTheTemplate(t *testing.T) {
	tpl := mcp.NewResourceTemplate(exportsPrefix+"{file}", "export").URITemplate
	for _, name := range []string{"Invoice.pdf", "Daily invoices - review (run 7001).pdf", "a+b=c&d;e,f!g'h*$@:[x].pdf", "Relevé de compte.pdf", "100%.pdf", "~x_y.pdf"} {
		uri := ExportURI(name)
		if got := tpl.Match(uri)["file"].String(); got != name {
			t.Errorf("%s: the template gives %q, want %q", uri, got, name)
		}
	}
	if got := ExportURI("a b+(c).pdf"); got != "cxreports://exports/a%20b%2B%28c%29.pdf" {
		t.Errorf("ExportURI = %s", got)
	}
}

func TestLocalPath(t *testing.T) {
	for uri, want := range map[string]string{
		"file:///home/me/My%20Project":   "/home/me/My Project",
		"file://localhost/home/me/x/../": "/home/me",
		"file://server/share":            "",
		"file:relative":                  "",
		"http://example.com/":            "",
		"::":                             "",
	} {
		got, ok := localPath(uri)
		if got != want || ok != (want != "") {
			t.Errorf("localPath(%q) = %q, %v; want %q", uri, got, ok, want)
		}
	}
}
