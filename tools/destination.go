package tools

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/mark3labs/mcp-go/mcp"
	"github.com/mark3labs/mcp-go/server"
)

// destination is the folder a call saves documents in, and why.
type destination struct {
	dir string
	// note tells the model where the documents went and why, as one
	// sentence for the result.
	note string
}

// destination picks the folder of a call's documents:
//
//  1. folder, when the call names one; only for a local client (stdio),
//     and only an absolute path to an existing folder;
//  2. for a local client that shares MCP roots, the first root that is an
//     existing, writable local folder (its project folder);
//  3. otherwise the output folder (Deps.OutputDir).
//
// A client that is not marked local (see WithLocalClient) never chooses:
// its roots are not asked for and folder is refused.
func (e *Env) destination(ctx context.Context, folder string) (*destination, error) {
	local := LocalClient(ctx)
	if folder != "" {
		if !local {
			return nil, &inputError{"folder works only when this server runs on the user's machine (stdio); here documents are saved in the server's output folder. Call again without folder"}
		}
		dir, err := namedFolder(folder)
		if err != nil {
			return nil, err
		}
		return &destination{dir: dir, note: "Saved in the folder you named."}, nil
	}
	if !local {
		return &destination{dir: e.deps.OutputDir, note: "Saved in the server's output folder (a remote client's folders are never used)."}, nil
	}
	if dir := e.deps.state().roots.firstDir(ctx, e.deps.logger()); dir != "" {
		return &destination{dir: dir, note: "Saved in the client's project folder (its first MCP root)."}, nil
	}
	return &destination{dir: e.deps.OutputDir, note: "Saved in the output folder (CXREPORTS_OUTPUT_DIR): the client shares no writable project folder (MCP roots)."}, nil
}

// namedFolder checks a folder named by a call: absolute (a leading ~ is
// the home folder) and existing.
func namedFolder(folder string) (string, error) {
	dir := folder
	if rest, ok := strings.CutPrefix(dir, "~"); ok && (rest == "" || rest[0] == '/' || rest[0] == filepath.Separator) {
		if home, err := os.UserHomeDir(); err == nil {
			dir = filepath.Join(home, rest)
		}
	}
	if !filepath.IsAbs(dir) {
		return "", &inputError{fmt.Sprintf("folder must be an absolute path such as /home/me/Reports; %q is not", folder)}
	}
	dir = filepath.Clean(dir)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return "", &inputError{fmt.Sprintf("folder %s does not exist or is not a folder. Create it first, or call again without folder", dir)}
	}
	return dir, nil
}

// rootsTimeout bounds the wait for a client's answer to roots/list.
const rootsTimeout = 5 * time.Second

// maxRootsSessions bounds the roots cache; a full cache is emptied.
const maxRootsSessions = 256

// rootsCache remembers, per MCP session, the first usable root of the
// client, so that roots/list is asked once per session, and again only
// after the client says its roots changed.
type rootsCache struct {
	mu sync.Mutex
	// epoch counts forget calls, so that an answer that raced with a
	// change is not cached.
	epoch uint64
	dirs  map[string]string // session id → folder, "" for none
}

func newRootsCache() *rootsCache { return &rootsCache{dirs: map[string]string{}} }

// rootsChanged handles notifications/roots/list_changed: the client's
// roots are asked for again on its next export. A notification that comes
// without its session (mcp-go's in-process transport sends them so) makes
// every session ask again.
func (d *Deps) rootsChanged(ctx context.Context, _ mcp.JSONRPCNotification) {
	id := ""
	if sess := server.ClientSessionFromContext(ctx); sess != nil {
		id = sess.SessionID()
	}
	d.state().roots.forget(id)
}

// forget drops what is known of a session's roots, or of every session's
// when sessionID is "".
func (c *rootsCache) forget(sessionID string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if sessionID == "" {
		clear(c.dirs)
	} else {
		delete(c.dirs, sessionID)
	}
	c.epoch++
}

// firstDir returns the first of the calling client's roots that is an
// existing, writable local folder, or "" when there is none, the client
// did not declare the roots capability, or it did not answer in time.
func (c *rootsCache) firstDir(ctx context.Context, log *slog.Logger) string {
	sess := server.ClientSessionFromContext(ctx)
	if sess == nil {
		return ""
	}
	if ci, ok := sess.(server.SessionWithClientInfo); ok && ci.GetClientCapabilities().Roots == nil {
		return ""
	}
	rs, ok := sess.(server.SessionWithRoots)
	if !ok {
		return ""
	}
	id := sess.SessionID()
	c.mu.Lock()
	dir, cached := c.dirs[id]
	epoch := c.epoch
	c.mu.Unlock()
	if cached {
		return dir
	}
	ask, cancel := context.WithTimeout(ctx, rootsTimeout)
	defer cancel()
	res, err := rs.ListRoots(ask, mcp.ListRootsRequest{Request: mcp.Request{Method: string(mcp.MethodListRoots)}})
	switch {
	case err != nil && ctx.Err() != nil:
		return "" // the call itself ended; ask again next time
	case err != nil:
		log.Debug("roots/list failed; documents go to the output folder", "err", err)
	default:
		dir = usableRoot(res.Roots)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.epoch == epoch {
		if len(c.dirs) >= maxRootsSessions {
			clear(c.dirs)
		}
		c.dirs[id] = dir
	}
	return dir
}

// usableRoot returns the first root that is an existing, writable local
// folder, or "".
func usableRoot(roots []mcp.Root) string {
	for _, r := range roots {
		if dir, ok := localPath(r.URI); ok && writableDir(dir) {
			return dir
		}
	}
	return ""
}

// localPath turns a file:// URI of this machine into a path.
func localPath(uri string) (string, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || (u.Host != "" && u.Host != "localhost") {
		return "", false
	}
	p := u.Path
	if runtime.GOOS == "windows" && len(p) >= 3 && p[0] == '/' && p[2] == ':' {
		p = p[1:] // file:///C:/Users/me → C:/Users/me
	}
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}

// writableDir reports whether dir is an existing folder this process can
// create files in, by creating (and removing) one.
func writableDir(dir string) bool {
	fi, err := os.Stat(dir)
	if err != nil || !fi.IsDir() {
		return false
	}
	f, err := os.CreateTemp(dir, ".cxreports-probe-*")
	if err != nil {
		return false
	}
	name := f.Name()
	f.Close()
	os.Remove(name)
	return true
}
