package httpserver

import (
	"fmt"
	"net"
	"net/netip"
)

// Listen opens addr for Serve. Unless opts.AuthToken is set it refuses any
// address that is not loopback, since anyone who could reach the server
// could then use it (and the CxReports token behind it).
func Listen(addr string, opts Options) (net.Listener, error) {
	if opts.AuthToken == "" && !isLoopbackAddr(addr) {
		return nil, errNeedsToken(addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("listen on %s: %w", addr, err)
	}
	// A name such as localhost may resolve to something else.
	if ap, err := netip.ParseAddrPort(ln.Addr().String()); opts.AuthToken == "" && (err != nil || !ap.Addr().IsLoopback()) {
		ln.Close()
		return nil, errNeedsToken(addr)
	}
	return ln, nil
}

func errNeedsToken(addr string) error {
	return fmt.Errorf("refusing to listen on %s without an access token: anyone who can reach that address could use this server; "+
		"set --auth-token (or CXREPORTS_MCP_AUTH_TOKEN) to a long random secret, or listen on 127.0.0.1", addr)
}

// isLoopbackAddr reports whether host:port names only a loopback interface;
// an empty host means every interface.
func isLoopbackAddr(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil || host == "" {
		return false
	}
	return isLoopbackHost(host)
}
