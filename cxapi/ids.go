package cxapi

import (
	"fmt"
	"net/url"
	"strconv"
)

// ReportRef identifies a report by its numeric id or by a report type code;
// given a type code, the server uses the default report of that type.
// Exactly one of ID and TypeCode must be set.
type ReportRef struct {
	ID       int64
	TypeCode string
}

// ReportByID refers to the report with the given id.
func ReportByID(id int64) ReportRef { return ReportRef{ID: id} }

// ReportByType refers to the default report of the report type with the
// given code (e.g. "invoice").
func ReportByType(code string) ReportRef { return ReportRef{TypeCode: code} }

// String returns the escaped path segment: the id in decimal, else the
// path-escaped type code. The zero value gives "".
func (r ReportRef) String() string {
	if r.ID != 0 {
		return strconv.FormatInt(r.ID, 10)
	}
	return url.PathEscape(r.TypeCode)
}

// validate checks that exactly one of ID and TypeCode is set and usable.
func (r ReportRef) validate() error {
	switch {
	case r.ID != 0 && r.TypeCode != "":
		return fmt.Errorf("%w: give a report id or a report type code, not both", ErrInvalidArgument)
	case r.ID < 0:
		return fmt.Errorf("%w: report id %d is not positive", ErrInvalidArgument, r.ID)
	case r.ID == 0 && r.TypeCode == "":
		return fmt.Errorf("%w: a report id or report type code is required", ErrInvalidArgument)
	case r.ID == 0:
		return checkSegment("report type code", r.TypeCode)
	}
	return nil
}

// checkSegment rejects values that cannot serve as one path segment.
func checkSegment(what, v string) error {
	switch v {
	case "":
		return fmt.Errorf("%w: %s is required", ErrInvalidArgument, what)
	case ".", "..":
		return fmt.Errorf("%w: %s %q is not allowed", ErrInvalidArgument, what, v)
	}
	return nil
}

func checkPositive(what string, v int64) error {
	if v <= 0 {
		return fmt.Errorf("%w: %s must be positive, got %d", ErrInvalidArgument, what, v)
	}
	return nil
}

// wsPath returns the escaped "/api/v1/ws/{ws}" prefix after validating ws
// (a numeric id or a workspace code).
func wsPath(ws string) (string, error) {
	if err := checkSegment("workspace", ws); err != nil {
		return "", err
	}
	return apiPrefix + "/ws/" + url.PathEscape(ws), nil
}

// reportPath returns the escaped "/api/v1/ws/{ws}/reports/{report}" prefix.
func reportPath(ws string, r ReportRef) (string, error) {
	p, err := wsPath(ws)
	if err != nil {
		return "", err
	}
	if err := r.validate(); err != nil {
		return "", err
	}
	return p + "/reports/" + r.String(), nil
}

// jobRunPath returns "/api/v1/ws/{ws}/jobs/{job}/runs/{runID}".
func jobRunPath(ws, job string, runID int64) (string, error) {
	p, err := wsPath(ws)
	if err != nil {
		return "", err
	}
	if err := checkSegment("job id or code", job); err != nil {
		return "", err
	}
	if err := checkPositive("job run id", runID); err != nil {
		return "", err
	}
	return p + "/jobs/" + url.PathEscape(job) + "/runs/" + strconv.FormatInt(runID, 10), nil
}
