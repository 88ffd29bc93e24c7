package sandbox

import (
	"net/http"
	"time"
)

// tempData is content pushed with E10, usable by tempDataId in its
// workspace until it expires.
type tempData struct {
	id        int64
	workspace int64
	content   any
	expires   time.Time
}

type tempDataJSON struct {
	TempDataID int64  `json:"tempDataId"`
	ExpiryDate string `json:"expiryDate"`
}

// handleTempData is E10: {content, expiryDate?}. content is any JSON value;
// a string holding a JSON document (what the PHP client sends) is decoded.
// expiryDate may be absent or null (then 1h from now) or ISO-8601 in the
// future.
func (s *Server) handleTempData(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return err
	}
	body, err := readObjectBody(w, r)
	if err != nil {
		return err
	}
	content, ok := body.get("content")
	if !ok {
		return badRequest("content", "is required")
	}
	if str, isStr := content.(string); isStr {
		if v, err := decodeJSON([]byte(str)); err == nil {
			content = v
		}
	}
	now := s.now()
	expires := now.Add(DefaultTempDataTTL)
	switch v, _ := body.get("expiryDate"); t := v.(type) {
	case nil:
	case string:
		if t != "" {
			if expires, err = parseTime(t); err != nil {
				return badRequest("expiryDate", err.Error())
			}
			if !expires.After(now) {
				return badRequest("expiryDate", "must be in the future")
			}
		}
	default:
		return badRequest("expiryDate", "must be an ISO-8601 date string")
	}
	expires = expires.Truncate(time.Second)
	s.mu.Lock()
	if now.After(s.nextTempSweep) { // lazy sweep, at most once a minute
		for id, td := range s.tempData {
			if !now.Before(td.expires) {
				delete(s.tempData, id)
			}
		}
		s.nextTempSweep = now.Add(time.Minute)
	}
	td := &tempData{id: s.nextTemp, workspace: ws.ID, content: content, expires: expires}
	s.nextTemp++
	s.tempData[td.id] = td
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, tempDataJSON{TempDataID: td.id, ExpiryDate: isoTime(expires)})
	return nil
}

// lookupTempData returns live content of id in workspace wsID.
func (s *Server) lookupTempData(wsID, id int64) (any, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	td, ok := s.tempData[id]
	if !ok || td.workspace != wsID {
		return nil, false
	}
	if !s.now().Before(td.expires) {
		delete(s.tempData, id)
		return nil, false
	}
	return td.content, true
}
