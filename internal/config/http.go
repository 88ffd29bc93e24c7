package config

import (
	"flag"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Environment variables of the network transports.
const (
	EnvAddr             = "CXREPORTS_ADDR"
	EnvAuthToken        = "CXREPORTS_MCP_AUTH_TOKEN"
	EnvAllowedOrigins   = "CXREPORTS_ALLOWED_ORIGINS"
	EnvAllowedHosts     = "CXREPORTS_ALLOWED_HOSTS"
	EnvPublicURL        = "CXREPORTS_PUBLIC_URL"
	EnvStateless        = "CXREPORTS_STATELESS"
	EnvRequireUserToken = "CXREPORTS_REQUIRE_USER_TOKEN"
	EnvMaxBodySize      = "CXREPORTS_MAX_BODY_SIZE"
	EnvShutdownTimeout  = "CXREPORTS_SHUTDOWN_TIMEOUT"
)

// Defaults of the network transports.
const (
	DefaultAddr            = "127.0.0.1:8080"
	DefaultMaxBodyBytes    = 16 << 20
	DefaultShutdownTimeout = 30 * time.Second
)

// HTTP holds the settings of --transport http and sse.
type HTTP struct {
	// Addr is where to listen (CXREPORTS_ADDR); loopback by default.
	Addr string
	// AuthToken is the bearer token clients must send (CXREPORTS_MCP_AUTH_TOKEN).
	AuthToken Secret
	// AllowedOrigins are extra browser origins allowed (CXREPORTS_ALLOWED_ORIGINS).
	AllowedOrigins []string
	// AllowedHosts are extra Host values allowed, for reverse proxies (CXREPORTS_ALLOWED_HOSTS).
	AllowedHosts []string
	// PublicURL is the server's URL as clients see it (CXREPORTS_PUBLIC_URL).
	PublicURL string
	// Stateless serves without sessions (CXREPORTS_STATELESS).
	Stateless bool
	// RequireUserToken refuses requests without X-CxReports-Token (CXREPORTS_REQUIRE_USER_TOKEN).
	RequireUserToken bool
	// MaxBodyBytes caps one request body (CXREPORTS_MAX_BODY_SIZE).
	MaxBodyBytes int64
	// ShutdownTimeout bounds the wait for requests in flight at shutdown (CXREPORTS_SHUTDOWN_TIMEOUT).
	ShutdownTimeout time.Duration
}

// httpFlags registers the network flags on fs and returns a function that
// finishes them after parsing. Its error matters only for the network
// transports: a stdio server ignores these settings.
func (h *HTTP) httpFlags(fs *flag.FlagSet, env func(string) string) func() error {
	fs.StringVar(&h.Addr, "addr", orDefault(env(EnvAddr), DefaultAddr), "host:port to listen on with --transport http or sse ($"+EnvAddr+"); other than loopback needs --auth-token")
	token := fs.String("auth-token", env(EnvAuthToken), "bearer token HTTP clients must send ($"+EnvAuthToken+", preferred: flags are visible to other users)")
	origins := fs.String("allowed-origins", env(EnvAllowedOrigins), "comma-separated browser origins allowed besides this server's own loopback origin ($"+EnvAllowedOrigins+")")
	hosts := fs.String("allowed-hosts", env(EnvAllowedHosts), "comma-separated Host names allowed besides loopback, e.g. a reverse proxy's ($"+EnvAllowedHosts+")")
	fs.StringVar(&h.PublicURL, "public-url", env(EnvPublicURL), "this server's URL as clients see it behind a reverse proxy with a path prefix ($"+EnvPublicURL+")")
	stateless := fs.String("stateless", env(EnvStateless), "serve Streamable HTTP without sessions, for replicas behind a load balancer ($"+EnvStateless+")")
	requireUser := fs.String("require-user-token", env(EnvRequireUserToken), "refuse HTTP requests without the caller's own CxReports token in X-CxReports-Token ($"+EnvRequireUserToken+")")
	size := fs.String("max-body-size", orDefault(env(EnvMaxBodySize), "16MiB"), "largest request body, e.g. 16MiB ($"+EnvMaxBodySize+")")
	shutdown := fs.String("shutdown-timeout", orDefault(env(EnvShutdownTimeout), DefaultShutdownTimeout.String()), "how long requests in flight may finish at shutdown ($"+EnvShutdownTimeout+")")
	boolFlag(fs, "stateless", stateless)
	boolFlag(fs, "require-user-token", requireUser)

	return func() error {
		h.AuthToken = Secret(strings.TrimSpace(*token))
		h.AllowedOrigins = splitList(*origins)
		h.AllowedHosts = splitList(*hosts)
		var err error
		if h.Stateless, err = parseBool(EnvStateless, *stateless); err != nil {
			return err
		}
		if h.RequireUserToken, err = parseBool(EnvRequireUserToken, *requireUser); err != nil {
			return err
		}
		if h.MaxBodyBytes, err = ParseSize(*size); err != nil {
			return fmt.Errorf("--max-body-size (%s): %w", EnvMaxBodySize, err)
		}
		if h.ShutdownTimeout, err = time.ParseDuration(*shutdown); err != nil || h.ShutdownTimeout <= 0 {
			return fmt.Errorf("--shutdown-timeout (%s) %q is not a positive duration such as 30s", EnvShutdownTimeout, *shutdown)
		}
		return nil
	}
}

// boolFlag makes a string flag behave as a boolean one on the command
// line (--stateless alone means true), while its default comes from the
// environment as text.
func boolFlag(fs *flag.FlagSet, name string, v *string) {
	f := fs.Lookup(name)
	f.Value = &boolText{v}
}

type boolText struct{ v *string }

func (b *boolText) String() string {
	if b.v == nil {
		return ""
	}
	return *b.v
}
func (b *boolText) Set(s string) error { *b.v = s; return nil }
func (b *boolText) IsBoolFlag() bool   { return true }

// ParseSize reads a byte count such as 1048576, 512KiB, 16MiB or 1GiB
// (K, KB, M, MB, G and GB mean the same binary units).
func ParseSize(s string) (int64, error) {
	s = strings.TrimSpace(s)
	num := strings.TrimRightFunc(s, func(r rune) bool { return r < '0' || r > '9' })
	unit := strings.ToUpper(strings.TrimSpace(s[len(num):]))
	n, err := strconv.ParseInt(num, 10, 64)
	mult := map[string]int64{"": 1, "B": 1, "K": 1 << 10, "KB": 1 << 10, "KIB": 1 << 10, "M": 1 << 20, "MB": 1 << 20, "MIB": 1 << 20, "G": 1 << 30, "GB": 1 << 30, "GIB": 1 << 30}[unit]
	if err != nil || mult == 0 || n <= 0 || n > (1<<40)/mult {
		return 0, fmt.Errorf("%q is not a size such as 16MiB", s)
	}
	return n * mult, nil
}
