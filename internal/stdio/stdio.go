// Package stdio serves an MCP server over standard input and output: one
// JSON-RPC message per line in, one per line out, and nothing else on the
// output, ever.
//
// It replaces mcp-go's stdio server, which on end of input cancels the
// calls in flight and drops queued answers, keeps its session in a
// process-wide global, and may write a call's notifications after its
// result. Here every request gets exactly one answer, notifications queued
// by a call are written before the call's result, a cancelled request gets
// no answer, and the session belongs to this connection alone.
package stdio

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime/debug"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/internal/toolargs"
)

// Options tunes Serve. Zero values give the defaults.
type Options struct {
	// Logger receives diagnostics (never message contents).
	Logger *slog.Logger
	// MaxConcurrentCalls bounds tools/call requests running at once; other
	// requests (ping, tools/list, …) never wait behind them. Default 128:
	// slow document downloads have their own, smaller limit in package
	// tools, so quick calls do not queue behind them here.
	MaxConcurrentCalls int
	// DrainTimeout is how long calls in flight may run on after the input
	// ends or ctx is cancelled; what is still running then is answered
	// "client disconnected". Default 10s.
	DrainTimeout time.Duration
	// MaxMessageBytes caps one incoming message. Default 64 MiB.
	MaxMessageBytes int
}

// Serve reads requests from in and writes answers to out until in ends or
// ctx is cancelled, then lets calls in flight finish (see
// Options.DrainTimeout), answers every request received, and returns nil.
// It returns an error only when out cannot be written.
func Serve(ctx context.Context, srv *server.MCPServer, in io.Reader, out io.Writer, opts Options) error {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.MaxConcurrentCalls <= 0 {
		opts.MaxConcurrentCalls = 128
	}
	if opts.DrainTimeout <= 0 {
		opts.DrainTimeout = 10 * time.Second
	}
	if opts.MaxMessageBytes <= 0 {
		opts.MaxMessageBytes = 64 << 20
	}
	c := &conn{
		srv:      srv,
		opts:     opts,
		log:      opts.Logger,
		outbox:   make(chan []byte, 64),
		inflight: map[string]*call{},
		calls:    make(chan struct{}, opts.MaxConcurrentCalls),
		writeErr: make(chan error, 1),
	}
	c.sess = newSession("stdio", c.sendJSON)
	if err := srv.RegisterSession(ctx, c.sess); err != nil {
		return fmt.Errorf("register stdio session: %w", err)
	}
	defer srv.UnregisterSession(context.Background(), c.sess.SessionID())

	// Requests run on a context that outlives ctx by the drain timeout.
	base, cancelAll := context.WithCancel(context.WithoutCancel(ctx))
	defer cancelAll()
	c.base = srv.WithContext(base, c.sess)

	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		c.writeLoop(out)
	}()

	lines := make(chan []byte)
	readErr := make(chan error, 1)
	go c.readLoop(in, lines, readErr)

	var err error
read:
	for {
		select {
		case line := <-lines:
			c.dispatch(line)
		case e := <-readErr:
			if e != nil && !errors.Is(e, io.EOF) {
				c.log.Warn("reading stdin failed", "err", e)
			}
			break read
		case <-ctx.Done():
			break read
		case err = <-c.writeErr:
			break read
		}
	}

	c.drain(cancelAll)
	close(c.outbox)
	<-writerDone
	if err == nil {
		select {
		case err = <-c.writeErr:
		default:
		}
	}
	return err
}

// conn is the state of one stdio connection.
type conn struct {
	srv  *server.MCPServer
	opts Options
	log  *slog.Logger
	sess *session
	base context.Context

	outbox   chan []byte
	writeErr chan error

	mu       sync.Mutex
	inflight map[string]*call // by the request id's JSON text
	wg       sync.WaitGroup
	calls    chan struct{} // semaphore of tools/call
}

// call is a request being handled.
type call struct {
	id     json.RawMessage
	method string
	cancel context.CancelFunc
	// answered is set once the request has had its one answer, or must
	// have none (it was cancelled by the client).
	answered bool
}

// envelope is the part of a JSON-RPC message that routing needs.
type envelope struct {
	ID     json.RawMessage `json:"id"`
	Method string          `json:"method"`
	Params json.RawMessage `json:"params"`
}

// hasID reports whether the message carries an id, that is, whether it
// is a request (or a response) rather than a notification.
func (e envelope) hasID() bool {
	return len(e.ID) > 0 && !bytes.Equal(e.ID, []byte("null"))
}

func (c *conn) readLoop(in io.Reader, lines chan<- []byte, done chan<- error) {
	r := bufio.NewReaderSize(in, 64<<10)
	for {
		line, err := readLine(r, c.opts.MaxMessageBytes)
		if len(bytes.TrimSpace(line)) > 0 || errors.Is(err, errTooLarge) {
			if errors.Is(err, errTooLarge) {
				c.sendJSON(errorResponse(nil, mcp.PARSE_ERROR, fmt.Sprintf("message larger than %d bytes", c.opts.MaxMessageBytes)))
				err = nil
			} else {
				lines <- line
			}
		}
		if err != nil {
			done <- err
			return
		}
	}
}

var errTooLarge = errors.New("message too large")

// readLine reads one line of at most max bytes. A longer line is skipped
// to its end and reported as errTooLarge.
func readLine(r *bufio.Reader, max int) ([]byte, error) {
	var line []byte
	for {
		chunk, err := r.ReadSlice('\n')
		if len(line)+len(chunk) > max {
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = r.ReadSlice('\n')
			}
			if err != nil && !errors.Is(err, io.EOF) {
				return nil, err
			}
			return nil, errTooLarge
		}
		line = append(line, chunk...)
		if errors.Is(err, bufio.ErrBufferFull) {
			continue
		}
		return line, err
	}
}

// dispatch routes one incoming message.
func (c *conn) dispatch(line []byte) {
	if trimmed := bytes.TrimSpace(line); len(trimmed) > 0 && trimmed[0] == '[' {
		c.sendJSON(errorResponse(nil, mcp.INVALID_REQUEST, "JSON-RPC batches are not supported: send one message per line"))
		return
	}
	var env envelope
	if err := json.Unmarshal(line, &env); err != nil {
		// Let mcp-go produce the standard parse error.
		c.respond(nil, c.handle(c.base, envelope{}, line))
		return
	}
	hasID := env.hasID()
	switch {
	case env.Method != "" && !hasID && len(env.ID) > 0:
		// "id": null is neither a request nor a notification in MCP.
		c.sendJSON(errorResponse(nil, mcp.INVALID_REQUEST, "a request id must be a string or a number, not null"))
	case env.Method == "" && hasID:
		// A response to a request the server sent.
		var id string
		if json.Unmarshal(env.ID, &id) == nil && c.sess.deliver(id, line) {
			return
		}
		c.log.Debug("dropped a response to an unknown request")
	case !hasID:
		if env.Method == string(mcp.MethodNotificationCancelled) {
			c.cancelled(env.Params)
		}
		c.handle(c.base, env, line)
	case env.Method == string(mcp.MethodInitialize):
		// Answered before anything read after it.
		c.respond(env.ID, c.handle(c.base, env, line))
	default:
		c.start(env, line)
	}
}

// start runs a request in its own goroutine.
func (c *conn) start(env envelope, line []byte) {
	key := string(env.ID)
	ctx, cancel := context.WithCancel(c.base)
	cl := &call{id: env.ID, method: env.Method, cancel: cancel}
	c.mu.Lock()
	if _, dup := c.inflight[key]; dup {
		c.mu.Unlock()
		cancel()
		c.sendJSON(errorResponse(env.ID, mcp.INVALID_REQUEST, "a request with this id is still in progress"))
		return
	}
	c.inflight[key] = cl
	c.mu.Unlock()

	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer cancel()
		if env.Method == string(mcp.MethodToolsCall) {
			select {
			case c.calls <- struct{}{}:
				defer func() { <-c.calls }()
			case <-ctx.Done():
				c.finish(key, nil)
				return
			}
		}
		c.finish(key, c.handle(ctx, env, line))
	}()
}

// handle passes one message to mcp-go. Arguments mcp-go cannot parse are
// kept for the tool's own validation (see toolargs), and a panic outside
// the tool handlers (which recover their own) becomes an error answer to a
// request instead of ending the process.
func (c *conn) handle(ctx context.Context, env envelope, line []byte) (resp mcp.JSONRPCMessage) {
	defer func() {
		if p := recover(); p != nil {
			c.log.Error("request handler panicked", "method", env.Method, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
			resp = nil
			if env.hasID() {
				resp = errorResponse(env.ID, mcp.INTERNAL_ERROR, "internal error while handling "+env.Method+"; the server is still running")
			}
		}
	}()
	if env.Method == string(mcp.MethodToolsCall) {
		ctx, line = toolargs.Guard(ctx, line)
	}
	return c.srv.HandleMessage(ctx, line)
}

// finish writes a request's answer unless it already had one or must
// have none.
func (c *conn) finish(key string, resp mcp.JSONRPCMessage) {
	c.mu.Lock()
	cl := c.inflight[key]
	delete(c.inflight, key)
	answered := cl == nil || cl.answered
	if cl != nil {
		cl.answered = true
	}
	c.mu.Unlock()
	if !answered && resp != nil {
		c.respond(cl.id, resp)
	}
}

// cancelled handles notifications/cancelled: the request's context ends
// and, as the specification asks, it gets no answer.
func (c *conn) cancelled(params json.RawMessage) {
	var p struct {
		RequestID json.RawMessage `json:"requestId"`
	}
	if json.Unmarshal(params, &p) != nil || len(p.RequestID) == 0 {
		return
	}
	c.mu.Lock()
	cl := c.inflight[string(p.RequestID)]
	if cl != nil {
		cl.answered = true
	}
	c.mu.Unlock()
	if cl != nil {
		cl.cancel()
	}
}

// drain waits for the requests in flight, up to the drain timeout; those
// still running are then answered "client disconnected" and cancelled.
func (c *conn) drain(cancelAll context.CancelFunc) {
	done := make(chan struct{})
	go func() {
		c.wg.Wait()
		close(done)
	}()
	timer := time.NewTimer(c.opts.DrainTimeout)
	defer timer.Stop()
	select {
	case <-done:
		return
	case <-timer.C:
	}
	c.mu.Lock()
	var cut []*call
	for _, cl := range c.inflight {
		if !cl.answered {
			cl.answered = true
			cut = append(cut, cl)
		}
	}
	c.mu.Unlock()
	for _, cl := range cut {
		c.log.Warn("answering a request cut off at shutdown", "method", cl.method)
		if cl.method == string(mcp.MethodToolsCall) {
			res := mcp.NewToolResultError("Client disconnected: the server stopped before this call finished. Nothing was saved; run the call again.")
			c.respond(cl.id, mcp.NewJSONRPCResultResponse(requestID(cl.id), res))
		} else {
			c.sendJSON(errorResponse(cl.id, mcp.INTERNAL_ERROR, "client disconnected before the request finished"))
		}
	}
	cancelAll()
	// Handlers see their context end; give them a moment to clean up
	// (temporary files), but do not wait forever.
	select {
	case <-done:
	case <-time.After(2 * time.Second):
	}
}

// respond writes an answer after the notifications queued so far.
func (c *conn) respond(id json.RawMessage, resp mcp.JSONRPCMessage) {
	if resp == nil {
		return
	}
	b, err := json.Marshal(resp)
	if err != nil {
		c.log.Error("cannot encode an answer", "err", err)
		b, _ = json.Marshal(errorResponse(id, mcp.INTERNAL_ERROR, "the server could not encode its answer"))
	}
	c.outbox <- withID(b, id)
}

// withID puts the request's id back into an answer exactly as the client
// sent it. mcp-go decodes ids into float64, so an integer id above 2^53
// would otherwise come back changed; only such ids are rewritten.
func withID(answer []byte, id json.RawMessage) []byte {
	if len(id) <= 15 || id[0] == '"' {
		return answer
	}
	var m struct {
		JSONRPC string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Result  json.RawMessage `json:"result,omitempty"`
		Error   json.RawMessage `json:"error,omitempty"`
	}
	if json.Unmarshal(answer, &m) != nil || bytes.Equal(m.ID, id) {
		return answer
	}
	m.ID = id
	out, err := json.Marshal(m)
	if err != nil {
		return answer
	}
	return out
}

func (c *conn) sendJSON(v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	c.outbox <- b
	return nil
}

// writeLoop is the only writer of out. Before each message it writes the
// notifications already queued, so that a call's progress and log
// notifications precede its result.
func (c *conn) writeLoop(out io.Writer) {
	w := bufio.NewWriterSize(out, 64<<10)
	failed := false
	write := func(b []byte) {
		if failed {
			return
		}
		w.Write(b)
		w.WriteByte('\n')
	}
	flush := func() {
		if failed {
			return
		}
		if err := w.Flush(); err != nil {
			failed = true
			c.writeErr <- fmt.Errorf("write stdout: %w", err)
		}
	}
	writeNotification := func(n mcp.JSONRPCNotification) {
		b, err := json.Marshal(n)
		if err != nil {
			c.log.Error("cannot encode a notification", "err", err)
			return
		}
		write(b)
	}
	for {
		select {
		case n := <-c.sess.notifications:
			writeNotification(n)
			flush()
		case b, ok := <-c.outbox:
			for pending := true; pending; {
				select {
				case n := <-c.sess.notifications:
					writeNotification(n)
				default:
					pending = false
				}
			}
			if !ok {
				flush()
				return
			}
			write(b)
			if len(c.outbox) == 0 {
				flush()
			}
		}
	}
}

func requestID(raw json.RawMessage) mcp.RequestId {
	var v any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if dec.Decode(&v) != nil {
		return mcp.NewRequestId(nil)
	}
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return mcp.NewRequestId(i)
		}
	}
	return mcp.NewRequestId(v)
}

func errorResponse(id json.RawMessage, code int, msg string) mcp.JSONRPCMessage {
	return mcp.NewJSONRPCError(requestID(id), code, msg, nil)
}
