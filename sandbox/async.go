package sandbox

import (
	"fmt"
	"net/http"
	"time"
)

// Export statuses of E8.
const (
	StatusInProgress = "InProgress"
	StatusCompleted  = "Completed"
	StatusFailed     = "Failed"
)

// Titles of E9's 409 answers.
const (
	TitleExportNotReady = "Export not ready"
	TitleExportFailed   = "Export failed"
)

// export is a temporary file made by E7 or E17. It is rendered when it is
// created; the clock alone decides when it becomes ready (started + delay)
// and when it expires (ready + ExportTTL).
type export struct {
	id        int64
	workspace int64
	name      string
	started   time.Time
	delay     time.Duration
	doc       *docResult // nil when failed
	failMsg   string
}

func (e *export) readyAt() time.Time   { return e.started.Add(e.delay) }
func (e *export) expiresAt() time.Time { return e.readyAt().Add(ExportTTL) }

func (e *export) status(now time.Time) string {
	switch {
	case now.Before(e.readyAt()):
		return StatusInProgress
	case e.doc == nil:
		return StatusFailed
	}
	return StatusCompleted
}

type exportStartedJSON struct {
	TemporaryFileID int64 `json:"temporaryFileId"`
}

type exportStatusJSON struct {
	ID           int64   `json:"id"`
	Status       string  `json:"status"`
	IsReady      bool    `json:"isReady"`
	ErrorMessage *string `json:"errorMessage"`
	ExpiryTime   string  `json:"expiryTime"`
	Name         *string `json:"name"`
	ContentSize  *int64  `json:"contentSize"`
	ContentType  *string `json:"contentType"`
}

// addExport stores a new temporary file and returns its id.
func (s *Server) addExport(ws int64, name string, doc *docResult, failMsg string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	for id, e := range s.exports { // lazy sweep of expired files
		if !now.Before(e.expiresAt()) {
			delete(s.exports, id)
		}
	}
	e := &export{id: s.nextExport, workspace: ws, name: name, started: now, delay: s.asyncDelay, doc: doc, failMsg: failMsg}
	s.nextExport++
	s.exports[e.id] = e
	return e.id
}

// handleExport is E7: validates like E6, then answers 202
// {"temporaryFileId": n}. A report that fails to render becomes a Failed
// export rather than an error answer.
func (s *Server) handleExport(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, rep, req, err := s.bodyTarget(w, r, u, true)
	if err != nil {
		return err
	}
	in, err := s.resolveRender(ws, rep, req)
	if err != nil {
		return err
	}
	doc, err := render(in)
	failMsg := ""
	if f, ok := err.(*renderFailure); ok {
		failMsg, err = f.Error(), nil
	}
	if err != nil {
		return err
	}
	id := s.addExport(ws.ID, in.fileName(), doc, failMsg)
	writeJSON(w, http.StatusAccepted, exportStartedJSON{TemporaryFileID: id})
	return nil
}

// findExport returns the live export of the {file} path value in ws.
func (s *Server) findExport(r *http.Request, u *user) (*export, time.Time, error) {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return nil, time.Time{}, err
	}
	key := r.PathValue("file")
	id, ok := parseID(key)
	notFoundErr := notFound(TitleExportNotFound, fmt.Sprintf("no export %s in workspace %q (it may have expired)", key, ws.Code))
	if !ok {
		return nil, time.Time{}, notFoundErr
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	e, ok := s.exports[id]
	if !ok || e.workspace != ws.ID {
		return nil, now, notFoundErr
	}
	if !now.Before(e.expiresAt()) {
		delete(s.exports, id)
		return nil, now, notFoundErr
	}
	return e, now, nil
}

// handleExportStatus is E8.
func (s *Server) handleExportStatus(w http.ResponseWriter, r *http.Request, u *user) error {
	e, now, err := s.findExport(r, u)
	if err != nil {
		return err
	}
	st := e.status(now)
	out := exportStatusJSON{ID: e.id, Status: st, IsReady: st == StatusCompleted, ExpiryTime: isoTime(e.expiresAt()), Name: strp(e.name)}
	switch st {
	case StatusFailed:
		out.ErrorMessage = strp(e.failMsg)
	case StatusCompleted:
		out.ContentSize = &e.doc.size
		out.ContentType = strp(e.doc.contentType)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// handleExportContent is E9: the file once Completed; 409 while
// InProgress or when Failed.
func (s *Server) handleExportContent(w http.ResponseWriter, r *http.Request, u *user) error {
	e, now, err := s.findExport(r, u)
	if err != nil {
		return err
	}
	switch e.status(now) {
	case StatusInProgress:
		return conflict(TitleExportNotReady, fmt.Sprintf("export %d is still in progress; poll its status until isReady", e.id))
	case StatusFailed:
		return conflict(TitleExportFailed, e.failMsg)
	}
	s.writeDocument(w, r, e.doc)
	return nil
}
