package app

import (
	"fmt"
	"runtime/debug"
)

// Set at link time by release builds:
//
//	-ldflags "-X github.com/cxreports-mcp/cxreports-mcp/internal/app.version=v1.2.3 -X …app.commit=abc1234"
var (
	version = ""
	commit  = ""
)

// Version returns the module version: the release's, else the one `go
// install module@version` recorded, else "dev".
func Version() string {
	if version != "" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return "dev"
}

// Commit returns the VCS revision the binary was built from, if known.
func Commit() string {
	if commit != "" {
		return commit
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				return s.Value[:12]
			}
		}
	}
	return "unknown"
}

// VersionString is what --version prints.
func VersionString() string {
	return fmt.Sprintf("cxreports-mcp %s (commit %s)", Version(), Commit())
}
