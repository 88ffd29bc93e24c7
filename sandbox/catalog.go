package sandbox

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
)

// JSON models of the catalogue endpoints; every key some client requires
// is always present.
type (
	workspaceJSON struct {
		ID          int64   `json:"id"`
		Name        string  `json:"name"`
		Description *string `json:"description"`
		Code        string  `json:"code"`
	}
	reportTypeJSON struct {
		ID                int64   `json:"id"`
		Name              string  `json:"name"`
		Description       *string `json:"description"`
		Code              string  `json:"code"`
		DefaultReportID   int64   `json:"defaultReportId"`
		DefaultReportName string  `json:"defaultReportName"`
	}
	reportJSON struct {
		ID                 int64   `json:"id"`
		Name               string  `json:"name"`
		ReportTypeID       int64   `json:"reportTypeId"`
		ReportTypeName     string  `json:"reportTypeName"`
		ReportTemplateName string  `json:"reportTemplateName"`
		PreviewImage       *string `json:"previewImage"`
		ThemeName          string  `json:"themeName"`
		IsDefault          bool    `json:"isDefault"`
	}
	pageJSON struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
		Type string `json:"type"`
	}
	themeJSON struct {
		ID   int64  `json:"id"`
		Code string `json:"code"`
		Name string `json:"name"`
	}
)

// handleWorkspaces is E1: the workspaces the token may see.
func (s *Server) handleWorkspaces(w http.ResponseWriter, r *http.Request, u *user) error {
	out := []workspaceJSON{}
	for _, ws := range s.data.workspaces {
		if u.canSee(ws.ID) {
			out = append(out, workspaceJSON{ID: ws.ID, Name: ws.Name, Description: ws.Description, Code: ws.Code})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// handleReportTypes is E2.
func (s *Server) handleReportTypes(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return err
	}
	out := []reportTypeJSON{}
	for _, rt := range s.data.types {
		if rt.WorkspaceID == ws.ID {
			out = append(out, reportTypeJSON{ID: rt.ID, Name: rt.Name, Description: rt.Description, Code: rt.Code,
				DefaultReportID: rt.DefaultReportID, DefaultReportName: s.data.reportByID(rt.DefaultReportID).Name})
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (s *Server) reportJSON(rep *report) reportJSON {
	rt := s.data.reportType(rep.WorkspaceID, rep.TypeCode)
	out := reportJSON{ID: rep.ID, Name: rep.Name, ReportTypeID: rt.ID, ReportTypeName: rt.Name,
		ReportTemplateName: rep.TemplateName, ThemeName: rep.ThemeName, IsDefault: rep.IsDefault}
	if rep.PreviewImage != "" {
		out.PreviewImage = strp(rep.PreviewImage)
	}
	return out
}

// handleReports is E3: ?type= filters by report type code (empty: no
// filter; an unknown code gives an empty list), offset and limit page.
func (s *Server) handleReports(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	typ := strings.TrimSpace(q.Get("type"))
	offset, err := queryInt(q.Get("offset"), "offset")
	if err != nil {
		return err
	}
	limit, err := queryInt(q.Get("limit"), "limit")
	if err != nil {
		return err
	}
	out := []reportJSON{}
	for _, rep := range s.data.reports { // seed order is by report id within a workspace
		if rep.WorkspaceID == ws.ID && (typ == "" || strings.EqualFold(rep.TypeCode, typ)) {
			out = append(out, s.reportJSON(rep))
		}
	}
	out = out[min(offset, len(out)):]
	if limit > 0 {
		out = out[:min(limit, len(out))]
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// queryInt reads a non-negative integer; empty is 0.
func queryInt(v, field string) (int, error) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, badRequest(field, fmt.Sprintf("must be a non-negative integer, got %q", v))
	}
	return n, nil
}

// handlePages is E4.
func (s *Server) handlePages(w http.ResponseWriter, r *http.Request, u *user) error {
	ws, err := s.resolveWorkspace(r, u)
	if err != nil {
		return err
	}
	rep, err := s.resolveReport(r, ws)
	if err != nil {
		return err
	}
	out := []pageJSON{}
	for _, p := range rep.Pages {
		out = append(out, pageJSON{ID: p.ID, Name: p.Name, Type: p.Type})
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func themesJSON(list []*theme) []themeJSON {
	out := []themeJSON{}
	for _, t := range list {
		out = append(out, themeJSON{ID: t.ID, Code: t.Code, Name: t.Name})
	}
	return out
}

// handleThemes is E12.
func (s *Server) handleThemes(w http.ResponseWriter, r *http.Request, u *user) error {
	if _, err := s.resolveWorkspace(r, u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, themesJSON(s.data.themes))
	return nil
}

// handleTemplates is E13.
func (s *Server) handleTemplates(w http.ResponseWriter, r *http.Request, u *user) error {
	if _, err := s.resolveWorkspace(r, u); err != nil {
		return err
	}
	writeJSON(w, http.StatusOK, themesJSON(s.data.templates))
	return nil
}
