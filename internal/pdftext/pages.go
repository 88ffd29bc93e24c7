package pdftext

import (
	"fmt"

	"github.com/ledongthuc/pdf"
)

// collectPages walks the page tree in document order and returns at most
// limit pages, with the number of pages the document has. Kids are
// resolved one at a time, so a huge tree costs only the pages wanted, and
// the walk is bounded in depth and in nodes visited, so a cyclic tree
// ends it.
func collectPages(doc *pdf.Reader, limit int) (pages []pdf.Page, count int, err error) {
	defer func() {
		if p := recover(); p != nil {
			pages, count, err = nil, 0, fmt.Errorf("%w: page tree: %s", ErrMalformed, detail(p))
		}
	}()
	root := doc.Trailer().Key("Root").Key("Pages")
	if root.Kind() != pdf.Dict {
		return nil, 0, fmt.Errorf("%w: no page tree", ErrMalformed)
	}
	// A frame is a tree node whose kids are being visited.
	type frame struct {
		kids pdf.Value
		next int
	}
	stack := []frame{{kids: root.Key("Kids")}}
	visits, maxVisits := 0, 16*limit+256
	for len(stack) > 0 && len(pages) < limit && visits < maxVisits {
		top := &stack[len(stack)-1]
		if top.next >= top.kids.Len() {
			stack = stack[:len(stack)-1]
			continue
		}
		kid := top.kids.Index(top.next)
		top.next++
		visits++
		if kid.Kind() != pdf.Dict {
			continue
		}
		kids := kid.Key("Kids")
		switch {
		case kid.Key("Type").Name() == "Page" || kids.Kind() != pdf.Array:
			pages = append(pages, pdf.Page{V: kid})
		case len(stack) < maxTreeDepth:
			stack = append(stack, frame{kids: kids})
		}
	}
	count = int(root.Key("Count").Int64())
	if len(stack) == 0 && len(pages) < limit && visits < maxVisits {
		// The whole tree was walked: what was found is the truth, whatever
		// Count claims.
		count = len(pages)
	}
	return pages, max(count, len(pages)), nil
}
