// Package tools defines the MCP tools of cxreports-mcp: for each tool its
// name, description, annotations, input type and handler, side by side.
//
// A tool call takes this path: raw arguments → coercion and validation
// against the tool's committed JSON Schema (package schemas) → a typed
// input → a handler that calls CxReports through the API interface → a
// result shaped for a model. Every failure inside a tool becomes an isError
// result the model can act on; only protocol faults are JSON-RPC errors.
package tools

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"runtime/debug"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"

	"github.com/cxreports-mcp/cxreports-mcp/internal/toolargs"
	"github.com/cxreports-mcp/cxreports-mcp/schemas"
)

// Tool is one MCP tool: its definition and its handler.
type Tool struct {
	// Name is the tool's name, snake_case, matching ^[a-zA-Z0-9_-]{1,40}$.
	Name string
	// Title is the human-readable name clients show.
	Title string
	// Description tells a model when to use the tool and what it returns.
	Description string
	// Toolset is the named group the tool belongs to.
	Toolset string
	// Hints is the tool's whole annotation preset.
	Hints Hints
	// Input is the zero value of the tool's input type (package schemas);
	// its committed JSON Schema is schemas/<Name>.json.
	Input any
	// Output, when set, is the zero value of the tool's output type; the
	// tool then declares schemas/<Name>.output.json as its outputSchema
	// and returns matching structuredContent on success.
	Output any
	// run validates the raw arguments and runs the handler.
	run func(ctx context.Context, env *Env, v *schemas.Validator, raw json.RawMessage) (*mcp.CallToolResult, error)
}

// Hints is a whole set of MCP tool annotations. Tools pick one of the
// presets below; single hints are never set on their own, because mcp-go
// defaults the others to destructive and open-world.
type Hints struct {
	ReadOnly, Destructive, Idempotent, OpenWorld bool
}

// The annotation presets of ../shared/docs/design.md.
var (
	// ReadOnly: listings; reads only, repeatable.
	ReadOnly = Hints{ReadOnly: true, Idempotent: true}
	// ReadOnlyOutput: reads a report and writes a new local file or a
	// single-use link; nothing lasting changes on CxReports.
	ReadOnlyOutput = Hints{ReadOnly: true}
	// Write: creates private, expiring data or starts work on CxReports.
	Write = Hints{}
	// Destructive: reaches people outside (e-mail) and cannot be undone.
	Destructive = Hints{Destructive: true, OpenWorld: true}
)

func (h Hints) annotation(title string) mcp.ToolAnnotation {
	return mcp.ToolAnnotation{
		Title:           title,
		ReadOnlyHint:    mcp.ToBoolPtr(h.ReadOnly),
		DestructiveHint: mcp.ToBoolPtr(h.Destructive),
		IdempotentHint:  mcp.ToBoolPtr(h.Idempotent),
		OpenWorldHint:   mcp.ToBoolPtr(h.OpenWorld),
	}
}

// define builds a Tool whose handler receives its decoded input.
func define[In any](t Tool, handle func(ctx context.Context, env *Env, in In) (*mcp.CallToolResult, error)) Tool {
	var zero In
	t.Input = zero
	t.run = func(ctx context.Context, env *Env, v *schemas.Validator, raw json.RawMessage) (*mcp.CallToolResult, error) {
		var in In
		if err := v.Decode(raw, &in); err != nil {
			return errorResult(sentence(err.Error())), nil
		}
		return handle(ctx, env, in)
	}
	return t
}

var namePattern = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,40}$`)

// Register adds the given tools to s with their committed schemas; an
// error here is a programming fault. Each tool's argument validator is
// compiled on the tool's first call, not here, so that start-up stays
// cheap: a client spawns the server and waits for it before anything else.
func Register(s *server.MCPServer, list []Tool, deps *Deps) error {
	seen := map[string]bool{}
	for _, t := range list {
		if !namePattern.MatchString(t.Name) || seen[t.Name] {
			return fmt.Errorf("tool name %q is invalid or repeated", t.Name)
		}
		seen[t.Name] = true
	}
	for _, t := range list {
		st, err := t.serverTool(deps, seen)
		if err != nil {
			return err
		}
		s.AddTool(st.Tool, st.Handler)
	}
	s.AddNotificationHandler(mcp.MethodNotificationRootsListChanged, deps.rootsChanged)
	return nil
}

// Definition returns the mcp.Tool that tools/list publishes.
func (t Tool) Definition() (mcp.Tool, error) {
	raw, err := schemas.Input(t.Name)
	if err != nil {
		return mcp.Tool{}, err
	}
	def := mcp.NewToolWithRawSchema(t.Name, t.Description, raw)
	def.Annotations = t.Hints.annotation(t.Title)
	if t.Output != nil {
		out, err := schemas.Output(t.Name)
		if err != nil {
			return mcp.Tool{}, err
		}
		if out == nil {
			return mcp.Tool{}, fmt.Errorf("tool %s has an output type but no committed %s", t.Name, schemas.OutputFile(t.Name))
		}
		def.RawOutputSchema = out
	}
	return def, nil
}

// serverTool wraps t's handler; offered names every tool of the server, so
// that results suggest only tools the model can call.
func (t Tool) serverTool(deps *Deps, offered map[string]bool) (server.ServerTool, error) {
	def, err := t.Definition()
	if err != nil {
		return server.ServerTool{}, err
	}
	validator := sync.OnceValues(func() (*schemas.Validator, error) {
		return schemas.Compile(t.Name, def.RawInputSchema)
	})
	handler := func(ctx context.Context, req mcp.CallToolRequest) (res *mcp.CallToolResult, err error) {
		start := time.Now()
		log := deps.logger() // each line names the tool; With would cost an allocation per call
		defer func() {
			if p := recover(); p != nil {
				log.Error("tool panicked", "tool", t.Name, "panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				res, err = errorResult("Internal error in "+t.Name+"; the server is still running. Try again, and report this if it repeats."), nil
			}
			switch {
			case err != nil:
				// A Go error would become a JSON-RPC error the model never
				// sees; turn it into a result.
				res, err = errorFromErr(err, nil), nil
			case res == nil:
				res = errorResult("Internal error in " + t.Name + ": no result.")
			}
			log.Debug("tool call", "tool", t.Name, "ms", time.Since(start).Milliseconds(), "is_error", res.IsError)
		}()
		if deps.CallTimeout > 0 {
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, deps.CallTimeout)
			defer cancel()
		}
		env, err := deps.env(ctx, req)
		if err != nil {
			return errorFromErr(err, nil), nil
		}
		env.offered = offered
		v, err := validator()
		if err != nil {
			// The committed schemas compile (TestSchemasCompile); this
			// is a programming fault.
			log.Error("argument schema does not compile", "tool", t.Name, "err", err)
			return errorResult("Internal error in " + t.Name + ": its argument schema does not compile. Report this."), nil
		}
		res, err = t.run(ctx, env, v, rawArguments(ctx, req))
		if err == nil && res != nil && res.IsError {
			env.adviseToken(res)
			if env.note != "" {
				appendText(res, env.note)
			}
		}
		return res, err
	}
	return server.ServerTool{Tool: def, Handler: handler}, nil
}

// rawArguments returns the arguments exactly as the client sent them,
// also when the transport had to keep them from mcp-go (see toolargs).
func rawArguments(ctx context.Context, req mcp.CallToolRequest) json.RawMessage {
	if raw, ok := toolargs.Original(ctx); ok {
		return raw
	}
	if req.Params.RawArguments != nil {
		return req.Params.RawArguments
	}
	if req.Params.Arguments == nil {
		return nil
	}
	b, err := json.Marshal(req.Params.Arguments)
	if err != nil {
		return nil
	}
	return b
}

// ErrNotConfigured reports settings that a tool call needs but the server
// was started without.
var ErrNotConfigured = errors.New("not configured")
