package sandbox

import (
	"fmt"
	"strconv"
	"strings"
)

// document is the format-neutral content of a rendered report. The PDF,
// HTML, preview and OOXML renderers all draw the same document, so every
// format shows the same thing.
type document struct {
	Title       string // the report name
	Workspace   string // "Demo (demo)"
	Theme       string // theme name
	Template    string // template name
	Timezone    string
	Lang        string
	Attachments bool   // includeAttachments: the data travels as data.json
	Attachment  []byte // data.json when Attachments
	Sections    []section
}

// meta is the line under the title: theme and template.
func (d *document) meta() string {
	return "Theme: " + d.Theme + " | Template: " + d.Template
}

// footer is the line at the bottom of every page.
func (d *document) footer() string {
	return "Timezone: " + d.Timezone + " | Language: " + d.Lang
}

// section is one report page (E4); it starts a new PDF page or slide.
type section struct {
	PageID int64
	Title  string
	Blocks []block
}

type blockKind int

const (
	blockHeading blockKind = iota
	blockLine
	blockTable
)

// block is a heading, a line of text or a table.
type block struct {
	Kind    blockKind
	Level   int // indentation of nested data
	Text    string
	Columns []string
	Rows    [][]string
}

func heading(level int, text string) block {
	return block{Kind: blockHeading, Level: level, Text: text}
}
func line(level int, text string) block { return block{Kind: blockLine, Level: level, Text: text} }

// Bounds that keep a hostile temporary-data document from producing an
// unbounded rendering.
const (
	maxTableRows = 2000
	maxBlocks    = 5000
)

// renderInput is a fully resolved document request.
type renderInput struct {
	ws         *workspace
	report     *report
	params     object
	data       any
	dataSource string // "sample data", "inline data", "temporary data 1001", ...
	timezone   string
	lang       string
	format     docFormat
	attach     bool
	theme      *theme
	template   *theme
	exclude    []int64
	sizeMB     int // large-document only
}

// fileName is the download name: the report name plus the extension.
func (in *renderInput) fileName() string { return in.report.Name + "." + in.format.String() }

// buildDocument lays out the report's pages, skipping excluded ones.
func buildDocument(in *renderInput) *document {
	d := &document{
		Title: in.report.Name, Workspace: in.ws.label(),
		Theme: in.theme.Name, Template: in.template.Name,
		Timezone: in.timezone, Lang: in.lang, Attachments: in.attach,
	}
	if in.attach {
		d.Attachment = []byte(compactJSON(in.data) + "\n")
	}
	for i, p := range in.report.Pages {
		if excluded(in.exclude, i+1, p.ID) {
			continue
		}
		sec := section{PageID: p.ID, Title: p.Name}
		switch p.Role {
		case roleSummary:
			sec.Blocks = summaryBlocks(in)
		case roleData:
			sec.Blocks = dataSectionBlocks(in)
		case roleNotes:
			for _, n := range p.Notes {
				sec.Blocks = append(sec.Blocks, line(0, n))
			}
		}
		d.Sections = append(d.Sections, sec)
	}
	return d
}

// excluded reports whether a page is excluded by its 1-based position or
// by its page id.
func excluded(exclude []int64, pos int, id int64) bool {
	for _, e := range exclude {
		if e == int64(pos) || e == id {
			return true
		}
	}
	return false
}

func summaryBlocks(in *renderInput) []block {
	bs := []block{
		line(0, "Report: "+in.report.Name+" (id "+strconv.FormatInt(in.report.ID, 10)+", type "+in.report.TypeCode+")"),
		line(0, "Workspace: "+in.ws.label()),
		heading(0, "Parameters"),
	}
	if len(in.params) == 0 {
		bs = append(bs, line(0, "No parameters given."))
	}
	for _, m := range in.params {
		bs = append(bs, line(0, m.Key+" = "+compactJSON(m.Value)))
	}
	bs = append(bs, heading(0, "Parameters this report understands"))
	if len(in.report.Params) == 0 {
		return append(bs, line(0, "This report declares no parameters."))
	}
	t := block{Kind: blockTable, Columns: []string{"Name", "Type", "Description", "Example"}}
	for _, p := range in.report.Params {
		ex := ""
		if p.Example != nil {
			ex = compactJSON(p.Example)
		}
		t.Rows = append(t.Rows, []string{p.Name, p.Type, p.Description, ex})
	}
	return append(bs, t)
}

func dataSectionBlocks(in *renderInput) []block {
	if in.report.TypeCode == TypeLargeDocument {
		return []block{line(0, fmt.Sprintf("The PDF of this report is about %d MiB (%d pages) of generated text.",
			in.sizeMB, newLargePDF(in.sizeMB).pages))}
	}
	bs := []block{heading(0, "Data"), line(0, "Source: "+in.dataSource)}
	bs = append(bs, dataBlocks(in.data, 0)...)
	if len(bs) > maxBlocks {
		n := len(bs) - maxBlocks
		bs = append(bs[:maxBlocks], line(0, fmt.Sprintf("... %d more lines not shown", n)))
	}
	return bs
}

// dataBlocks renders a JSON value: objects as key/value lines with nested
// headings, arrays of objects as tables, other arrays as comma lists.
func dataBlocks(v any, level int) []block {
	switch t := v.(type) {
	case object:
		var bs []block
		for _, m := range t {
			bs = append(bs, memberBlocks(m.Key, m.Value, level)...)
			if len(bs) > maxBlocks {
				break
			}
		}
		if len(t) == 0 {
			bs = append(bs, line(level, "(empty)"))
		}
		return bs
	case []any:
		if tb, ok := tableOf(t, level); ok {
			return []block{tb}
		}
		return []block{line(level, listText(t))}
	default:
		return []block{line(level, scalarText(v))}
	}
}

func memberBlocks(key string, v any, level int) []block {
	switch t := v.(type) {
	case object:
		return append([]block{heading(level+1, key)}, dataBlocks(t, level+1)...)
	case []any:
		if tb, ok := tableOf(t, level+1); ok {
			return []block{heading(level+1, key), tb}
		}
		return []block{line(level, key+": "+listText(t))}
	default:
		return []block{line(level, key+": "+scalarText(v))}
	}
}

func listText(a []any) string {
	if len(a) == 0 {
		return "(none)"
	}
	parts := make([]string, 0, len(a))
	for _, e := range a {
		parts = append(parts, scalarText(e))
	}
	return strings.Join(parts, ", ")
}

// tableOf turns a non-empty array of objects into a table whose columns
// are the keys in order of first appearance.
func tableOf(a []any, level int) (block, bool) {
	if len(a) == 0 {
		return block{}, false
	}
	var cols []string
	seen := map[string]int{}
	for _, e := range a {
		o, ok := e.(object)
		if !ok {
			return block{}, false
		}
		for _, m := range o {
			if _, dup := seen[m.Key]; !dup {
				seen[m.Key] = len(cols)
				cols = append(cols, m.Key)
			}
		}
	}
	t := block{Kind: blockTable, Level: level, Columns: cols}
	for i, e := range a {
		if i == maxTableRows {
			t.Rows = append(t.Rows, []string{fmt.Sprintf("... %d more rows", len(a)-i)})
			break
		}
		row := make([]string, len(cols))
		for _, m := range e.(object) {
			row[seen[m.Key]] = scalarText(m.Value)
		}
		t.Rows = append(t.Rows, row)
	}
	return t, true
}
