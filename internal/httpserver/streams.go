package httpserver

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"sync"
)

type sseStreamKey struct{}

// streamRegistry maps legacy SSE session ids to their open streams.
type streamRegistry struct {
	mu      sync.Mutex
	streams map[string]*sseStream
}

func newStreamRegistry() *streamRegistry {
	return &streamRegistry{streams: map[string]*sseStream{}}
}

// newSessionID is mcp-go's session id generator for a new SSE stream: it
// issues a random id and records the stream under it.
func (g *streamRegistry) newSessionID(ctx context.Context, _ *http.Request) (string, error) {
	st, ok := ctx.Value(sseStreamKey{}).(*sseStream)
	if !ok {
		return "", errors.New("SSE stream not set up by httpserver")
	}
	id := rand.Text()
	st.mu.Lock()
	st.id = id
	st.mu.Unlock()
	g.mu.Lock()
	g.streams[id] = st
	g.mu.Unlock()
	return id, nil
}

func (g *streamRegistry) get(id string) *sseStream {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.streams[id]
}

// remove forgets an ended stream and releases its unanswered requests.
func (g *streamRegistry) remove(st *sseStream) {
	st.mu.Lock()
	id := st.id
	st.mu.Unlock()
	g.mu.Lock()
	if g.streams[id] == st {
		delete(g.streams, id)
	}
	g.mu.Unlock()
	st.close()
}
