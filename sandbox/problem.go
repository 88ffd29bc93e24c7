package sandbox

import (
	"encoding/json"
	"errors"
	"net/http"
)

// problem is an error answered as an RFC 9457 ProblemDetails body. Handlers
// return it; the route wrapper writes it.
type problem struct {
	Status int
	Title  string
	Detail string
	// Field names the offending request field of a validation error; it is
	// reported in the ASP.NET-style "errors" map.
	Field string
	// Header holds extra response headers (WWW-Authenticate, Allow, ...).
	Header http.Header
}

func (p *problem) Error() string {
	if p.Detail == "" {
		return p.Title
	}
	return p.Title + ": " + p.Detail
}

// ValidationTitle is the ProblemDetails title of every 400 answer, the one
// ASP.NET Core uses for model validation errors. The detail names the field.
const ValidationTitle = "One or more validation errors occurred."

// Titles of the 404 answers, one per kind of missing thing.
const (
	TitleWorkspaceNotFound  = "Workspace not found"
	TitleReportNotFound     = "Report not found"
	TitleReportTypeNotFound = "Report type not found"
	TitleTempDataNotFound   = "Temporary data not found"
	TitleJobNotFound        = "Job not found"
	TitleJobRunNotFound     = "Job run not found"
	TitleExportNotFound     = "Export not found"
	TitleNotFound           = "Not Found"
)

func badRequest(field, detail string) *problem {
	return &problem{Status: http.StatusBadRequest, Title: ValidationTitle, Field: field, Detail: field + ": " + detail}
}

func notFound(title, detail string) *problem {
	return &problem{Status: http.StatusNotFound, Title: title, Detail: detail}
}

func conflict(title, detail string) *problem {
	return &problem{Status: http.StatusConflict, Title: title, Detail: detail}
}

// problemTypes maps a status to the RFC section URL ASP.NET Core uses.
var problemTypes = map[int]string{
	400: "https://tools.ietf.org/html/rfc9110#section-15.5.1",
	401: "https://tools.ietf.org/html/rfc9110#section-15.5.2",
	403: "https://tools.ietf.org/html/rfc9110#section-15.5.4",
	404: "https://tools.ietf.org/html/rfc9110#section-15.5.5",
	405: "https://tools.ietf.org/html/rfc9110#section-15.5.6",
	409: "https://tools.ietf.org/html/rfc9110#section-15.5.10",
	413: "https://tools.ietf.org/html/rfc9110#section-15.5.14",
	415: "https://tools.ietf.org/html/rfc9110#section-15.5.16",
	429: "https://tools.ietf.org/html/rfc6585#section-4",
	500: "https://tools.ietf.org/html/rfc9110#section-15.6.1",
	502: "https://tools.ietf.org/html/rfc9110#section-15.6.3",
	503: "https://tools.ietf.org/html/rfc9110#section-15.6.4",
	504: "https://tools.ietf.org/html/rfc9110#section-15.6.5",
}

// ProblemDetails is the JSON body of every error answer under /api/v1.
// Error repeats Title for clients modelled on {"error": "..."}.
type ProblemDetails struct {
	Type     string              `json:"type"`
	Title    string              `json:"title"`
	Status   int                 `json:"status"`
	Detail   string              `json:"detail,omitempty"`
	Instance string              `json:"instance,omitempty"`
	Error    string              `json:"error"`
	Errors   map[string][]string `json:"errors,omitempty"`
}

// ProblemContentType is the Content-Type of every error answer under /api/v1.
const ProblemContentType = "application/problem+json"

func writeProblem(w http.ResponseWriter, r *http.Request, p *problem) {
	typ, ok := problemTypes[p.Status]
	if !ok {
		typ = "about:blank"
	}
	title := p.Title
	if title == "" {
		title = http.StatusText(p.Status)
	}
	body := ProblemDetails{
		Type: typ, Title: title, Status: p.Status, Detail: p.Detail,
		Instance: r.URL.Path, Error: title,
	}
	if p.Field != "" {
		body.Errors = map[string][]string{p.Field: {p.Detail}}
	}
	for k, vs := range p.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", ProblemContentType)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(p.Status)
	_, _ = w.Write(b)
}

// writeError writes err as ProblemDetails: a *problem as itself, anything
// else as a 500.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	var p *problem
	if !errors.As(err, &p) {
		p = &problem{Status: http.StatusInternalServerError, Title: "Internal Server Error", Detail: err.Error()}
	}
	writeProblem(w, r, p)
}

// writeJSON answers 200 (or status) with v as JSON.
func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
