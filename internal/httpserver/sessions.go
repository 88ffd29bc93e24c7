package httpserver

import (
	"crypto/rand"
	"errors"
	"sync"
)

// errUnknownSession is what sessionIDs.Validate reports for an id it did
// not issue or that has ended; mcp-go answers it with 404.
var errUnknownSession = errors.New("unknown session")

// sessionIDs is the Streamable HTTP session id manager of stateful mode:
// it issues random ids at initialize and accepts only those still live.
// (mcp-go's default checks only an id's format, and a GET with any id
// registers it; see ../shared/docs/mcp-go-notes.md §6.)
type sessionIDs struct {
	mu   sync.Mutex
	live map[string]struct{}
}

func newSessionIDs() *sessionIDs { return &sessionIDs{live: map[string]struct{}{}} }

// Generate issues a new session id (130 random bits).
func (s *sessionIDs) Generate() string {
	id := "mcp-session-" + rand.Text()
	s.mu.Lock()
	s.live[id] = struct{}{}
	s.mu.Unlock()
	return id
}

// Validate accepts live ids only.
func (s *sessionIDs) Validate(id string) (isTerminated bool, err error) {
	if !s.known(id) {
		return false, errUnknownSession
	}
	return false, nil
}

// Terminate ends a session; afterwards its id is unknown.
func (s *sessionIDs) Terminate(id string) (isNotAllowed bool, err error) {
	s.mu.Lock()
	delete(s.live, id)
	s.mu.Unlock()
	return false, nil
}

func (s *sessionIDs) known(id string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	_, ok := s.live[id]
	return ok
}
