package sandbox

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // timezone names must validate on hosts without zoneinfo
)

// docFormat is a document format; the numbers are the API's enum values.
type docFormat int

const (
	formatPDF docFormat = iota
	formatDOCX
	formatXLSX
	formatPPTX
	formatHTML
)

var formatNames = []string{"pdf", "docx", "xlsx", "pptx", "html"}

func (f docFormat) String() string { return formatNames[f] }

// parseFormat reads pdf|docx|xlsx|pptx|html in any case, or 0-4.
func parseFormat(s string) (docFormat, error) {
	s = strings.ToLower(strings.TrimSpace(s))
	if s == "" {
		return formatPDF, nil
	}
	for i, n := range formatNames {
		if s == n || s == strconv.Itoa(i) {
			return docFormat(i), nil
		}
	}
	return 0, badRequest("format", fmt.Sprintf("unknown format %q; use pdf, docx, xlsx, pptx or html (or 0 to 4)", s))
}

// exportRequest is what a document request asks for, from the query (E5,
// P1) or a JSON body (E6, E7).
type exportRequest struct {
	params       object // nil: none given
	data         any
	hasData      bool
	tempDataID   int64 // 0: none
	timezone     string
	lang         string
	format       docFormat
	attachments  bool
	theme        string
	template     string
	excludePages []int64
}

// parseQueryRequest reads the query keys of E5 and P1. The query is already
// form-decoded by net/url, so '+' is a space.
func parseQueryRequest(q url.Values) (exportRequest, error) {
	var req exportRequest
	var err error
	if v := q.Get("params"); strings.TrimSpace(v) != "" {
		if req.params, err = decodeParams(v); err != nil {
			return req, err
		}
	}
	if v := q.Get("data"); strings.TrimSpace(v) != "" {
		d, err := decodeEncodedJSON(v)
		if err != nil {
			return req, badRequest("data", "not valid JSON: "+err.Error())
		}
		req.data, req.hasData = d, true
	}
	idKey := "tempDataId"
	if !q.Has(idKey) && q.Has("tmpDataId") { // legacy TS 0.1.0-0.1.2 key
		idKey = "tmpDataId"
	}
	if v := strings.TrimSpace(q.Get(idKey)); v != "" {
		id, ok := parseID(v)
		if !ok {
			return req, badRequest(idKey, fmt.Sprintf("must be an integer, got %q", v))
		}
		req.tempDataID = id
	}
	req.timezone = q.Get("timezone")
	req.lang = q.Get("lang")
	if req.format, err = parseFormat(q.Get("format")); err != nil {
		return req, err
	}
	if v := q.Get("includeAttachments"); strings.TrimSpace(v) != "" {
		b, ok := parseBool(v)
		if !ok {
			return req, badRequest("includeAttachments", fmt.Sprintf("must be true or false, got %q", v))
		}
		req.attachments = b
	}
	req.theme = strings.TrimSpace(q.Get("theme"))
	req.template = strings.TrimSpace(q.Get("template"))
	return req, nil
}

// decodeParams reads params as raw JSON, else as base64url(JSON) with or
// without padding (standard base64 is accepted too). It must be an object.
func decodeParams(s string) (object, error) {
	v, err := decodeEncodedJSON(s)
	if err != nil {
		return nil, badRequest("params", "must be a JSON object, raw or base64url-encoded: "+err.Error())
	}
	switch o := v.(type) {
	case object:
		return o, nil
	case nil:
		return nil, nil
	}
	return nil, badRequest("params", "must be a JSON object, raw or base64url-encoded")
}

// decodeEncodedJSON tries JSON first, then the base64 variants.
func decodeEncodedJSON(s string) (any, error) {
	s = strings.TrimSpace(s)
	v, jsonErr := decodeJSON([]byte(s))
	if jsonErr == nil {
		return v, nil
	}
	if strings.HasPrefix(s, "{") || strings.HasPrefix(s, "[") || strings.HasPrefix(s, `"`) {
		return nil, jsonErr
	}
	// Standard base64 sent unescaped loses '+' to form decoding.
	b64 := strings.ReplaceAll(s, " ", "+")
	for _, enc := range []*base64.Encoding{base64.URLEncoding, base64.RawURLEncoding, base64.StdEncoding, base64.RawStdEncoding} {
		if raw, err := enc.DecodeString(b64); err == nil {
			v, err := decodeJSON(raw)
			if err != nil {
				return nil, fmt.Errorf("base64 decodes to invalid JSON: %v", err)
			}
			return v, nil
		}
	}
	return nil, jsonErr
}

// readBody reads a request body of at most limit bytes.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, error) {
	if r.Body == nil {
		return nil, nil
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &problem{Status: http.StatusRequestEntityTooLarge, Title: "Payload Too Large",
				Detail: fmt.Sprintf("the body is larger than %d bytes", limit)}
		}
		return nil, badRequest("body", "could not read the body: "+err.Error())
	}
	return b, nil
}

// maxBody bounds JSON bodies (temporary data included).
const maxBody = 16 << 20

// readObjectBody reads a JSON object body; an empty body (or null) is {}.
func readObjectBody(w http.ResponseWriter, r *http.Request) (object, error) {
	b, err := readBody(w, r, maxBody)
	if err != nil {
		return nil, err
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return object{}, nil
	}
	v, err := decodeJSON(b)
	if err != nil {
		return nil, badRequest("body", "not valid JSON: "+err.Error())
	}
	switch o := v.(type) {
	case object:
		return o, nil
	case nil:
		return object{}, nil
	}
	return nil, badRequest("body", "must be a JSON object")
}

// parseBodyRequest reads a ReportExportRequest (E6) or, with async, an
// AsyncReportGenerationRequest (E7, which adds excludePages and tempDataId).
func parseBodyRequest(body object, async bool) (exportRequest, error) {
	var req exportRequest
	var err error
	if v, ok := body.get("params"); ok {
		switch p := v.(type) {
		case nil:
		case object:
			req.params = p
		case string:
			if strings.TrimSpace(p) != "" {
				if req.params, err = decodeParams(p); err != nil {
					return req, err
				}
			}
		default:
			return req, badRequest("params", "must be a JSON object")
		}
	}
	if v, ok := body.get("data"); ok && v != nil {
		if s, isStr := v.(string); isStr { // a JSON document sent as a string
			if d, err := decodeJSON([]byte(s)); err == nil {
				v = d
			}
		}
		req.data, req.hasData = v, true
	}
	str := func(key string) (string, error) {
		switch v, _ := body.get(key); t := v.(type) {
		case nil:
			return "", nil
		case string:
			return strings.TrimSpace(t), nil
		case json.Number:
			return t.String(), nil
		default:
			return "", badRequest(key, "must be a string")
		}
	}
	if req.timezone, err = str("timezone"); err != nil {
		return req, err
	}
	if req.lang, err = str("lang"); err != nil {
		return req, err
	}
	if req.theme, err = str("theme"); err != nil {
		return req, err
	}
	if req.template, err = str("template"); err != nil {
		return req, err
	}
	format, err := str("format")
	if err != nil {
		return req, err
	}
	if req.format, err = parseFormat(format); err != nil {
		return req, err
	}
	switch v, _ := body.get("includeAttachments"); t := v.(type) {
	case nil:
	case bool:
		req.attachments = t
	case string, json.Number:
		b, ok := parseBool(scalarText(t))
		if !ok {
			return req, badRequest("includeAttachments", "must be true or false")
		}
		req.attachments = b
	default:
		return req, badRequest("includeAttachments", "must be true or false")
	}
	if !async {
		return req, nil
	}
	switch v, _ := body.get("tempDataId"); t := v.(type) {
	case nil:
	case json.Number, string:
		id, ok := parseID(scalarText(t))
		if !ok {
			return req, badRequest("tempDataId", "must be an integer")
		}
		req.tempDataID = id
	default:
		return req, badRequest("tempDataId", "must be an integer")
	}
	switch v, _ := body.get("excludePages"); t := v.(type) {
	case nil:
	case []any:
		for _, e := range t {
			n, ok := e.(json.Number)
			id, isID := parseID(scalarText(n))
			if !ok || !isID {
				return req, badRequest("excludePages", "must be an array of page numbers")
			}
			req.excludePages = append(req.excludePages, id)
		}
	default:
		return req, badRequest("excludePages", "must be an array of page numbers")
	}
	return req, nil
}

// checkTimezone validates an IANA name; empty means UTC.
func checkTimezone(tz string) (string, error) {
	tz = strings.TrimSpace(tz)
	if tz == "" {
		return "UTC", nil
	}
	if _, err := time.LoadLocation(tz); err != nil || strings.EqualFold(tz, "Local") {
		return "", badRequest("timezone", fmt.Sprintf("unknown IANA time zone %q", tz))
	}
	return tz, nil
}

// parseTime reads an ISO-8601 timestamp as the clients send it (RFC 3339,
// with or without fractions; a missing zone means UTC).
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("not an ISO-8601 date: %q", s)
}

// isoTime formats t the way the API does: RFC 3339, UTC, whole seconds.
func isoTime(t time.Time) string { return t.UTC().Format(time.RFC3339) }
