package tools

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/exportindex"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// The resources this server serves. Exported documents are per user; the
// catalogue (workspaces, report types, reports) is read from CxReports
// with the caller's client on every read.
const (
	exportsPrefix      = "cxreports://exports/"
	workspacesURI      = "cxreports://workspaces"
	workspacesPrefix   = workspacesURI + "/"
	reportTypesSuffix  = "/report-types"
	reportsSuffix      = "/reports"
	jsonMIME           = "application/json"
	resourceReportsMax = 100 // reports in one read of a workspace's reports
)

// ExportURI is the resource URI of an exported document:
// cxreports://exports/{name}, where name is its name in the export index
// (normally the file's name), percent-encoded as the template's {file}
// expands it: every byte but RFC 3986's unreserved characters.
func ExportURI(name string) string {
	return exportsPrefix + escapeUnreserved(name)
}

// escapeUnreserved percent-encodes every byte of s except A–Z, a–z, 0–9
// and - . _ ~, as RFC 6570 simple string expansion does.
func escapeUnreserved(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0 {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}

// RegisterResources serves exported documents and the CxReports catalogue
// as MCP resources and resource templates on s, using deps (the same Deps
// as the tools, so that documents the tools save are served). The caller
// declares the capability first with server.WithResourceCapabilities(false,
// false): the list of exports changes without notifications, and there are
// no subscriptions.
//
// Resources are reads: they are served in read-only mode too, and do not
// depend on the toolsets offered.
func RegisterResources(s *server.MCPServer, deps *Deps) {
	s.AddResource(mcp.NewResource(workspacesURI, "workspaces",
		mcp.WithResourceTitle("CxReports workspaces"),
		mcp.WithResourceDescription("The workspaces the token can use, with ids and codes, as JSON."),
		mcp.WithMIMEType(jsonMIME),
	), deps.readCatalogue)
	if ws := deps.DefaultWorkspace; ws != "" {
		s.AddResource(mcp.NewResource(reportTypesURI(ws), ws+"/report-types",
			mcp.WithResourceTitle("Report types of workspace "+ws),
			mcp.WithResourceDescription("The report types of the default workspace, each with its default report, as JSON."),
			mcp.WithMIMEType(jsonMIME),
		), deps.readCatalogue)
		s.AddResource(mcp.NewResource(reportsURI(ws), ws+"/reports",
			mcp.WithResourceTitle("Reports of workspace "+ws),
			mcp.WithResourceDescription(fmt.Sprintf("The first %d reports of the default workspace, as JSON.", resourceReportsMax)),
			mcp.WithMIMEType(jsonMIME),
		), deps.readCatalogue)
	}
	s.AddResourceTemplate(mcp.NewResourceTemplate(workspacesPrefix+"{workspace}"+reportTypesSuffix, "report-types",
		mcp.WithTemplateTitle("Report types of a workspace"),
		mcp.WithTemplateDescription("A workspace's report types, each with its default report, as JSON. workspace is an id or code."),
		mcp.WithTemplateMIMEType(jsonMIME),
	), deps.readCatalogue)
	s.AddResourceTemplate(mcp.NewResourceTemplate(workspacesPrefix+"{workspace}"+reportsSuffix, "reports",
		mcp.WithTemplateTitle("Reports of a workspace"),
		mcp.WithTemplateDescription(fmt.Sprintf("A workspace's first %d reports with ids, types, templates and themes, as JSON. workspace is an id or code.", resourceReportsMax)),
		mcp.WithTemplateMIMEType(jsonMIME),
	), deps.readCatalogue)
	s.AddResourceTemplate(mcp.NewResourceTemplate(exportsPrefix+"{file}", "export",
		mcp.WithTemplateTitle("Exported document"),
		mcp.WithTemplateDescription(fmt.Sprintf("A document this server exported (export_pdf, export_batch), as base64, up to %s. Only the CxReports user who exported it can read it.", humanBytes(deps.resourceLimit()))),
	), deps.readExport)

	hooks := s.GetHooks()
	if hooks == nil {
		hooks = &server.Hooks{}
		server.WithHooks(hooks)(s)
	}
	hooks.AddAfterListResources(deps.listExports)
}

func reportTypesURI(ws string) string {
	return workspacesPrefix + url.PathEscape(ws) + reportTypesSuffix
}
func reportsURI(ws string) string { return workspacesPrefix + url.PathEscape(ws) + reportsSuffix }

// tokenHasher is implemented by *cxapi.Client: a hash that identifies the
// user of a token without revealing it.
type tokenHasher interface{ TokenHash() string }

// ownerOf identifies the CxReports user of a client: its token's hash, or
// "" for a client that cannot tell (test doubles).
func ownerOf(api API) string {
	if h, ok := api.(tokenHasher); ok {
		return h.TokenHash()
	}
	return ""
}

// remember records a saved document as an export resource of the calling
// user and returns its name in the resource URI.
func (e *Env) remember(s *savedDoc) string {
	mime := s.format.mime
	label := s.format.label
	if mime == "" {
		mime, label = "application/octet-stream", "Document"
	}
	return e.deps.state().exports.Add(exportindex.Entry{
		Path:        s.path,
		MIMEType:    mime,
		Size:        s.doc.Size,
		Owner:       ownerOf(e.api),
		Description: fmt.Sprintf("%s of %s in workspace %s", label, s.what, s.ws),
		Created:     time.Now(),
	}).Name
}

// caller returns the CxReports client of a resource request.
func (d *Deps) caller(ctx context.Context) (API, error) {
	if d.Client == nil {
		return nil, fmt.Errorf("CXREPORTS_URL is not set: %w", ErrNotConfigured)
	}
	return d.Client(ctx)
}

// listExports adds the caller's exported documents, newest first, to the
// last page of resources/list. It never fails the listing: a caller
// without a usable client simply has no exports.
func (d *Deps) listExports(ctx context.Context, _ any, _ *mcp.ListResourcesRequest, res *mcp.ListResourcesResult) {
	if res == nil || res.NextCursor != "" {
		return
	}
	api, err := d.caller(ctx)
	if err != nil {
		return
	}
	for _, e := range d.state().exports.List(ownerOf(api)) {
		r := mcp.NewResource(ExportURI(e.Name), e.Name,
			mcp.WithResourceTitle(e.Name),
			mcp.WithResourceDescription(e.Description+", exported "+e.Created.UTC().Format(time.RFC3339)),
			mcp.WithMIMEType(e.MIMEType),
			mcp.WithResourceSize(e.Size),
		)
		res.Resources = append(res.Resources, r)
	}
}

// errExportUnknown answers a request for an export that does not exist and
// for one of another user alike, so that neither reveals which it is.
func errExportUnknown(name string) error {
	return fmt.Errorf("no export named %q is available to you: this server serves only documents you exported with it since it started (see resources/list). Export the report again", name)
}

// readExport serves cxreports://exports/{file}: the document's bytes,
// base64-encoded once, with its MIME type, to the user who exported it.
func (d *Deps) readExport(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	name, err := url.PathUnescape(strings.TrimPrefix(uri, exportsPrefix))
	if err != nil || name == "" {
		return nil, errExportUnknown(strings.TrimPrefix(uri, exportsPrefix))
	}
	api, err := d.caller(ctx)
	if err != nil {
		return nil, errExportUnknown(name)
	}
	entry, ok := d.state().exports.Get(ownerOf(api), name)
	if !ok {
		return nil, errExportUnknown(name)
	}
	fi, err := os.Lstat(entry.Path)
	if err != nil || !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("export %q is no longer at %s: it was moved or deleted. Export the report again", name, entry.Path)
	}
	limit := d.resourceLimit()
	if fi.Size() > limit {
		return nil, fmt.Errorf("export %q is %s, over the %s limit for reading documents as resources (CXREPORTS_RESOURCE_MAX_MB). Use the file instead: %s", name, humanBytes(fi.Size()), humanBytes(limit), entry.Path)
	}
	f, err := os.Open(entry.Path)
	if err != nil {
		return nil, fmt.Errorf("export %q cannot be read at %s: %w", name, entry.Path, err)
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, fmt.Errorf("export %q cannot be read at %s: %w", name, entry.Path, err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("export %q grew over the %s limit for reading documents as resources (CXREPORTS_RESOURCE_MAX_MB). Use the file instead: %s", name, humanBytes(limit), entry.Path)
	}
	return []mcp.ResourceContents{mcp.BlobResourceContents{
		URI:      uri,
		MIMEType: entry.MIMEType,
		Blob:     base64.StdEncoding.EncodeToString(b),
	}}, nil
}

// readCatalogue serves the workspaces, a workspace's report types and a
// workspace's reports as JSON, shaped as the structured results of
// list_workspaces, list_report_types and list_reports.
func (d *Deps) readCatalogue(ctx context.Context, req mcp.ReadResourceRequest) ([]mcp.ResourceContents, error) {
	uri := req.Params.URI
	api, err := d.caller(ctx)
	if err != nil {
		return nil, errors.New(describeError(err, nil))
	}
	var out any
	if uri == workspacesURI {
		list, err := api.ListWorkspaces(ctx)
		if err != nil {
			return nil, errors.New(describeError(err, nil))
		}
		out = workspacesOutput(list, d.DefaultWorkspace)
	} else {
		rest := strings.TrimPrefix(uri, workspacesPrefix)
		seg, kind, _ := strings.Cut(rest, "/")
		ws, err := url.PathUnescape(seg)
		if err != nil || ws == "" || strings.Contains(kind, "/") {
			return nil, fmt.Errorf("resource %q is not one of this server's: see resources/templates/list", uri)
		}
		t := &target{Workspace: ws}
		switch "/" + kind {
		case reportTypesSuffix:
			list, err := api.ListReportTypes(ctx, ws)
			if err != nil {
				return nil, errors.New(describeError(err, t))
			}
			out = reportTypesOutput(ws, list)
		case reportsSuffix:
			list, err := api.ListReports(ctx, ws, &cxapi.ListReportsOptions{Limit: resourceReportsMax + 1})
			if err != nil {
				return nil, errors.New(describeError(err, t))
			}
			o := schemas.ListReportsOutput{Workspace: ws, Limit: resourceReportsMax, Reports: []schemas.ReportItem{}}
			if len(list) > resourceReportsMax {
				list, o.NextOffset = list[:resourceReportsMax], resourceReportsMax
			}
			types, _ := api.ListReportTypes(ctx, ws) // for the type codes; without them, names only
			for _, r := range list {
				o.Reports = append(o.Reports, reportItem(r, types))
			}
			out = o
		default:
			return nil, fmt.Errorf("resource %q is not one of this server's: see resources/templates/list", uri)
		}
	}
	b, err := json.Marshal(out)
	if err != nil {
		return nil, fmt.Errorf("encode %s: %w", uri, err)
	}
	return []mcp.ResourceContents{mcp.TextResourceContents{URI: uri, MIMEType: jsonMIME, Text: string(b)}}, nil
}
