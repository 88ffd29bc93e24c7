package cxapi

import (
	"context"
	"fmt"
	"net/url"
)

// PreviewURL builds the URL of the browser preview page of a report (P1,
// {base}/ws/{ws}/reports/{report}/preview, no /api/v1 prefix) with the query
// values of q and the nonce (if not empty) last. It sends no request and
// does not validate its arguments; the URL carries the nonce, a credential.
func (c *Client) PreviewURL(ws string, r ReportRef, q *ReportQuery, nonce string) string {
	u := c.base + "/ws/" + url.PathEscape(ws) + "/reports/" + r.String() + "/preview"
	if qs := encodeReportQuery(q, nonce); qs != "" {
		u += "?" + qs
	}
	return u
}

// NewPreviewURL creates a fresh nonce (CreateNonce) and returns the preview
// URL that carries it. The link works once.
func (c *Client) NewPreviewURL(ctx context.Context, ws string, r ReportRef, q *ReportQuery) (string, error) {
	_, err := reportPath(ws, r)
	if err == nil {
		err = q.Validate()
	}
	if err != nil {
		return "", fmt.Errorf("new preview URL: %w", err)
	}
	nonce, err := c.CreateNonce(ctx)
	if err != nil {
		return "", fmt.Errorf("new preview URL: %w", err)
	}
	return c.PreviewURL(ws, r, q, nonce), nil
}

// PDFDownloadURL builds the URL of the GET pdf endpoint (E5,
// {base}/api/v1/ws/{ws}/reports/{report}/pdf) with the query values of q.
// The URL carries no token: fetching it needs the Authorization header.
func (c *Client) PDFDownloadURL(ws string, r ReportRef, q *ReportQuery) string {
	u := c.base + apiPrefix + "/ws/" + url.PathEscape(ws) + "/reports/" + r.String() + "/pdf"
	if qs := q.Encode(); qs != "" {
		u += "?" + qs
	}
	return u
}
