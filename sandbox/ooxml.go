package sandbox

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"strings"
)

// The OOXML renderers write minimal but valid Word, Excel and PowerPoint
// packages holding the document's text. Archives are deterministic: fixed
// entry order and timestamps.

const (
	nsRels    = "http://schemas.openxmlformats.org/package/2006/relationships"
	nsRelDoc  = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsTypes   = "http://schemas.openxmlformats.org/package/2006/content-types"
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsSheet   = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
	nsA       = "http://schemas.openxmlformats.org/drawingml/2006/main"
	nsP       = "http://schemas.openxmlformats.org/presentationml/2006/main"
	xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"
	ctRels    = "application/vnd.openxmlformats-package.relationships+xml"
	ctCore    = "application/vnd.openxmlformats-package.core-properties+xml"
)

type zipEntry struct{ name, body string }

func writeZip(entries []zipEntry) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: pdfEpoch})
		if err != nil {
			return nil, err
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			return nil, err
		}
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// esc escapes text for XML (invalid characters become U+FFFD).
func esc(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

type override struct{ part, contentType string }

func contentTypesXML(overrides ...override) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Types xmlns="` + nsTypes + `">`)
	b.WriteString(`<Default Extension="rels" ContentType="` + ctRels + `"/><Default Extension="xml" ContentType="application/xml"/>`)
	for _, o := range append(overrides, override{"/docProps/core.xml", ctCore}) {
		b.WriteString(`<Override PartName="` + o.part + `" ContentType="` + o.contentType + `"/>`)
	}
	b.WriteString(`</Types>`)
	return b.String()
}

type rel struct{ id, typ, target string }

func relsXML(rels ...rel) string {
	var b strings.Builder
	b.WriteString(xmlHeader + `<Relationships xmlns="` + nsRels + `">`)
	for _, r := range rels {
		b.WriteString(`<Relationship Id="` + r.id + `" Type="` + r.typ + `" Target="` + r.target + `"/>`)
	}
	b.WriteString(`</Relationships>`)
	return b.String()
}

func rootRels(mainPart string) string {
	return relsXML(
		rel{"rId1", nsRelDoc + "/officeDocument", mainPart},
		rel{"rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml"},
	)
}

func coreXML(d *document) string {
	return xmlHeader + `<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"` +
		` xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/"` +
		` xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
		`<dc:title>` + esc(d.Title) + `</dc:title><dc:creator>CxReports sandbox</dc:creator>` +
		`<dcterms:created xsi:type="dcterms:W3CDTF">` + isoTime(pdfEpoch) + `</dcterms:created></cp:coreProperties>`
}

// header lines shared by every format.
func (d *document) headerLines() []string {
	return []string{d.Title, "Workspace: " + d.Workspace, d.meta()}
}

// textLines flattens a section: tables become " | "-joined rows.
func (sec *section) textLines() []string {
	var out []string
	for _, b := range sec.Blocks {
		pad := strings.Repeat("  ", b.Level)
		switch b.Kind {
		case blockTable:
			out = append(out, pad+strings.Join(b.Columns, " | "))
			for _, r := range b.Rows {
				out = append(out, pad+strings.Join(r, " | "))
			}
		default:
			out = append(out, pad+b.Text)
		}
	}
	return out
}

// renderDOCX writes a Word document: headings, paragraphs and real tables,
// a page break between sections.
func renderDOCX(d *document) ([]byte, error) {
	var b strings.Builder
	para := func(text string, bold bool, halfPoints int, indent int) {
		b.WriteString(`<w:p>`)
		if indent > 0 {
			fmt.Fprintf(&b, `<w:pPr><w:ind w:left="%d"/></w:pPr>`, indent*360)
		}
		b.WriteString(`<w:r><w:rPr>`)
		if bold {
			b.WriteString(`<w:b/>`)
		}
		fmt.Fprintf(&b, `<w:sz w:val="%d"/></w:rPr><w:t xml:space="preserve">%s</w:t></w:r></w:p>`, halfPoints, esc(text))
	}
	b.WriteString(xmlHeader + `<w:document xmlns:w="` + nsW + `"><w:body>`)
	para(d.Title, true, 32, 0)
	para("Workspace: "+d.Workspace, false, 18, 0)
	para(d.meta(), false, 18, 0)
	for i, sec := range d.Sections {
		if i > 0 {
			b.WriteString(`<w:p><w:r><w:br w:type="page"/></w:r></w:p>`)
		}
		para(sec.Title, true, 26, 0)
		for _, bl := range sec.Blocks {
			switch bl.Kind {
			case blockHeading:
				para(bl.Text, true, 22, bl.Level)
			case blockLine:
				para(bl.Text, false, 20, bl.Level)
			case blockTable:
				b.WriteString(`<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/><w:tblBorders>`)
				for _, side := range []string{"top", "left", "bottom", "right", "insideH", "insideV"} {
					b.WriteString(`<w:` + side + ` w:val="single" w:sz="4" w:space="0" w:color="999999"/>`)
				}
				b.WriteString(`</w:tblBorders></w:tblPr><w:tblGrid>`)
				for range bl.Columns {
					b.WriteString(`<w:gridCol w:w="2000"/>`)
				}
				b.WriteString(`</w:tblGrid>`)
				row := func(cells []string, header bool) {
					b.WriteString(`<w:tr>`)
					for i := range bl.Columns {
						text := ""
						if i < len(cells) {
							text = cells[i]
						}
						b.WriteString(`<w:tc><w:tcPr><w:tcW w:w="2000" w:type="dxa"/></w:tcPr>`)
						para(text, header, 18, 0)
						b.WriteString(`</w:tc>`)
					}
					b.WriteString(`</w:tr>`)
				}
				row(bl.Columns, true)
				for _, r := range bl.Rows {
					row(r, false)
				}
				b.WriteString(`</w:tbl><w:p/>`)
			}
		}
	}
	para(d.footer(), false, 16, 0)
	b.WriteString(`<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1134" w:right="1134" w:bottom="1134" w:left="1134" w:header="709" w:footer="709" w:gutter="0"/></w:sectPr>`)
	b.WriteString(`</w:body></w:document>`)
	return writeZip([]zipEntry{
		{"[Content_Types].xml", contentTypesXML(override{"/word/document.xml", "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"})},
		{"_rels/.rels", rootRels("word/document.xml")},
		{"docProps/core.xml", coreXML(d)},
		{"word/document.xml", b.String()},
	})
}

// colName turns a 0-based column index into A, B, ..., Z, AA, ...
func colName(i int) string {
	name := ""
	for i++; i > 0; i = (i - 1) / 26 {
		name = string(rune('A'+(i-1)%26)) + name
	}
	return name
}

// renderXLSX writes one worksheet: header lines, then per section its
// title, lines in column A and tables across columns.
func renderXLSX(d *document) ([]byte, error) {
	var rows [][]string
	for _, l := range d.headerLines() {
		rows = append(rows, []string{l})
	}
	for _, sec := range d.Sections {
		rows = append(rows, nil, []string{sec.Title})
		for _, bl := range sec.Blocks {
			if bl.Kind == blockTable {
				rows = append(rows, bl.Columns)
				rows = append(rows, bl.Rows...)
				continue
			}
			rows = append(rows, []string{strings.Repeat("  ", bl.Level) + bl.Text})
		}
	}
	rows = append(rows, nil, []string{d.footer()})
	var b strings.Builder
	b.WriteString(xmlHeader + `<worksheet xmlns="` + nsSheet + `"><sheetData>`)
	for i, r := range rows {
		n := strconv.Itoa(i + 1)
		b.WriteString(`<row r="` + n + `">`)
		for j, cell := range r {
			if cell == "" {
				continue
			}
			b.WriteString(`<c r="` + colName(j) + n + `" t="inlineStr"><is><t xml:space="preserve">` + esc(cell) + `</t></is></c>`)
		}
		b.WriteString(`</row>`)
	}
	b.WriteString(`</sheetData></worksheet>`)
	return writeZip([]zipEntry{
		{"[Content_Types].xml", contentTypesXML(
			override{"/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"},
			override{"/xl/worksheets/sheet1.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"})},
		{"_rels/.rels", rootRels("xl/workbook.xml")},
		{"docProps/core.xml", coreXML(d)},
		{"xl/workbook.xml", xmlHeader + `<workbook xmlns="` + nsSheet + `" xmlns:r="` + nsRelDoc + `">` +
			`<sheets><sheet name="Report" sheetId="1" r:id="rId1"/></sheets></workbook>`},
		{"xl/_rels/workbook.xml.rels", relsXML(rel{"rId1", nsRelDoc + "/worksheet", "worksheets/sheet1.xml"})},
		{"xl/worksheets/sheet1.xml", b.String()},
	})
}

const pptxNS = ` xmlns:a="` + nsA + `" xmlns:r="` + nsRelDoc + `" xmlns:p="` + nsP + `"`

const pptxEmptyTree = `<p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr>` +
	`<p:grpSpPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="0" cy="0"/><a:chOff x="0" y="0"/><a:chExt cx="0" cy="0"/></a:xfrm></p:grpSpPr>`

const pptxTheme = xmlHeader + `<a:theme xmlns:a="` + nsA + `" name="Sandbox"><a:themeElements>` +
	`<a:clrScheme name="Sandbox"><a:dk1><a:srgbClr val="000000"/></a:dk1><a:lt1><a:srgbClr val="FFFFFF"/></a:lt1>` +
	`<a:dk2><a:srgbClr val="003366"/></a:dk2><a:lt2><a:srgbClr val="EEEEEE"/></a:lt2>` +
	`<a:accent1><a:srgbClr val="003366"/></a:accent1><a:accent2><a:srgbClr val="336699"/></a:accent2>` +
	`<a:accent3><a:srgbClr val="6699CC"/></a:accent3><a:accent4><a:srgbClr val="99CCFF"/></a:accent4>` +
	`<a:accent5><a:srgbClr val="CC6633"/></a:accent5><a:accent6><a:srgbClr val="669933"/></a:accent6>` +
	`<a:hlink><a:srgbClr val="0000FF"/></a:hlink><a:folHlink><a:srgbClr val="800080"/></a:folHlink></a:clrScheme>` +
	`<a:fontScheme name="Sandbox"><a:majorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:majorFont>` +
	`<a:minorFont><a:latin typeface="Arial"/><a:ea typeface=""/><a:cs typeface=""/></a:minorFont></a:fontScheme>` +
	`<a:fmtScheme name="Sandbox"><a:fillStyleLst>` + pptxFill + pptxFill + pptxFill + `</a:fillStyleLst>` +
	`<a:lnStyleLst>` + pptxLine + pptxLine + pptxLine + `</a:lnStyleLst>` +
	`<a:effectStyleLst><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle><a:effectStyle><a:effectLst/></a:effectStyle></a:effectStyleLst>` +
	`<a:bgFillStyleLst>` + pptxFill + pptxFill + pptxFill + `</a:bgFillStyleLst></a:fmtScheme>` +
	`</a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>`

const (
	pptxFill = `<a:solidFill><a:schemeClr val="phClr"/></a:solidFill>`
	pptxLine = `<a:ln w="9525"><a:solidFill><a:schemeClr val="phClr"/></a:solidFill></a:ln>`
)

func pptxTextBox(id int, name string, x, y, cx, cy int, paras []string, size int, bold bool) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<p:sp><p:nvSpPr><p:cNvPr id="%d" name="%s"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr>`, id, name)
	fmt.Fprintf(&b, `<p:spPr><a:xfrm><a:off x="%d" y="%d"/><a:ext cx="%d" cy="%d"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></p:spPr>`, x, y, cx, cy)
	b.WriteString(`<p:txBody><a:bodyPr wrap="square"><a:normAutofit/></a:bodyPr><a:lstStyle/>`)
	for _, p := range paras {
		fmt.Fprintf(&b, `<a:p><a:r><a:rPr lang="en-US" sz="%d" b="%d" dirty="0"/><a:t>%s</a:t></a:r></a:p>`, size, boolInt(bold), esc(p))
	}
	b.WriteString(`</p:txBody></p:sp>`)
	return b.String()
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// renderPPTX writes one slide per section (the first also carries the
// document header).
func renderPPTX(d *document) ([]byte, error) {
	secs := d.Sections
	entries := []zipEntry{{"[Content_Types].xml", ""}, {"_rels/.rels", rootRels("ppt/presentation.xml")}, {"docProps/core.xml", coreXML(d)}}
	overrides := []override{
		{"/ppt/presentation.xml", "application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"},
		{"/ppt/slideMasters/slideMaster1.xml", "application/vnd.openxmlformats-officedocument.presentationml.slideMaster+xml"},
		{"/ppt/slideLayouts/slideLayout1.xml", "application/vnd.openxmlformats-officedocument.presentationml.slideLayout+xml"},
		{"/ppt/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml"},
	}
	presRels := []rel{
		{"rId1", nsRelDoc + "/slideMaster", "slideMasters/slideMaster1.xml"},
		{"rId2", nsRelDoc + "/theme", "theme/theme1.xml"},
	}
	var sldIDs strings.Builder
	for i, sec := range secs {
		n := strconv.Itoa(i + 1)
		overrides = append(overrides, override{"/ppt/slides/slide" + n + ".xml", "application/vnd.openxmlformats-officedocument.presentationml.slide+xml"})
		presRels = append(presRels, rel{"rId" + strconv.Itoa(i+3), nsRelDoc + "/slide", "slides/slide" + n + ".xml"})
		fmt.Fprintf(&sldIDs, `<p:sldId id="%d" r:id="rId%d"/>`, 256+i, i+3)
		title := []string{d.Title + " - " + sec.Title}
		body := sec.textLines()
		if i == 0 {
			body = append([]string{"Workspace: " + d.Workspace, d.meta()}, body...)
		}
		body = append(body, d.footer())
		slide := xmlHeader + `<p:sld` + pptxNS + `><p:cSld><p:spTree>` + pptxEmptyTree +
			pptxTextBox(2, "Title", 457200, 228600, 8229600, 762000, title, 2400, true) +
			pptxTextBox(3, "Body", 457200, 1066800, 8229600, 5486400, body, 1000, false) +
			`</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sld>`
		entries = append(entries,
			zipEntry{"ppt/slides/slide" + n + ".xml", slide},
			zipEntry{"ppt/slides/_rels/slide" + n + ".xml.rels", relsXML(rel{"rId1", nsRelDoc + "/slideLayout", "../slideLayouts/slideLayout1.xml"})})
	}
	entries[0].body = contentTypesXML(overrides...)
	entries = append(entries,
		zipEntry{"ppt/presentation.xml", xmlHeader + `<p:presentation` + pptxNS + `>` +
			`<p:sldMasterIdLst><p:sldMasterId id="2147483648" r:id="rId1"/></p:sldMasterIdLst>` +
			`<p:sldIdLst>` + sldIDs.String() + `</p:sldIdLst>` +
			`<p:sldSz cx="9144000" cy="6858000" type="screen4x3"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`},
		zipEntry{"ppt/_rels/presentation.xml.rels", relsXML(presRels...)},
		zipEntry{"ppt/slideMasters/slideMaster1.xml", xmlHeader + `<p:sldMaster` + pptxNS + `><p:cSld><p:spTree>` + pptxEmptyTree + `</p:spTree></p:cSld>` +
			`<p:clrMap bg1="lt1" tx1="dk1" bg2="lt2" tx2="dk2" accent1="accent1" accent2="accent2" accent3="accent3" accent4="accent4"` +
			` accent5="accent5" accent6="accent6" hlink="hlink" folHlink="folHlink"/>` +
			`<p:sldLayoutIdLst><p:sldLayoutId id="2147483649" r:id="rId1"/></p:sldLayoutIdLst></p:sldMaster>`},
		zipEntry{"ppt/slideMasters/_rels/slideMaster1.xml.rels", relsXML(
			rel{"rId1", nsRelDoc + "/slideLayout", "../slideLayouts/slideLayout1.xml"},
			rel{"rId2", nsRelDoc + "/theme", "../theme/theme1.xml"})},
		zipEntry{"ppt/slideLayouts/slideLayout1.xml", xmlHeader + `<p:sldLayout` + pptxNS + ` type="blank" preserve="1"><p:cSld name="Blank"><p:spTree>` +
			pptxEmptyTree + `</p:spTree></p:cSld><p:clrMapOvr><a:masterClrMapping/></p:clrMapOvr></p:sldLayout>`},
		zipEntry{"ppt/slideLayouts/_rels/slideLayout1.xml.rels", relsXML(rel{"rId1", nsRelDoc + "/slideMaster", "../slideMasters/slideMaster1.xml"})},
		zipEntry{"ppt/theme/theme1.xml", pptxTheme},
	)
	return writeZip(entries)
}
