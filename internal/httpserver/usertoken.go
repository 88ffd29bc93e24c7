package httpserver

import "context"

// UserTokenHeader carries a caller's own CxReports personal access token.
// It is read on every request and never stored in a session, so it works
// the same in stateless mode.
const UserTokenHeader = "X-CxReports-Token"

type userTokenKey struct{}

// withUserToken returns ctx carrying the caller's CxReports token.
func withUserToken(ctx context.Context, token string) context.Context {
	if token == "" {
		return ctx
	}
	return context.WithValue(ctx, userTokenKey{}, token)
}

// UserToken returns the CxReports token the HTTP client sent with the
// request being served (the X-CxReports-Token header), or "" when it sent
// none. Tool calls use it instead of the server's token.
func UserToken(ctx context.Context) string {
	tok, _ := ctx.Value(userTokenKey{}).(string)
	return tok
}
