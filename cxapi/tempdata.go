package cxapi

import (
	"context"
	"encoding/json"
	"fmt"
	"time"
)

// TemporaryData is the answer to PushTemporaryData (E10): the id to pass as
// ReportQuery.TempDataID or ExportRequest.TempDataID, and when it expires.
type TemporaryData struct {
	TempDataID int64     `json:"tempDataId"`
	ExpiryDate time.Time `json:"expiryDate"`
}

// UnmarshalJSON accepts RFC 3339 and .NET's offset-less date forms.
func (t *TemporaryData) UnmarshalJSON(b []byte) error {
	type plain TemporaryData
	aux := struct {
		*plain
		ExpiryDate jsonTime `json:"expiryDate"`
	}{plain: (*plain)(t)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	t.ExpiryDate = aux.ExpiryDate.t
	return nil
}

// PushTemporaryData stores content (any JSON value but null, normally the
// report data object) on the server for later use by id
// (POST /api/v1/ws/{ws}/temporary-data). The body is
// {"content":…,"expiryDate":"…"} with expiryDate in RFC 3339 UTC, left out
// when expiry is nil. Never retried.
func (c *Client) PushTemporaryData(ctx context.Context, ws string, content json.RawMessage, expiry *time.Time) (*TemporaryData, error) {
	p, err := wsPath(ws)
	if err == nil && isUnset(content) {
		err = fmt.Errorf("%w: content is required", ErrInvalidArgument)
	}
	if err == nil && !json.Valid(content) {
		err = fmt.Errorf("%w: content is not valid JSON", ErrInvalidArgument)
	}
	if err != nil {
		return nil, fmt.Errorf("push temporary data: %w", err)
	}
	payload := struct {
		Content    json.RawMessage `json:"content"`
		ExpiryDate string          `json:"expiryDate,omitempty"`
	}{Content: content}
	if expiry != nil {
		payload.ExpiryDate = expiry.UTC().Format(time.RFC3339)
	}
	body, err := marshalBody(&payload)
	if err != nil {
		return nil, fmt.Errorf("push temporary data: %w: %v", ErrInvalidArgument, err)
	}
	var out TemporaryData
	r := &request{method: "POST", path: p + "/temporary-data", body: body}
	if err := c.doJSON(ctx, r, &out); err != nil {
		return nil, fmt.Errorf("push temporary data: %w", err)
	}
	if out.TempDataID <= 0 {
		return nil, fmt.Errorf("push temporary data: %s: %w: the response has no positive \"tempDataId\"", c.prefix(r), ErrUnexpectedResponse)
	}
	return &out, nil
}
