package app

import (
	"fmt"
	"regexp"
	"runtime/debug"
	"strings"
)

// Set at link time by release builds (see .goreleaser.yaml):
//
//	-ldflags "-X github.com/cxreports-mcp/cxreports-mcp/internal/app.version=v1.2.3 -X …app.commit=abc1234"
var (
	version = ""
	commit  = ""
)

// Version returns the module version: the release's, else the one `go
// install module@version` recorded, else "dev".
func Version() string {
	v, _ := versionInfo(version, commit, buildInfo())
	return v
}

// Commit returns the VCS revision the binary was built from, if known.
func Commit() string {
	_, c := versionInfo(version, commit, buildInfo())
	return c
}

// VersionString is what --version prints.
func VersionString() string {
	return fmt.Sprintf("cxreports-mcp %s (commit %s)", Version(), Commit())
}

func buildInfo() *debug.BuildInfo {
	info, _ := debug.ReadBuildInfo()
	return info
}

// versionInfo resolves the version and commit from the link-time values,
// else from the build information: `go install …@version` records the
// module version (a pseudo-version names its commit), a build in a git
// checkout records the revision (unless -buildvcs=false).
func versionInfo(ldVersion, ldCommit string, info *debug.BuildInfo) (ver, rev string) {
	ver, rev = ldVersion, ldCommit
	if info == nil {
		return orDefault(ver, "dev"), orDefault(rev, "unknown")
	}
	if ver == "" && info.Main.Version != "" && info.Main.Version != "(devel)" {
		ver = info.Main.Version
	}
	if rev == "" {
		modified := false
		for _, s := range info.Settings {
			switch s.Key {
			case "vcs.revision":
				rev = s.Value[:min(len(s.Value), 12)]
			case "vcs.modified":
				modified = s.Value == "true"
			}
		}
		if rev != "" && modified {
			rev += "-dirty"
		}
	}
	if m := pseudoVersion.FindStringSubmatch(ver); rev == "" && m != nil {
		rev = m[1]
	}
	return orDefault(ver, "dev"), orDefault(rev, "unknown")
}

// pseudoVersion matches a Go pseudo-version such as
// v0.0.0-20260301120000-0123456789ab and captures its commit.
var pseudoVersion = regexp.MustCompile(`^v[0-9]+\.[0-9]+\.[0-9]+-(?:.+\.)?[0-9]{14}-([0-9a-f]{12})(?:\+incompatible)?$`)

func orDefault(v, def string) string {
	if strings.TrimSpace(v) == "" {
		return def
	}
	return v
}
