package cxapi

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
)

// ExportRequest is the JSON body of POST .../pdf (E6) and POST .../export
// (E7). Empty values are left out; Params and Data must be JSON objects when
// set. ExcludePages and TempDataID are meant for E7.
type ExportRequest struct {
	Params             json.RawMessage `json:"params,omitempty"`
	Data               json.RawMessage `json:"data,omitempty"`
	Lang               string          `json:"lang,omitempty"`
	Timezone           string          `json:"timezone,omitempty"`
	Format             string          `json:"format,omitempty"`
	Theme              string          `json:"theme,omitempty"`
	Template           string          `json:"template,omitempty"`
	IncludeAttachments *bool           `json:"includeAttachments,omitempty"`
	ExcludePages       []int           `json:"excludePages,omitempty"`
	TempDataID         int64           `json:"tempDataId,omitempty"`
}

// body validates req and encodes it ({} for a nil request).
func (req *ExportRequest) body() ([]byte, error) {
	if req == nil {
		return []byte("{}"), nil
	}
	if err := checkObject("params", req.Params); err != nil {
		return nil, err
	}
	if err := checkObject("data", req.Data); err != nil {
		return nil, err
	}
	if req.TempDataID < 0 {
		return nil, fmt.Errorf("%w: tempDataId must be positive, got %d", ErrInvalidArgument, req.TempDataID)
	}
	cp := *req
	cp.Params, cp.Data = objectOrNil(req.Params), objectOrNil(req.Data)
	b, err := marshalBody(&cp)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot encode the request: %v", ErrInvalidArgument, err)
	}
	return b, nil
}

func (req *ExportRequest) format() string {
	if req == nil {
		return ""
	}
	return req.Format
}

// Values of ExportStatus.Status.
const (
	ExportInProgress = "InProgress"
	ExportCompleted  = "Completed"
	ExportFailed     = "Failed"
)

// ExportStatus is the state of an asynchronous export or review document
// (E8). Status is "InProgress", "Completed" or "Failed".
type ExportStatus struct {
	ID           int64      `json:"id"`
	Status       string     `json:"status"`
	IsReady      bool       `json:"isReady"`
	ErrorMessage *string    `json:"errorMessage"`
	ExpiryTime   *time.Time `json:"expiryTime"`
	Name         *string    `json:"name"`
	ContentSize  *int64     `json:"contentSize"`
	ContentType  *string    `json:"contentType"`
}

// UnmarshalJSON accepts the status as a string or as the numbers 0-2 and
// lenient date forms.
func (s *ExportStatus) UnmarshalJSON(b []byte) error {
	type plain ExportStatus
	aux := struct {
		*plain
		Status     json.RawMessage `json:"status"`
		ExpiryTime jsonTime        `json:"expiryTime"`
	}{plain: (*plain)(s)}
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	s.ExpiryTime = aux.ExpiryTime.ptr()
	s.Status = ""
	if len(aux.Status) > 0 && string(aux.Status) != "null" {
		var str string
		var n int
		switch {
		case json.Unmarshal(aux.Status, &str) == nil:
			s.Status = str
		case json.Unmarshal(aux.Status, &n) == nil:
			names := []string{ExportInProgress, ExportCompleted, ExportFailed}
			if n >= 0 && n < len(names) {
				s.Status = names[n]
			} else {
				s.Status = strconv.Itoa(n)
			}
		default:
			return fmt.Errorf("export status: cannot read status %s", clip(string(aux.Status), 40))
		}
	}
	return nil
}

// Export renders a report with the values in req and streams the document
// into w (POST /api/v1/ws/{ws}/reports/{report}/pdf). req.Format (default
// pdf) decides the content type expected. Never retried.
//
// Bytes may already have been written to w when an error is returned: on
// error the caller must discard what w received.
func (c *Client) Export(ctx context.Context, ws string, r ReportRef, req *ExportRequest, w io.Writer) (*Document, error) {
	p, err := reportPath(ws, r)
	var body []byte
	if err == nil {
		body, err = req.body()
	}
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	doc, err := c.download(ctx, &request{method: "POST", path: p + "/pdf", body: body}, expectFormat(req.format()), w)
	if err != nil {
		return nil, fmt.Errorf("export: %w", err)
	}
	return doc, nil
}

// StartExport starts an asynchronous export and returns the temporary file
// id to poll with ExportStatus and fetch with DownloadExport
// (POST /api/v1/ws/{ws}/reports/{report}/export; 202 expected, 200
// accepted). Never retried.
func (c *Client) StartExport(ctx context.Context, ws string, r ReportRef, req *ExportRequest) (int64, error) {
	p, err := reportPath(ws, r)
	var body []byte
	if err == nil {
		body, err = req.body()
	}
	if err != nil {
		return 0, fmt.Errorf("start export: %w", err)
	}
	rq := &request{method: "POST", path: p + "/export", body: body}
	id, err := c.postForID(ctx, rq, "temporaryFileId")
	if err != nil {
		return 0, fmt.Errorf("start export: %w", err)
	}
	return id, nil
}

// ExportStatus reports the state of a temporary file made by StartExport or
// GenerateReviewDocument (GET /api/v1/ws/{ws}/exports/{tempFileId}/status).
func (c *Client) ExportStatus(ctx context.Context, ws string, tempFileID int64) (*ExportStatus, error) {
	p, err := exportPath(ws, tempFileID)
	if err != nil {
		return nil, fmt.Errorf("export status: %w", err)
	}
	var out ExportStatus
	if err := c.doJSON(ctx, &request{method: "GET", path: p + "/status", retry: true}, &out); err != nil {
		return nil, fmt.Errorf("export status: %w", err)
	}
	return &out, nil
}

// DownloadExport streams a finished temporary file into w
// (GET /api/v1/ws/{ws}/exports/{tempFileId}/content). Any content type is
// accepted; a PDF is checked like DownloadPDF does.
//
// Bytes may already have been written to w when an error is returned: on
// error the caller must discard what w received.
func (c *Client) DownloadExport(ctx context.Context, ws string, tempFileID int64, w io.Writer) (*Document, error) {
	p, err := exportPath(ws, tempFileID)
	if err != nil {
		return nil, fmt.Errorf("download export: %w", err)
	}
	doc, err := c.download(ctx, &request{method: "GET", path: p + "/content", retry: true}, docExpect{}, w)
	if err != nil {
		return nil, fmt.Errorf("download export: %w", err)
	}
	return doc, nil
}

func exportPath(ws string, tempFileID int64) (string, error) {
	p, err := wsPath(ws)
	if err != nil {
		return "", err
	}
	if err := checkPositive("temporary file id", tempFileID); err != nil {
		return "", err
	}
	return p + "/exports/" + strconv.FormatInt(tempFileID, 10), nil
}

// postForID sends a POST and reads the positive integer under key from the
// JSON answer.
func (c *Client) postForID(ctx context.Context, r *request, key string) (int64, error) {
	var out map[string]json.RawMessage
	if err := c.doJSON(ctx, r, &out); err != nil {
		return 0, err
	}
	var id int64
	if raw, ok := out[key]; !ok || json.Unmarshal(raw, &id) != nil || id <= 0 {
		return 0, fmt.Errorf("%s: %w: the response has no positive %q", c.prefix(r), ErrUnexpectedResponse, key)
	}
	return id, nil
}
