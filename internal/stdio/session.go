package stdio

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// session is the one client session of a stdio connection. Unlike mcp-go's
// own stdio session it is not a process-wide global, so several servers
// can run in one process (as in tests).
type session struct {
	id            string
	notifications chan mcp.JSONRPCNotification
	initialized   atomic.Bool
	logLevel      atomic.Value // mcp.LoggingLevel

	mu           sync.RWMutex
	clientInfo   mcp.Implementation
	capabilities mcp.ClientCapabilities

	// send queues a message the server itself originates (a request to
	// the client, such as roots/list).
	send      func(v any) error
	nextID    atomic.Int64
	pendingMu sync.Mutex
	pending   map[int64]chan json.RawMessage
}

var (
	_ server.ClientSession         = (*session)(nil)
	_ server.SessionWithLogging    = (*session)(nil)
	_ server.SessionWithClientInfo = (*session)(nil)
	_ server.SessionWithRoots      = (*session)(nil)
)

func newSession(id string, send func(v any) error) *session {
	s := &session{
		id:            id,
		notifications: make(chan mcp.JSONRPCNotification, 256),
		send:          send,
		pending:       map[int64]chan json.RawMessage{},
	}
	s.logLevel.Store(mcp.LoggingLevelError)
	return s
}

func (s *session) SessionID() string { return s.id }

func (s *session) NotificationChannel() chan<- mcp.JSONRPCNotification { return s.notifications }

func (s *session) Initialize() { s.initialized.Store(true) }

func (s *session) Initialized() bool { return s.initialized.Load() }

func (s *session) SetLogLevel(level mcp.LoggingLevel) { s.logLevel.Store(level) }

func (s *session) GetLogLevel() mcp.LoggingLevel { return s.logLevel.Load().(mcp.LoggingLevel) }

func (s *session) GetClientInfo() mcp.Implementation {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.clientInfo
}

func (s *session) SetClientInfo(info mcp.Implementation) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clientInfo = info
}

func (s *session) GetClientCapabilities() mcp.ClientCapabilities {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.capabilities
}

func (s *session) SetClientCapabilities(c mcp.ClientCapabilities) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.capabilities = c
}

// ListRoots asks the client for its roots and waits for the answer.
func (s *session) ListRoots(ctx context.Context, _ mcp.ListRootsRequest) (*mcp.ListRootsResult, error) {
	raw, err := s.request(ctx, string(mcp.MethodListRoots))
	if err != nil {
		return nil, err
	}
	var res mcp.ListRootsResult
	if err := json.Unmarshal(raw, &res); err != nil {
		return nil, fmt.Errorf("roots/list: malformed answer: %w", err)
	}
	return &res, nil
}

// request sends a request to the client and waits for its result.
func (s *session) request(ctx context.Context, method string) (json.RawMessage, error) {
	id := s.nextID.Add(1)
	ch := make(chan json.RawMessage, 1)
	s.pendingMu.Lock()
	s.pending[id] = ch
	s.pendingMu.Unlock()
	defer func() {
		s.pendingMu.Lock()
		delete(s.pending, id)
		s.pendingMu.Unlock()
	}()
	msg := struct {
		JSONRPC string `json:"jsonrpc"`
		ID      string `json:"id"`
		Method  string `json:"method"`
	}{mcp.JSONRPC_VERSION, serverRequestID(id), method}
	if err := s.send(msg); err != nil {
		return nil, fmt.Errorf("%s: %w", method, err)
	}
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	case raw := <-ch:
		var resp struct {
			Result json.RawMessage `json:"result"`
			Error  *struct {
				Code    int    `json:"code"`
				Message string `json:"message"`
			} `json:"error"`
		}
		if err := json.Unmarshal(raw, &resp); err != nil {
			return nil, fmt.Errorf("%s: malformed answer: %w", method, err)
		}
		if resp.Error != nil {
			return nil, fmt.Errorf("%s: client answered %d %s", method, resp.Error.Code, resp.Error.Message)
		}
		return resp.Result, nil
	}
}

// serverRequestID makes ids for server-to-client requests that cannot be
// confused with the client's own ids.
func serverRequestID(n int64) string { return fmt.Sprintf("cxr-%d", n) }

// deliver hands a client's response to the request waiting for it. It
// reports whether one was waiting.
func (s *session) deliver(id string, raw json.RawMessage) bool {
	var n int64
	if _, err := fmt.Sscanf(id, "cxr-%d", &n); err != nil {
		return false
	}
	s.pendingMu.Lock()
	ch, ok := s.pending[n]
	s.pendingMu.Unlock()
	if ok {
		ch <- raw
	}
	return ok
}
