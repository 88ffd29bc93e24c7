package cxapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/url"
	"strconv"
	"strings"
)

// ReportQuery holds the query values of the GET pdf endpoint (E5), the PDF
// download URL and the preview URL (P1). Empty values are left out.
type ReportQuery struct {
	// Params are the report parameters, a JSON object, sent as compact JSON.
	Params json.RawMessage
	// Data is the report data, a JSON object, sent as compact JSON. Prefer
	// TempDataID (see PushTemporaryData) for anything but small data: query
	// strings are limited in length.
	Data json.RawMessage
	// TempDataID refers to data pushed with PushTemporaryData.
	TempDataID int64
	// Timezone is an IANA zone name such as "UTC" or "Europe/Belgrade".
	Timezone string
	// Lang is the report language.
	Lang string
	// Format is pdf (default), docx, xlsx, pptx or html.
	Format string
	// Theme and Template override the report's theme or template, by id or
	// code.
	Theme, Template string
	// IncludeAttachments is sent as "true" or "false" when set.
	IncludeAttachments *bool
}

// Validate checks that Params and Data, when set, are JSON objects and that
// TempDataID is not negative.
func (q *ReportQuery) Validate() error {
	if q == nil {
		return nil
	}
	if err := checkObject("params", q.Params); err != nil {
		return err
	}
	if err := checkObject("data", q.Data); err != nil {
		return err
	}
	if q.TempDataID < 0 {
		return fmt.Errorf("%w: tempDataId must be positive, got %d", ErrInvalidArgument, q.TempDataID)
	}
	return nil
}

// Encode returns the query string (without "?") in the order params, data,
// tempDataId, timezone, lang, format, includeAttachments, theme, template.
// Values are escaped like JavaScript's encodeURIComponent (a space becomes
// %20). Params and Data are compacted when they are valid JSON and sent as
// given otherwise; call Validate first to reject them instead.
func (q *ReportQuery) Encode() string { return encodeReportQuery(q, "") }

// encodeReportQuery encodes q followed by nonce.
func encodeReportQuery(q *ReportQuery, nonce string) string {
	var b strings.Builder
	add := func(key, value string) {
		if value == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(key)
		b.WriteByte('=')
		b.WriteString(escapeComponent(value))
	}
	if q != nil {
		add("params", compactJSON(q.Params))
		add("data", compactJSON(q.Data))
		if q.TempDataID != 0 {
			add("tempDataId", strconv.FormatInt(q.TempDataID, 10))
		}
		add("timezone", q.Timezone)
		add("lang", q.Lang)
		add("format", q.Format)
		if q.IncludeAttachments != nil {
			add("includeAttachments", strconv.FormatBool(*q.IncludeAttachments))
		}
		add("theme", q.Theme)
		add("template", q.Template)
	}
	add("nonce", nonce)
	return b.String()
}

// escapeComponent escapes a query key or value with %20 for a space, as
// encodeURIComponent does.
func escapeComponent(s string) string {
	return strings.ReplaceAll(url.QueryEscape(s), "+", "%20")
}

// isUnset reports whether a raw JSON value counts as absent: empty,
// whitespace or null.
func isUnset(raw json.RawMessage) bool {
	t := bytes.TrimSpace(raw)
	return len(t) == 0 || string(t) == "null"
}

// compactJSON returns raw as compact JSON, "" when unset, and raw unchanged
// when it is not valid JSON.
func compactJSON(raw json.RawMessage) string {
	if isUnset(raw) {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, raw); err != nil {
		return string(raw)
	}
	return buf.String()
}

// checkObject requires raw to be unset or a JSON object.
func checkObject(what string, raw json.RawMessage) error {
	if isUnset(raw) {
		return nil
	}
	if !json.Valid(raw) {
		return fmt.Errorf("%w: %s is not valid JSON", ErrInvalidArgument, what)
	}
	if bytes.TrimSpace(raw)[0] != '{' {
		return fmt.Errorf("%w: %s must be a JSON object", ErrInvalidArgument, what)
	}
	return nil
}

// objectOrNil returns raw for a JSON body, or nil when it is unset.
func objectOrNil(raw json.RawMessage) json.RawMessage {
	if isUnset(raw) {
		return nil
	}
	return raw
}
