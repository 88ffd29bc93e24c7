package app

import (
	"regexp"
	"runtime/debug"
	"testing"
)

func TestVersionInfo(t *testing.T) {
	vcs := func(rev, modified string) []debug.BuildSetting {
		return []debug.BuildSetting{{Key: "vcs.revision", Value: rev}, {Key: "vcs.modified", Value: modified}}
	}
	for _, c := range []struct {
		name                 string
		ldVersion, ldCommit  string
		info                 *debug.BuildInfo
		wantVersion, wantRev string
	}{
		{"release build (GoReleaser ldflags)", "v0.1.0", "0123abcd", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "v0.1.0", "0123abcd"},
		{"go install module@v0.1.0: no VCS data", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.1.0"}}, "v0.1.0", "unknown"},
		{"go install module@commit: a pseudo-version", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.0.0-20260301120000-0123456789ab"}}, "v0.0.0-20260301120000-0123456789ab", "0123456789ab"},
		{"pseudo-version after a tag", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.1.1-0.20260301120000-0123456789ab"}}, "v0.1.1-0.20260301120000-0123456789ab", "0123456789ab"},
		{"go build in a clean checkout", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "false")}, "dev", "0123456789ab"},
		{"go build with local changes", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: vcs("0123456789abcdef0123", "true")}, "dev", "0123456789ab-dirty"},
		{"go build with -buildvcs=false", "", "", &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}}, "dev", "unknown"},
		{"no build information", "", "", nil, "dev", "unknown"},
	} {
		v, r := versionInfo(c.ldVersion, c.ldCommit, c.info)
		if v != c.wantVersion || r != c.wantRev {
			t.Errorf("%s: got %q, %q; want %q, %q", c.name, v, r, c.wantVersion, c.wantRev)
		}
	}
}

// versionLine is what --version prints in a test binary: with or without
// VCS data (go test in a git checkout may stamp it).
var versionLine = regexp.MustCompile(`^cxreports-mcp dev \(commit ([0-9a-f]{12}(-dirty)?|unknown)\)\n$`)

func TestVersionCommand(t *testing.T) {
	for _, args := range [][]string{{"version"}, {"--version"}} {
		out, _, code := runCLI(t, args, nil)
		if code != 0 || out != VersionString()+"\n" || !versionLine.MatchString(out) {
			t.Errorf("%v: exit %d, %q", args, code, out)
		}
	}
}
