package sandbox

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"slices"
	"strings"
	"time"
)

// SessionCookieName is the cookie a preview nonce turns into.
const SessionCookieName = "cxr_session"

// user is one of the two token holders.
type user struct {
	name       string
	token      string
	all        bool    // sees every workspace
	workspaces []int64 // otherwise only these
}

func (u *user) canSee(wsID int64) bool {
	return u.all || slices.Contains(u.workspaces, wsID)
}

// bearerUser authenticates an /api/v1 call by its Authorization header.
// Nonces and cookies are not accepted here (see README.md).
func (s *Server) bearerUser(r *http.Request) (*user, *problem) {
	h := r.Header.Get("Authorization")
	unauthorized := func(detail, challenge string) *problem {
		return &problem{Status: http.StatusUnauthorized, Title: "Unauthorized", Detail: detail,
			Header: http.Header{"Www-Authenticate": {challenge}}}
	}
	if h == "" {
		detail := "missing Authorization header; send Authorization: Bearer <personal access token>"
		if r.URL.Query().Has("nonce") {
			detail += " (nonce tokens only work on the preview page)"
		}
		return nil, unauthorized(detail, "Bearer")
	}
	scheme, token, _ := strings.Cut(h, " ")
	if !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return nil, unauthorized("the Authorization header must use the Bearer scheme", "Bearer")
	}
	if u := s.userByToken(strings.TrimSpace(token)); u != nil {
		return u, nil
	}
	return nil, unauthorized("the token is not valid", `Bearer error="invalid_token"`)
}

func (s *Server) userByToken(token string) *user {
	for _, u := range s.users {
		if subtle.ConstantTimeCompare([]byte(u.token), []byte(token)) == 1 {
			return u
		}
	}
	return nil
}

func (s *Server) userByName(name string) *user {
	for _, u := range s.users {
		if u.name == name {
			return u
		}
	}
	return nil
}

// resolveWorkspace finds the {ws} path value for u: 404 when it does not
// exist, 403 when u may not see it.
func (s *Server) resolveWorkspace(r *http.Request, u *user) (*workspace, error) {
	key := r.PathValue("ws")
	ws := s.data.workspace(key)
	if ws == nil {
		return nil, notFound(TitleWorkspaceNotFound, "no workspace with id or code "+quote(key))
	}
	if !u.canSee(ws.ID) {
		return nil, &problem{Status: http.StatusForbidden, Title: "Forbidden",
			Detail: "this token has no access to workspace " + quote(key)}
	}
	return ws, nil
}

// resolveReport finds the {report} path value, a report id or a report type
// code (which means the type's default report), within ws.
func (s *Server) resolveReport(r *http.Request, ws *workspace) (*report, error) {
	key := r.PathValue("report")
	if id, ok := parseID(key); ok {
		rep := s.data.reportByID(id)
		if rep == nil || rep.WorkspaceID != ws.ID {
			return nil, notFound(TitleReportNotFound, "no report "+key+" in workspace "+quote(ws.Code))
		}
		return rep, nil
	}
	rt := s.data.reportType(ws.ID, key)
	if rt == nil {
		return nil, notFound(TitleReportTypeNotFound, "no report type "+quote(key)+" in workspace "+quote(ws.Code))
	}
	return s.data.reportByID(rt.DefaultReportID), nil
}

func quote(s string) string { return `"` + s + `"` }

// randomToken returns 24 random bytes, base64url without padding (32 chars).
func randomToken() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b) // never fails on supported platforms
	return base64.RawURLEncoding.EncodeToString(b)
}

// expiringStore maps random tokens to a user name until an expiry. Expired
// entries are swept lazily, at most once per sweep interval, so the store
// copes with one new nonce per preview link. Callers hold Server.mu.
type expiringStore struct {
	m         map[string]expiring
	nextSweep time.Time
}

type expiring struct {
	user    string
	expires time.Time
}

func newExpiringStore() expiringStore { return expiringStore{m: map[string]expiring{}} }

func (st *expiringStore) add(token, userName string, now, expires time.Time) {
	if now.After(st.nextSweep) {
		for k, e := range st.m {
			if !now.Before(e.expires) {
				delete(st.m, k)
			}
		}
		st.nextSweep = now.Add(time.Minute)
	}
	st.m[token] = expiring{user: userName, expires: expires}
}

// lookup returns the live entry for token; consume deletes it.
func (st *expiringStore) lookup(token string, now time.Time, consume bool) (string, bool) {
	e, ok := st.m[token]
	if !ok {
		return "", false
	}
	if !now.Before(e.expires) {
		delete(st.m, token)
		return "", false
	}
	if consume {
		delete(st.m, token)
	}
	return e.user, true
}

// handleNonce is E11: no body, an empty body or any JSON body; answers
// 200 {"nonce": "..."} with a single-use token valid for NonceTTL.
func (s *Server) handleNonce(w http.ResponseWriter, r *http.Request, u *user) error {
	if _, err := readBody(w, r, 1<<20); err != nil {
		return err
	}
	s.mu.Lock()
	now := s.now()
	var nonce string
	if s.nonceKey != nil {
		nonce = s.mintSignedNonce(u, now.Add(s.ttl))
	} else {
		nonce = randomToken()
		s.nonces.add(nonce, u.name, now, now.Add(s.ttl))
	}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, map[string]string{"nonce": nonce})
	return nil
}

// redeemNonce consumes a live nonce and returns its user's name. Callers
// hold s.mu.
func (s *Server) redeemNonce(nonce string, now time.Time) (string, bool) {
	if s.nonceKey != nil {
		return s.redeemSignedNonce(nonce, now)
	}
	return s.nonces.lookup(nonce, now, true)
}

// previewUser authenticates the preview page: a live nonce (consumed and
// turned into a session cookie), else the session cookie, else a Bearer
// token. reason explains a failure to a person.
func (s *Server) previewUser(w http.ResponseWriter, r *http.Request) (u *user, reason string) {
	now := s.now()
	q := r.URL.Query()
	if nonce := q.Get("nonce"); nonce != "" {
		s.mu.Lock()
		name, ok := s.redeemNonce(nonce, now)
		var session string
		if ok {
			session = randomToken()
			s.sessions.add(session, name, now, now.Add(SessionTTL))
		}
		s.mu.Unlock()
		if ok {
			http.SetCookie(w, &http.Cookie{Name: SessionCookieName, Value: session, Path: "/",
				HttpOnly: true, SameSite: http.SameSiteLaxMode, MaxAge: int(SessionTTL / time.Second)})
			return s.userByName(name), ""
		}
	}
	if c, err := r.Cookie(SessionCookieName); err == nil {
		s.mu.Lock()
		name, ok := s.sessions.lookup(c.Value, now, false)
		s.mu.Unlock()
		if ok {
			return s.userByName(name), ""
		}
	}
	if r.Header.Get("Authorization") != "" {
		if u, p := s.bearerUser(r); p == nil {
			return u, ""
		}
	}
	if q.Get("nonce") != "" {
		return nil, "This preview link has already been used or has expired. Ask for a new link."
	}
	return nil, "This preview needs a sign-in link. Ask for a new link."
}
