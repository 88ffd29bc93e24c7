// Command mcpbench measures cxreports-mcp as a client sees it, each figure
// next to a peer measured in the same run: start-up against the official
// reference server (server-everything), a call's overhead against the same
// HTTP request sent straight to CxReports (the sandbox), a large export
// against curl. It also reports the context cost of tools/list, the binary's
// size and its memory at idle. The sandbox runs in its own process, so the
// server's figures are its own.
//
// bench/run.sh builds the binary, installs the peers and runs this; it
// prints one line per figure. Run it by hand with:
//
//	go run ./bench/mcpbench -bin BIN -node NODE -everything INDEX.JS -tmp DIR
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// benchToken is the sandbox's token in every measurement.
const benchToken = "bench-token"

// options are the command line of mcpbench.
type options struct {
	bin        string // the cxreports-mcp binary
	sandboxBin string // the binary that runs the sandbox (default bin)
	node       string // node to run server-everything with
	everything string // server-everything's dist/index.js
	everyVer   string // its version, for the output
	tmp        string // scratch folder; nothing is written elsewhere
	sections   map[string]bool
	starts     int // spawns per server for start-up
	calls      int // calls per side for the overhead
	sizeMB     int // large document size
	runs       int // large exports per side
}

func main() {
	var o options
	var sections string
	flag.StringVar(&o.bin, "bin", "", "cxreports-mcp binary (required)")
	flag.StringVar(&o.sandboxBin, "sandbox-bin", "", "binary to run the sandbox with (default -bin; a copy under another name keeps it apart in perf profiles)")
	flag.StringVar(&o.node, "node", "node", "node binary for server-everything")
	flag.StringVar(&o.everything, "everything", "", "server-everything's dist/index.js (start-up and idle RSS peer; optional)")
	flag.StringVar(&o.everyVer, "everything-version", "", "server-everything's version, for the output")
	flag.StringVar(&o.tmp, "tmp", "", "scratch folder (required)")
	flag.StringVar(&sections, "sections", "startup,overhead,large,context,size", "sections to run, comma-separated")
	flag.IntVar(&o.starts, "starts", 20, "spawns of each server for the start-up median")
	flag.IntVar(&o.calls, "calls", 2000, "list_reports calls (and as many direct requests) for the overhead")
	flag.IntVar(&o.sizeMB, "size-mb", 100, "size of the large document in MiB")
	flag.IntVar(&o.runs, "runs", 3, "large exports (and as many curl downloads)")
	flag.Parse()
	if o.bin == "" || o.tmp == "" {
		fmt.Fprintln(os.Stderr, "usage: mcpbench -bin BIN -tmp DIR [-node NODE -everything INDEX.JS] [-sections startup,overhead,large,context,size]")
		os.Exit(2)
	}
	o.sections = map[string]bool{}
	for _, s := range strings.Split(sections, ",") {
		o.sections[strings.TrimSpace(s)] = true
	}
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "mcpbench:", err)
		os.Exit(1)
	}
}

func run(o options) error {
	if o.sandboxBin == "" {
		o.sandboxBin = o.bin
	}
	for _, p := range []*string{&o.bin, &o.sandboxBin, &o.everything, &o.tmp} {
		if *p == "" {
			continue
		}
		abs, err := filepath.Abs(*p)
		if err != nil {
			return err
		}
		*p = abs
	}
	if strings.ContainsRune(o.node, filepath.Separator) {
		abs, err := filepath.Abs(o.node)
		if err != nil {
			return err
		}
		o.node = abs
	}
	if err := os.MkdirAll(o.tmp, 0o755); err != nil {
		return err
	}
	sb, err := startSandbox(o.sandboxBin, benchToken)
	if err != nil {
		return err
	}
	defer sb.stop()
	b := &bench{o: o, sandbox: sb}
	steps := []struct {
		name string
		run  func() error
	}{
		{"startup", b.startup},
		{"overhead", b.overhead},
		{"large", b.large},
		{"context", b.context},
		{"size", b.size},
	}
	for _, s := range steps {
		if !o.sections[s.name] {
			continue
		}
		if err := s.run(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}
	return nil
}

// bench is one run of the measurements.
type bench struct {
	o       options
	sandbox *sandboxProcess
}

// serverEnv is the environment of cxreports-mcp: pointed at the sandbox,
// writing exports into the scratch folder, plus extra settings.
func (b *bench) serverEnv(extra ...string) []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CXREPORTS_") {
			env = append(env, kv)
		}
	}
	env = append(env,
		"CXREPORTS_URL="+b.sandbox.url,
		"CXREPORTS_TOKEN="+benchToken,
		"CXREPORTS_WORKSPACE=demo",
		"CXREPORTS_OUTPUT_DIR="+filepath.Join(b.o.tmp, "out"),
	)
	return append(env, extra...)
}

// verdict renders whether a target is met.
func verdict(met bool) string {
	if met {
		return "met"
	}
	return "NOT MET"
}

// figure prints one line of the report.
func figure(format string, a ...any) {
	fmt.Printf(format+"\n", a...)
}
