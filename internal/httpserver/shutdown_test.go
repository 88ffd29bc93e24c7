package httpserver

import (
	"context"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"go.uber.org/goleak"
)

// slowPDF holds every PDF request at the sandbox until released, and says
// when one has arrived.
type slowPDF struct {
	arrived chan struct{}
	release chan struct{}
}

func newSlowPDF() *slowPDF {
	return &slowPDF{arrived: make(chan struct{}, 16), release: make(chan struct{})}
}

func (p *slowPDF) wrap(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/pdf") {
			p.arrived <- struct{}{}
			select {
			case <-p.release:
			case <-r.Context().Done():
				return
			}
		}
		h.ServeHTTP(w, r)
	})
}

type callResult struct {
	res *mcp.CallToolResult
	err error
}

// serveReal runs s.Serve on a loopback listener and returns its base URL,
// a cancel that starts the shutdown, and the channel Serve's result
// arrives on.
func serveReal(t *testing.T, s *Server) (string, context.CancelFunc, chan error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- s.Serve(ctx, ln) }()
	t.Cleanup(cancel)
	return "http://" + ln.Addr().String(), cancel, served
}

// A shutdown lets a slow export in flight finish, then refuses connections.
func TestGracefulShutdown(t *testing.T) {
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		t.Run(transport, func(t *testing.T) {
			slow := newSlowPDF()
			st := newStackWith(t, slow.wrap)
			s, err := New(st.mcp, Options{Transport: transport})
			if err != nil {
				t.Fatal(err)
			}
			draining := make(chan struct{})
			s.onDrain = func() { close(draining) }
			base, shutdown, served := serveReal(t, s)
			c := connect(t, base, transport, nil)

			done := make(chan callResult, 1)
			go func() {
				res, err := callErr(c, "export_pdf", `{"report_type":"invoice"}`)
				done <- callResult{res, err}
			}()
			<-slow.arrived // the export is in flight at CxReports
			shutdown()     // what SIGTERM does
			<-draining
			// No new connections while draining.
			if _, err := http.Get(base + "/healthz"); err == nil {
				t.Errorf("a new connection was accepted during shutdown")
			}
			close(slow.release)
			r := <-done
			if r.err != nil || r.res.IsError || !strings.HasPrefix(text(r.res), "Saved Invoice.pdf of the default \"invoice\" report") {
				t.Fatalf("export during shutdown: %v %v", r.err, r.res)
			}
			if err := <-served; err != nil {
				t.Errorf("Serve: %v", err)
			}
		})
	}
}

// Requests still running when the shutdown timeout ends are cut off, and
// Serve still returns in bounded time.
func TestShutdownTimeout(t *testing.T) {
	slow := newSlowPDF()
	st := newStackWith(t, slow.wrap)
	s, err := New(st.mcp, Options{ShutdownTimeout: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	base, shutdown, served := serveReal(t, s)
	c := connect(t, base, TransportHTTP, nil)
	done := make(chan callResult, 1)
	go func() {
		res, err := callErr(c, "export_pdf", `{"report_type":"invoice"}`)
		done <- callResult{res, err}
	}()
	<-slow.arrived
	shutdown()
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if r := <-done; r.err == nil {
		t.Errorf("the cut-off call got an answer: %v", text(r.res))
	}
}

// 50 sessions × 20 calls at once, each answered with its own result, and
// no goroutine left behind.
func TestConcurrentSessions(t *testing.T) {
	ignore := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, ignore) }) // runs after every other cleanup
	for _, transport := range []string{TransportHTTP, TransportSSE} {
		t.Run(transport, func(t *testing.T) {
			st := newStack(t)
			_, base := st.serve(t, Options{Transport: transport})
			first := connect(t, base, transport, nil)
			all := call(t, first, "list_reports", `{"limit":50}`).StructuredContent.(map[string]any)["reports"].([]any)
			if len(all) < 10 {
				t.Fatalf("only %d reports", len(all))
			}
			const sessions, calls = 50, 20
			errs := make(chan string, sessions*calls)
			clients := make(chan struct{}, sessions)
			for i := range sessions {
				go func() {
					defer func() { clients <- struct{}{} }()
					hc := &http.Client{Transport: http.DefaultTransport.(*http.Transport).Clone()}
					defer hc.CloseIdleConnections()
					c, err := dial(base, transport, nil, hc)
					if err != nil {
						errs <- "connect: " + err.Error()
						return
					}
					defer c.Close()
					replies := make(chan string, calls)
					for j := range calls {
						go func() {
							off := (i*calls + j) % len(all)
							res, err := callErr(c, "list_reports", `{"limit":1,"offset":`+itoa(off)+`}`)
							switch {
							case err != nil:
								replies <- err.Error()
							case res.IsError:
								replies <- text(res)
							default:
								got := res.StructuredContent.(map[string]any)["reports"].([]any)[0].(map[string]any)["id"]
								want := all[off].(map[string]any)["id"]
								if got != want {
									replies <- "offset " + itoa(off) + ": wrong report"
								} else {
									replies <- ""
								}
							}
						}()
					}
					for range calls {
						if msg := <-replies; msg != "" {
							errs <- msg
						}
					}
				}()
			}
			for range sessions {
				<-clients
			}
			close(errs)
			n := 0
			for msg := range errs {
				if n++; n <= 5 {
					t.Error(msg)
				}
			}
			if n > 0 {
				t.Errorf("%d of %d calls failed", n, sessions*calls)
			}
		})
	}
}
