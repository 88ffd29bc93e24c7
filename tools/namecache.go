package tools

import (
	"context"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/cxreports-mcp/cxreports-mcp/cxapi"
)

// NameCache keeps, per CxReports user, the lists that turn names into ids:
// the user's workspaces and, per workspace, its report types and reports.
// Entries are short-lived, keyed by a hash of the user's token (never the
// token), so two users never see each other's names; the number of entries
// is bounded, the least recently used going first. It is safe for
// concurrent use. A nil *NameCache caches nothing.
type NameCache struct {
	ttl   time.Duration
	clock Clock
	lru   *lru.Cache[nameKey, nameEntry]
}

// NameCacheOptions configures NewNameCache; zero values take the defaults.
type NameCacheOptions struct {
	// TTL is how long a list is used before it is fetched again
	// (DefaultNameTTL).
	TTL time.Duration
	// MaxEntries bounds the lists kept, over all users (DefaultNameEntries).
	MaxEntries int
	// Clock tells the time (default: the real clock).
	Clock Clock
}

// Defaults of NameCacheOptions.
const (
	DefaultNameTTL     = 60 * time.Second
	DefaultNameEntries = 256
)

// NewNameCache returns an empty cache.
func NewNameCache(opt NameCacheOptions) *NameCache {
	if opt.TTL <= 0 {
		opt.TTL = DefaultNameTTL
	}
	if opt.MaxEntries <= 0 {
		opt.MaxEntries = DefaultNameEntries
	}
	if opt.Clock == nil {
		opt.Clock = realClock{}
	}
	c, err := lru.New[nameKey, nameEntry](opt.MaxEntries)
	if err != nil { // only for a size <= 0, excluded above
		panic(err)
	}
	return &NameCache{ttl: opt.TTL, clock: opt.Clock, lru: c}
}

// Len returns the number of lists held, expired ones included.
func (c *NameCache) Len() int {
	if c == nil {
		return 0
	}
	return c.lru.Len()
}

// nameKey names one list of one user.
type nameKey struct {
	user string // the token hash
	kind string // one of the list kinds below
	ws   string // the workspace as sent to CxReports; "" for workspaces
}

// The kinds of list cached.
const (
	kindWorkspaces  = "workspaces"
	kindReportTypes = "report-types"
	kindReports     = "reports"
)

type nameEntry struct {
	at    time.Time
	value any
}

// get returns a live list, or false.
func (c *NameCache) get(k nameKey) (any, bool) {
	if c == nil || k.user == "" {
		return nil, false
	}
	e, ok := c.lru.Get(k)
	if !ok {
		return nil, false
	}
	if age := c.clock.Now().Sub(e.at); age < 0 || age >= c.ttl {
		c.lru.Remove(k)
		return nil, false
	}
	return e.value, true
}

// put stores a list freshly fetched.
func (c *NameCache) put(k nameKey, v any) {
	if c == nil || k.user == "" {
		return
	}
	c.lru.Add(k, nameEntry{at: c.clock.Now(), value: v})
}

// cached returns the list k from the cache, else fetches and stores it.
// Errors are not cached.
func cached[T any](c *NameCache, k nameKey, fetch func() (T, error)) (T, error) {
	if v, ok := c.get(k); ok {
		if t, ok := v.(T); ok {
			return t, nil
		}
	}
	v, err := fetch()
	if err != nil {
		return v, err
	}
	c.put(k, v)
	return v, nil
}

// key names a list of the call's CxReports user (ownerOf: the token's
// hash, or "" to cache nothing when the client cannot tell).
func (e *Env) key(kind, ws string) nameKey { return nameKey{user: ownerOf(e.api), kind: kind, ws: ws} }

// workspaces returns the user's workspaces, cached.
func (e *Env) workspaces(ctx context.Context) ([]cxapi.Workspace, error) {
	return cached(e.deps.Names, e.key(kindWorkspaces, ""), func() ([]cxapi.Workspace, error) {
		return e.api.ListWorkspaces(ctx)
	})
}

// reportTypes returns the report types of a workspace, cached.
func (e *Env) reportTypes(ctx context.Context, ws string) ([]cxapi.ReportType, error) {
	return cached(e.deps.Names, e.key(kindReportTypes, ws), func() ([]cxapi.ReportType, error) {
		return e.api.ListReportTypes(ctx, ws)
	})
}

// Paging of the report catalog: catalogPage reports per request, at most
// catalogMax in all.
const (
	catalogPage = 100
	catalogMax  = 1000
)

// reportCatalog is every report of a workspace, as far as it was read.
type reportCatalog struct {
	reports []cxapi.Report
	// truncated is set when the workspace has more than catalogMax reports.
	truncated bool
}

// reports returns the reports of a workspace, cached, reading at most
// catalogMax.
func (e *Env) reports(ctx context.Context, ws string) (*reportCatalog, error) {
	return cached(e.deps.Names, e.key(kindReports, ws), func() (*reportCatalog, error) {
		cat := &reportCatalog{}
		for offset := 0; ; offset += catalogPage {
			if offset >= catalogMax {
				cat.truncated = true
				return cat, nil
			}
			page, err := e.api.ListReports(ctx, ws, &cxapi.ListReportsOptions{Offset: offset, Limit: catalogPage})
			if err != nil {
				return nil, err
			}
			cat.reports = append(cat.reports, page...)
			// A short page ends the list; so does a long one, from a
			// server that ignores limit and sends everything.
			if len(page) != catalogPage {
				return cat, nil
			}
		}
	})
}

// rememberList stores a list a listing tool has just fetched, so that
// names resolve against what the model was shown.
func (e *Env) rememberList(kind, ws string, v any) {
	e.deps.Names.put(e.key(kind, ws), v)
}
