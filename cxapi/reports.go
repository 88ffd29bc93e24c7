package cxapi

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// ReportType is a report type of a workspace (E2). Its code can stand in for
// a report id (see ReportByType).
type ReportType struct {
	ID                int64   `json:"id"`
	Name              string  `json:"name"`
	Code              string  `json:"code"`
	Description       *string `json:"description"`
	DefaultReportID   *int64  `json:"defaultReportId"`
	DefaultReportName *string `json:"defaultReportName"`
}

// Report is a report of a workspace (E3).
type Report struct {
	ID                 int64   `json:"id"`
	Name               string  `json:"name"`
	ReportTypeID       int64   `json:"reportTypeId"`
	ReportTypeName     string  `json:"reportTypeName"`
	ReportTemplateName string  `json:"reportTemplateName"`
	PreviewImage       *string `json:"previewImage"`
	ThemeName          *string `json:"themeName"`
	IsDefault          bool    `json:"isDefault"`
}

// Page types of a ReportPage.
const (
	PageTypePage          = "page"
	PageTypeSubreport     = "subreport"
	PageTypeDocumentMerge = "document-merge"
)

// ReportPage is one page of a report (E4); Type is "page", "subreport" or
// "document-merge".
type ReportPage struct {
	ID   int64   `json:"id"`
	Name *string `json:"name"`
	Type string  `json:"type"`
}

// ListReportsOptions filters ListReports; zero values are not sent.
type ListReportsOptions struct {
	// Type is a report type code.
	Type string
	// Offset and Limit page through the list.
	Offset, Limit int
}

// ListReportTypes lists the report types of workspace ws
// (GET /api/v1/ws/{ws}/report-types).
func (c *Client) ListReportTypes(ctx context.Context, ws string) ([]ReportType, error) {
	var out []ReportType
	if err := c.listJSON(ctx, ws, "/report-types", &out); err != nil {
		return nil, fmt.Errorf("list report types: %w", err)
	}
	return nonNil(out), nil
}

// ListReports lists the reports of workspace ws, optionally filtered by opt
// (GET /api/v1/ws/{ws}/reports?type=&offset=&limit=).
func (c *Client) ListReports(ctx context.Context, ws string, opt *ListReportsOptions) ([]Report, error) {
	p, err := wsPath(ws)
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	var q []string
	if opt != nil {
		if opt.Offset < 0 || opt.Limit < 0 {
			return nil, fmt.Errorf("list reports: %w: offset and limit must not be negative", ErrInvalidArgument)
		}
		if opt.Type != "" {
			q = append(q, "type="+escapeComponent(opt.Type))
		}
		if opt.Offset != 0 {
			q = append(q, "offset="+strconv.Itoa(opt.Offset))
		}
		if opt.Limit != 0 {
			q = append(q, "limit="+strconv.Itoa(opt.Limit))
		}
	}
	var out []Report
	r := &request{method: "GET", path: p + "/reports", query: strings.Join(q, "&"), retry: true}
	if err := c.doJSON(ctx, r, &out); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	return nonNil(out), nil
}

// ListReportPages lists the pages of a report
// (GET /api/v1/ws/{ws}/reports/{report}/pages).
func (c *Client) ListReportPages(ctx context.Context, ws string, r ReportRef) ([]ReportPage, error) {
	p, err := reportPath(ws, r)
	if err != nil {
		return nil, fmt.Errorf("list report pages: %w", err)
	}
	var out []ReportPage
	if err := c.doJSON(ctx, &request{method: "GET", path: p + "/pages", retry: true}, &out); err != nil {
		return nil, fmt.Errorf("list report pages: %w", err)
	}
	return nonNil(out), nil
}

// DownloadPDF renders a report with the query values q and streams the
// document into w (GET /api/v1/ws/{ws}/reports/{report}/pdf). q.Format
// (default pdf) decides the content type expected.
//
// Bytes may already have been written to w when an error is returned: on
// error the caller must discard what w received (e.g. write to a temporary
// file and rename it only on success).
func (c *Client) DownloadPDF(ctx context.Context, ws string, r ReportRef, q *ReportQuery, w io.Writer) (*Document, error) {
	p, err := reportPath(ws, r)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return nil, fmt.Errorf("download pdf: %w", err)
	}
	format := ""
	if q != nil {
		format = q.Format
	}
	req := &request{method: "GET", path: p + "/pdf", query: q.Encode(), retry: true}
	doc, err := c.download(ctx, req, expectFormat(format), w)
	if err != nil {
		return nil, fmt.Errorf("download pdf: %w", err)
	}
	return doc, nil
}
