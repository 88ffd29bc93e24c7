package app

import (
	"fmt"
	"log/slog"

	"github.com/cxreports-mcp/cxreports-mcp/internal/config"
	"github.com/cxreports-mcp/cxreports-mcp/internal/reporthints"
	"github.com/cxreports-mcp/cxreports-mcp/sandbox"
)

// loadReportHints reads the report hints file of cfg; with --demo and no
// file, the sandbox's own hints. A file that cannot be used does not stop
// the server: the problem is logged and returned for describe_report to
// tell.
func loadReportHints(cfg *config.Config, log *slog.Logger) (*reporthints.File, string) {
	if p, ok := cfg.Problems[config.EnvReportHints]; ok {
		return nil, p
	}
	var (
		f      *reporthints.File
		err    error
		source = cfg.ReportHints
	)
	switch {
	case cfg.ReportHints != "":
		f, err = reporthints.Load(cfg.ReportHints)
	case cfg.Demo:
		source = "the sandbox's report-hints.json"
		var b []byte
		if b, err = sandbox.MarshalHints(); err == nil {
			f, err = reporthints.Parse(b, false)
		}
	default:
		return nil, ""
	}
	if err != nil {
		problem := fmt.Sprintf("%s names a file that cannot be used: %v", config.EnvReportHints, err)
		log.Warn("report hints not loaded", "file", source, "err", err)
		return nil, problem
	}
	log.Info("report hints loaded", "file", source, "reports", len(f.Reports), "report_types", len(f.ReportTypes))
	return f, ""
}
