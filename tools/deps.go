package tools

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
	"github.com/cxreports-mcp/cxreports-mcp/internal/exportindex"
	"github.com/cxreports-mcp/cxreports-mcp/internal/reporthints"
)

// API is the part of the CxReports client the tools use. *cxapi.Client
// implements it; tests may substitute their own.
type API interface {
	ListWorkspaces(ctx context.Context) ([]cxapi.Workspace, error)
	ListReportTypes(ctx context.Context, ws string) ([]cxapi.ReportType, error)
	ListReports(ctx context.Context, ws string, opt *cxapi.ListReportsOptions) ([]cxapi.Report, error)
	DownloadPDF(ctx context.Context, ws string, r cxapi.ReportRef, q *cxapi.ReportQuery, w io.Writer) (*cxapi.Document, error)
	PushTemporaryData(ctx context.Context, ws string, content json.RawMessage, expiry *time.Time) (*cxapi.TemporaryData, error)
	ListReportPages(ctx context.Context, ws string, r cxapi.ReportRef) ([]cxapi.ReportPage, error)
	NewPreviewURL(ctx context.Context, ws string, r cxapi.ReportRef, q *cxapi.ReportQuery) (string, error)
	ExportStatus(ctx context.Context, ws string, tempFileID int64) (*cxapi.ExportStatus, error)
	DownloadExport(ctx context.Context, ws string, tempFileID int64, w io.Writer) (*cxapi.Document, error)
	ListJobs(ctx context.Context, ws string) ([]cxapi.Job, error)
	StartJobRun(ctx context.Context, ws, job string, params, data json.RawMessage) (int64, error)
	JobRunStatus(ctx context.Context, ws, job string, runID int64) (*cxapi.JobRunStatus, error)
	GenerateReviewDocument(ctx context.Context, ws, job string, runID int64) (int64, error)
	DeliverJobRun(ctx context.Context, ws, job string, runID int64) error
	Export(ctx context.Context, ws string, r cxapi.ReportRef, req *cxapi.ExportRequest, w io.Writer) (*cxapi.Document, error)
	StartExport(ctx context.Context, ws string, r cxapi.ReportRef, req *cxapi.ExportRequest) (int64, error)
	ListThemes(ctx context.Context, ws string) ([]cxapi.Theme, error)
	ListTemplates(ctx context.Context, ws string) ([]cxapi.Template, error)
}

// ClientSource returns the CxReports client for one tool call: the
// server's own, or one carrying the caller's token on a team server. It
// returns an error wrapping ErrNotConfigured, whose text names the missing
// setting, when no client can be made.
type ClientSource func(ctx context.Context) (API, error)

// Deps is what every tool handler may use, fixed when the server starts.
type Deps struct {
	// Client resolves the CxReports client of a call.
	Client ClientSource
	// DefaultWorkspace is used when a call names no workspace (CXREPORTS_WORKSPACE).
	DefaultWorkspace string
	// Timezone is the IANA zone sent when a call names none.
	Timezone string
	// OutputDir is where exported documents are written.
	OutputDir string
	// EmbedLimit is the largest document returned inline on request.
	EmbedLimit int64
	// CallTimeout bounds each tool call as a whole (CXREPORTS_TIMEOUT),
	// including a document that arrives slowly, so that the model gets an
	// answer before its client gives up. Zero means no bound of our own.
	CallTimeout time.Duration
	// MaxDownloads bounds the documents downloaded from CxReports at once,
	// across all calls (default DefaultMaxDownloads); other calls never
	// wait behind them.
	MaxDownloads  int
	downloadsOnce sync.Once
	downloads     chan struct{}
	// Logger receives diagnostics; never the token.
	Logger *slog.Logger
	// ExportWait bounds how long one call waits for a background export
	// (default DefaultExportWait).
	ExportWait time.Duration
	// Clock measures and waits out that time (default: the real clock).
	Clock Clock
	// Names caches, per CxReports user, the lists that resolve workspace
	// and report names (nil: every call fetches them).
	Names *NameCache
	// ReportHints documents the params and data of reports (nil: none).
	ReportHints *reporthints.File
	// ReportHintsProblem says why the configured hints file could not be
	// used, for describe_report to tell.
	ReportHintsProblem string
	// ResourceLimit is the largest exported document resources/read
	// returns (default DefaultResourceLimit); larger ones are refused.
	ResourceLimit int64

	// state is what the server learns while it runs: the exported
	// documents and the clients' roots. Made on first use.
	stateOnce sync.Once
	st        *runState
}

// DefaultResourceLimit caps a document read as a resource: 10 MiB is about
// 13.3 MiB of base64 in the JSON answer.
const DefaultResourceLimit = 10 << 20

// runState is the mutable state shared by the tools and resources of one
// server.
type runState struct {
	exports *exportindex.Index
	roots   *rootsCache
}

func (d *Deps) state() *runState {
	d.stateOnce.Do(func() {
		d.st = &runState{exports: exportindex.New(exportindex.DefaultMax), roots: newRootsCache()}
	})
	return d.st
}

func (d *Deps) resourceLimit() int64 {
	if d.ResourceLimit > 0 {
		return d.ResourceLimit
	}
	return DefaultResourceLimit
}

// DefaultMaxDownloads is the default of Deps.MaxDownloads.
const DefaultMaxDownloads = 8

// downloadSlot waits for a free download slot; release gives it back.
func (d *Deps) downloadSlot(ctx context.Context) (release func(), err error) {
	d.downloadsOnce.Do(func() {
		n := d.MaxDownloads
		if n <= 0 {
			n = DefaultMaxDownloads
		}
		d.downloads = make(chan struct{}, n)
	})
	select {
	case d.downloads <- struct{}{}:
		return func() { <-d.downloads }, nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// DefaultEmbedLimit keeps an embedded PDF under the 1 MiB result limit of
// common clients once base64-encoded.
const DefaultEmbedLimit = 700 << 10

func (d *Deps) logger() *slog.Logger {
	if d.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return d.Logger
}

// Env is the context of one tool call.
type Env struct {
	deps    *Deps
	api     API
	req     mcp.CallToolRequest
	offered map[string]bool // the tools this server offers
	// note is added to the call's result when it fails: what name
	// resolution found doubtful (a workspace unknown to the user's list).
	note string

	progOnce sync.Once
	prog     *progress // the call's one progress reporter (see Env.progress)
}

// offers reports whether the server offers the named tool, so that a
// result never sends the model to a tool it cannot call.
func (e *Env) offers(tool string) bool { return e.offered[tool] }

func (d *Deps) env(ctx context.Context, req mcp.CallToolRequest) (*Env, error) {
	if d.Client == nil {
		return nil, fmt.Errorf("CXREPORTS_URL is not set: %w", ErrNotConfigured)
	}
	api, err := d.Client(ctx)
	if err != nil {
		return nil, err
	}
	return &Env{deps: d, api: api, req: req}, nil
}

// timezone resolves the time zone of a call and checks that it is an IANA name.
func (e *Env) timezone(arg string) (string, error) {
	if arg == "" {
		return e.deps.Timezone, nil
	}
	if _, err := time.LoadLocation(arg); err != nil || arg == "Local" {
		return "", &inputError{fmt.Sprintf("timezone %q is not an IANA time zone name; use a name such as UTC, Europe/Belgrade or America/New_York", arg)}
	}
	return arg, nil
}

// inputError is a problem with a call's arguments found by a handler, as
// opposed to one found by schema validation.
type inputError struct{ msg string }

func (e *inputError) Error() string { return e.msg }

// TokenSource is implemented by a client whose token is not the server's
// own: TokenSetting names where it came from, e.g. "the X-CxReports-Token
// header", so that a rejected token is blamed on the right setting.
type TokenSource interface {
	TokenSetting() string
}

// adviseToken points the advice of a 401 at the call's own token when it
// came from elsewhere than CXREPORTS_TOKEN.
func (e *Env) adviseToken(res *mcp.CallToolResult) {
	ts, ok := e.api.(TokenSource)
	if !ok || len(res.Content) == 0 {
		return
	}
	tc, ok := res.Content[0].(mcp.TextContent)
	if !ok {
		return
	}
	own := (&target{}).tokenAdvice()
	theirs := (&target{TokenSetting: ts.TokenSetting()}).tokenAdvice()
	tc.Text = strings.Replace(tc.Text, own, theirs, 1)
	res.Content[0] = tc
}
