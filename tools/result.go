package tools

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/mark3labs/mcp-go/mcp"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
)

// textResult is a successful result with one text block first and, when
// given, structured content. Every result the tools return starts with
// text, since some clients show nothing else.
func textResult(text string, structured any, more ...mcp.Content) *mcp.CallToolResult {
	res := &mcp.CallToolResult{Content: append([]mcp.Content{mcp.NewTextContent(text)}, more...)}
	res.StructuredContent = structured
	return res
}

// errorResult is an isError result with text the model can act on.
func errorResult(text string) *mcp.CallToolResult {
	return &mcp.CallToolResult{Content: []mcp.Content{mcp.NewTextContent(text)}, IsError: true}
}

// target names what a call was about, for error messages.
type target struct {
	Workspace string // workspace id or code
	Report    string // e.g. `report 1627` or `the default "invoice" report`
	Job       string // job id or code
	Run       int64  // job run id
	// OnConflict replaces "Check the arguments and try again." when
	// CxReports refuses the request (409 or 400), for calls where a
	// retry would be wrong.
	OnConflict string
	// Unconfirmed, for calls that must not be repeated, replaces the
	// advice to try again when the outcome is unknown (a timeout, a
	// server error, a lost connection).
	Unconfirmed string
	// Export is the id of a background export, when the call is about one.
	Export int64
	// SuggestAsync makes a timeout suggest export_pdf's async argument.
	SuggestAsync bool
	// TokenSetting names where the call's token came from when it is not
	// the server's own (e.g. a request header); empty for CXREPORTS_TOKEN.
	TokenSetting string
	// Saving is set when the call writes a local file; a message about a
	// download that failed halfway then says that no file was left.
	Saving bool
}

// errorFromErr maps any error of a tool call to one isError result. It is
// the only place where CxReports failures become words for a model.
func errorFromErr(err error, t *target) *mcp.CallToolResult {
	msg := describeError(err, t)
	if t != nil && t.Saving && brokenDownload(err) {
		msg += " No file was saved."
	}
	return errorResult(msg)
}

// brokenDownload reports whether err may have come after a document began
// to arrive, when a user would wonder whether part of it was kept.
func brokenDownload(err error) bool {
	for _, target := range []error{cxapi.ErrTruncated, cxapi.ErrNotPDF, cxapi.ErrTooLarge, cxapi.ErrHTMLPage, cxapi.ErrTimeout, context.DeadlineExceeded, context.Canceled} {
		if errors.Is(err, target) {
			return true
		}
	}
	return false
}

func describeError(err error, t *target) string {
	if t == nil {
		t = &target{}
	}
	var ie *inputError
	var ae *cxapi.APIError
	_ = errors.As(err, &ae)
	title := ""
	if ae != nil && ae.Title != "" {
		title = ae.Title
	}
	if why := unconfirmed(err); why != "" && t.Unconfirmed != "" {
		return "CxReports did not confirm the request (" + why + "). " + t.Unconfirmed
	}
	switch {
	case errors.As(err, &ie):
		return sentence(ie.msg)
	case errors.Is(err, ErrNotConfigured):
		return sentence(strings.TrimSuffix(err.Error(), ": "+ErrNotConfigured.Error()))
	case errors.Is(err, cxapi.ErrNoToken):
		return "No CxReports token is configured. Set CXREPORTS_TOKEN to a personal access token (CxReports: user menu → Personal Access Tokens), or CXREPORTS_TOKEN_FILE to a file holding it, then restart the server."
	case errors.Is(err, cxapi.ErrUnauthorized):
		return "CxReports rejected the token (401 Unauthorized). " + t.tokenAdvice()
	case errors.Is(err, cxapi.ErrForbidden):
		if t.Workspace != "" {
			return fmt.Sprintf("The token has no access to workspace %q (403 Forbidden). Call list_workspaces to see the workspaces it can use.", t.Workspace)
		}
		return "CxReports does not allow the token to do this (403 Forbidden). Check that CXREPORTS_TOKEN belongs to a user who may use the CxReports API."
	case errors.Is(err, cxapi.ErrNotFound):
		return notFound(title, t)
	case errors.Is(err, cxapi.ErrConflict), errors.Is(err, cxapi.ErrBadRequest):
		msg := "CxReports refused the request"
		if ae != nil {
			msg += fmt.Sprintf(" (%d)", ae.StatusCode)
		}
		if d := apiDetail(ae); d != "" {
			msg += ": " + d
		}
		if t.OnConflict != "" {
			return sentence(msg) + " " + t.OnConflict
		}
		return sentence(msg) + " Check the arguments and try again."
	case ae != nil && (ae.StatusCode == http.StatusRequestEntityTooLarge || ae.StatusCode == http.StatusRequestURITooLong || ae.StatusCode == http.StatusRequestHeaderFieldsTooLarge):
		return fmt.Sprintf("CxReports refused the request as too large (%d %s). Send less: push large data with push_temporary_data and pass its temp_data_id, and keep params small.", ae.StatusCode, http.StatusText(ae.StatusCode))
	case errors.Is(err, cxapi.ErrRateLimited):
		wait := "a few seconds"
		if ae != nil && ae.RetryAfter > 0 {
			wait = ae.RetryAfter.String()
		}
		return "CxReports is limiting requests (429 Too Many Requests). Wait " + wait + " and try again."
	case errors.Is(err, cxapi.ErrServer):
		code := "5xx"
		if ae != nil {
			code = fmt.Sprint(ae.StatusCode)
		}
		return fmt.Sprintf("CxReports failed with a server error (%s%s). This is not caused by the arguments; try again later.", code, prefixed(": ", title))
	case errors.Is(err, cxapi.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		msg := "CxReports did not answer within the deadline (CXREPORTS_TIMEOUT). The report may be slow or the server overloaded; try again later or with less data, or raise CXREPORTS_TIMEOUT."
		if t.SuggestAsync {
			msg += ` For a slow report, call export_pdf again with "async": true: it renders in the background and returns an export_id to collect later if it takes long.`
		}
		return msg
	case errors.Is(err, context.Canceled):
		return "The call was cancelled before CxReports answered."
	case errors.Is(err, cxapi.ErrUnreachable):
		return "Cannot reach CxReports: " + detailAfter(err, cxapi.ErrUnreachable) + ". Check CXREPORTS_URL and that the server is running."
	case errors.Is(err, cxapi.ErrHTMLPage):
		return "CxReports answered with an HTML page (a login or proxy page) instead of data. Check that CXREPORTS_URL is the address of CxReports itself and that CXREPORTS_TOKEN is valid."
	case errors.Is(err, cxapi.ErrNotPDF):
		return "CxReports answered with something other than the requested document (" + detailAfter(err, cxapi.ErrNotPDF) + "). Check that CXREPORTS_URL points at CxReports itself, not a proxy or login page."
	case errors.Is(err, cxapi.ErrTruncated):
		return "The answer from CxReports was cut off (" + detailAfter(err, cxapi.ErrTruncated) + "); try again."
	case errors.Is(err, cxapi.ErrTooLarge):
		return "The answer from CxReports is larger than this server accepts (" + detailAfter(err, cxapi.ErrTooLarge) + "); ask for less, e.g. a smaller limit or fewer pages."
	case errors.Is(err, cxapi.ErrUnexpectedResponse):
		return "CxReports answered with something this server cannot read (" + detailAfter(err, cxapi.ErrUnexpectedResponse) + "). Check that CXREPORTS_URL points at the CxReports server, not a proxy or login page."
	}
	return sentence("The call failed: " + err.Error())
}

// unconfirmed names why a request may or may not have taken effect, or
// returns "" when CxReports answered it.
func unconfirmed(err error) string {
	var ae *cxapi.APIError
	switch {
	case errors.Is(err, cxapi.ErrServer) && errors.As(err, &ae):
		return fmt.Sprintf("server error %d", ae.StatusCode)
	case errors.Is(err, cxapi.ErrServer):
		return "server error"
	case errors.Is(err, cxapi.ErrTimeout), errors.Is(err, context.DeadlineExceeded):
		return "no answer in time"
	case errors.Is(err, context.Canceled):
		return "the call was cancelled"
	case errors.Is(err, cxapi.ErrUnreachable):
		return "the connection failed"
	}
	return ""
}

func notFound(title string, t *target) string {
	lower := strings.ToLower(title)
	switch {
	case strings.Contains(lower, "workspace"):
		return fmt.Sprintf("Workspace %q was not found (404). Call list_workspaces for valid ids and codes.", t.Workspace)
	case strings.Contains(lower, "job run"):
		return fmt.Sprintf("Run %d of job %q was not found in workspace %q (404). Use the run_id that start_job_run returned for this job.", t.Run, t.Job, t.Workspace)
	case strings.Contains(lower, "job"):
		return fmt.Sprintf("Job %q was not found in workspace %q (404). Call list_jobs for valid job ids and codes.", t.Job, t.Workspace)
	case strings.Contains(lower, "export"):
		return fmt.Sprintf("Export %d was not found in workspace %q (404): background exports expire, and each belongs to the workspace it was started in. Export the report again without export_id.", t.Export, t.Workspace)
	case strings.Contains(lower, "report type"):
		return fmt.Sprintf("%s was not found in workspace %q (404). Call list_report_types for valid codes.", capital(t.Report), t.Workspace)
	case strings.Contains(lower, "report"):
		return fmt.Sprintf("%s was not found in workspace %q (404). Call list_reports for valid report ids, or list_report_types for type codes.", capital(t.Report), t.Workspace)
	case strings.Contains(lower, "temporary data"):
		return "The temporary data was not found (404): it may have expired. Push the data again with push_temporary_data and use the new temp_data_id."
	}
	if title == "" {
		title = "Not found"
	}
	return sentence(fmt.Sprintf("CxReports answered 404 %s", title)) + " Check the ids and codes with the list tools; if every call fails this way, check that CXREPORTS_URL is the address of CxReports."
}

// apiDetail returns the most useful text of an API error body.
func apiDetail(ae *cxapi.APIError) string {
	if ae == nil {
		return ""
	}
	if ae.Detail != "" {
		return ae.Detail
	}
	return ae.Title
}

// detailAfter returns what an error says after the sentinel it wraps, such
// as "cannot resolve host x.invalid: …" after "cannot reach the CxReports
// server", shortened for a model. cxapi keeps these texts free of tokens
// and query strings.
func detailAfter(err, sentinel error) string {
	msg := err.Error()
	if _, rest, ok := strings.Cut(msg, sentinel.Error()+": "); ok && rest != "" {
		msg = rest
	} else if i := strings.LastIndex(msg, ": "); i >= 0 && i+2 < len(msg) {
		msg = msg[i+2:]
	}
	const max = 200
	if len(msg) > max {
		n := max
		for n > 0 && !utf8.RuneStart(msg[n]) {
			n--
		}
		msg = msg[:n] + "…"
	}
	return strings.TrimSuffix(msg, ".")
}

func prefixed(prefix, s string) string {
	if s == "" {
		return ""
	}
	return prefix + s
}

func capital(s string) string {
	if s == "" {
		return "The report"
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return s
	}
	s = strings.ToUpper(s[:1]) + s[1:]
	if !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

// appendText adds a paragraph to a result's first text block.
func appendText(res *mcp.CallToolResult, text string) {
	if len(res.Content) > 0 {
		if tc, ok := res.Content[0].(mcp.TextContent); ok {
			tc.Text += "\n" + text
			res.Content[0] = tc
			return
		}
	}
	res.Content = append([]mcp.Content{mcp.NewTextContent(text)}, res.Content...)
}

// hasResourceLink reports whether a result links a saved document.
func hasResourceLink(res *mcp.CallToolResult) bool {
	for _, c := range res.Content {
		if _, ok := c.(mcp.ResourceLink); ok {
			return true
		}
	}
	return false
}

// tokenAdvice says which token to fix after a 401.
func (t *target) tokenAdvice() string {
	if t.TokenSetting != "" {
		return "Check the personal access token sent in " + t.TokenSetting + ": it must be valid and unexpired for the server in CXREPORTS_URL."
	}
	return "Check CXREPORTS_TOKEN (or CXREPORTS_TOKEN_FILE): it must be a valid, unexpired personal access token for the server in CXREPORTS_URL."
}
