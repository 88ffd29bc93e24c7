// Package exportindex remembers the documents this process has exported:
// where each file is, what it holds, and which CxReports user made it. The
// MCP resources cxreports://exports/{name} are served from it, each only to
// its owner.
//
// The index is bounded (the oldest entries are forgotten first) and safe
// for concurrent use. It lives as long as the process; nothing is stored.
package exportindex

import (
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// DefaultMax is how many documents an index remembers unless told otherwise.
const DefaultMax = 1000

// Entry is one exported document.
type Entry struct {
	// Name is the document's unique name in the index, used in its
	// resource URI. It is the file's name, with a -2, -3, … suffix when
	// another remembered file of the same name lives in another folder.
	Name string
	// Path is where the file was saved.
	Path string
	// MIMEType is the document's media type, e.g. application/pdf.
	MIMEType string
	// Size is the file's size in bytes when it was saved.
	Size int64
	// Owner identifies the CxReports user who exported it (a hash of the
	// token, never the token); "" when unknown.
	Owner string
	// Description says what the document is, for people and models.
	Description string
	// Created is when it was saved.
	Created time.Time
}

// Index is a bounded, concurrency-safe set of entries keyed by name.
type Index struct {
	mu     sync.Mutex
	max    int
	byName map[string]Entry
	order  []string // names, oldest first
}

// New returns an empty index that remembers at most max entries
// (DefaultMax when max <= 0).
func New(max int) *Index {
	if max <= 0 {
		max = DefaultMax
	}
	return &Index{max: max, byName: map[string]Entry{}}
}

// Add remembers e under a unique name derived from its file name and
// returns the entry as stored. Adding a path that is already remembered
// replaces that entry and keeps its name.
func (x *Index) Add(e Entry) Entry {
	x.mu.Lock()
	defer x.mu.Unlock()
	base := filepath.Base(e.Path)
	for _, name := range x.order {
		if x.byName[name].Path == e.Path {
			x.remove(name)
			base = name
			break
		}
	}
	e.Name = x.freeName(base)
	x.byName[e.Name] = e
	x.order = append(x.order, e.Name)
	for len(x.order) > x.max {
		x.remove(x.order[0])
	}
	return e
}

// freeName returns base, or base with a -2, -3, … suffix before its
// extension, whichever is not yet taken.
func (x *Index) freeName(base string) string {
	ext := filepath.Ext(base)
	stem := strings.TrimSuffix(base, ext)
	name := base
	for i := 2; ; i++ {
		if _, taken := x.byName[name]; !taken {
			return name
		}
		name = stem + "-" + strconv.Itoa(i) + ext
	}
}

func (x *Index) remove(name string) {
	delete(x.byName, name)
	if i := slices.Index(x.order, name); i >= 0 {
		x.order = slices.Delete(x.order, i, i+1)
	}
}

// Get returns the entry of the given name when owner made it. A missing
// entry and another owner's entry look the same to the caller.
func (x *Index) Get(owner, name string) (Entry, bool) {
	x.mu.Lock()
	defer x.mu.Unlock()
	e, ok := x.byName[name]
	if !ok || e.Owner != owner {
		return Entry{}, false
	}
	return e, true
}

// List returns the entries owner made, newest first.
func (x *Index) List(owner string) []Entry {
	x.mu.Lock()
	defer x.mu.Unlock()
	var out []Entry
	for i := len(x.order) - 1; i >= 0; i-- {
		if e := x.byName[x.order[i]]; e.Owner == owner {
			out = append(out, e)
		}
	}
	return out
}
