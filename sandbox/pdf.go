package sandbox

import (
	"bytes"
	"fmt"
	"time"

	"codeberg.org/go-pdf/fpdf"
)

// pdfEpoch is the fixed creation date of every rendered PDF, so that the
// same request always gives the same bytes.
var pdfEpoch = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// pdfStyle is what a theme and a template change.
type pdfStyle struct {
	accent   [3]int // headings and table headers
	fontSize float64
	lineH    float64
}

func styleFor(d *document) pdfStyle {
	st := pdfStyle{accent: [3]int{0, 0, 0}, fontSize: 10, lineH: 5.5}
	if d.Theme == "Corporate" {
		st.accent = [3]int{0, 51, 102}
	}
	if d.Template == "Compact" {
		st.fontSize, st.lineH = 8, 4.2
	}
	return st
}

// renderPDF draws the document with fpdf: Helvetica with cp1252
// translation, one new page per section, a header with the report name,
// workspace, theme and template, and a footer with the page number,
// timezone and language. The output is deterministic.
func renderPDF(d *document) ([]byte, error) {
	pdf := fpdf.New("P", "mm", "A4", "")
	pdf.SetCreationDate(pdfEpoch)
	pdf.SetModificationDate(pdfEpoch)
	pdf.SetCatalogSort(true)
	pdf.SetCompression(true)
	pdf.SetProducer("CxReports sandbox", false)
	pdf.SetCreator("CxReports sandbox", false)
	pdf.SetTitle(d.Title, true)
	pdf.AliasNbPages("{nb}")
	pdf.SetMargins(15, 15, 15)
	pdf.SetAutoPageBreak(true, 18)
	tr := pdf.UnicodeTranslatorFromDescriptor("")
	st := styleFor(d)
	pageW, _ := pdf.GetPageSize()
	left, _, right, _ := pdf.GetMargins()
	width := pageW - left - right

	pdf.SetHeaderFunc(func() {
		pdf.SetTextColor(st.accent[0], st.accent[1], st.accent[2])
		pdf.SetFont("Helvetica", "B", 16)
		pdf.CellFormat(width, 8, tr(d.Title), "", 1, "L", false, 0, "")
		pdf.SetTextColor(80, 80, 80)
		pdf.SetFont("Helvetica", "", 9)
		pdf.CellFormat(width, 5, tr("Workspace: "+d.Workspace), "", 1, "L", false, 0, "")
		pdf.CellFormat(width, 5, tr(d.meta()), "", 1, "L", false, 0, "")
		pdf.SetDrawColor(st.accent[0], st.accent[1], st.accent[2])
		y := pdf.GetY() + 1
		pdf.Line(left, y, pageW-right, y)
		pdf.SetY(y + 4)
		pdf.SetTextColor(0, 0, 0)
	})
	pdf.SetFooterFunc(func() {
		pdf.SetY(-13)
		pdf.SetFont("Helvetica", "", 8)
		pdf.SetTextColor(80, 80, 80)
		pdf.CellFormat(width, 5, tr(fmt.Sprintf("Page %d of {nb} | %s", pdf.PageNo(), d.footer())), "", 0, "C", false, 0, "")
	})

	for _, sec := range d.Sections {
		pdf.AddPage()
		pdf.SetTextColor(st.accent[0], st.accent[1], st.accent[2])
		pdf.SetFont("Helvetica", "B", st.fontSize+3)
		pdf.CellFormat(width, st.lineH+2, tr(sec.Title), "", 1, "L", false, 0, "")
		pdf.SetTextColor(0, 0, 0)
		for _, b := range sec.Blocks {
			indent := float64(b.Level) * 5
			pdf.SetX(left + indent)
			switch b.Kind {
			case blockHeading:
				pdf.Ln(1.5)
				pdf.SetX(left + indent)
				pdf.SetFont("Helvetica", "B", st.fontSize+1)
				pdf.SetTextColor(st.accent[0], st.accent[1], st.accent[2])
				pdf.CellFormat(width-indent, st.lineH+1, tr(b.Text), "", 1, "L", false, 0, "")
				pdf.SetTextColor(0, 0, 0)
			case blockLine:
				pdf.SetFont("Helvetica", "", st.fontSize)
				pdf.MultiCell(width-indent, st.lineH, tr(b.Text), "", "L", false)
			case blockTable:
				drawTable(pdf, tr, st, b, left+indent, width-indent)
			}
		}
		if pdf.Err() {
			return nil, pdf.Error()
		}
	}
	if d.Attachments {
		pdf.SetAttachments([]fpdf.Attachment{{Content: d.Attachment, Filename: "data.json", Description: "The report data"}})
	}
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// drawTable draws a table with equal columns; cell text that does not fit
// is shortened with "...".
func drawTable(pdf *fpdf.Fpdf, tr func(string) string, st pdfStyle, b block, x, width float64) {
	if len(b.Columns) == 0 {
		return
	}
	colW := columnWidths(pdf, tr, st, b, width)
	h := st.lineH + 0.5
	row := func(cells []string, header bool) {
		if header {
			pdf.SetFont("Helvetica", "B", st.fontSize)
			pdf.SetFillColor(st.accent[0], st.accent[1], st.accent[2])
			pdf.SetTextColor(255, 255, 255)
		} else {
			pdf.SetFont("Helvetica", "", st.fontSize)
			pdf.SetTextColor(0, 0, 0)
		}
		pdf.SetX(x)
		for i := range b.Columns {
			text := ""
			if i < len(cells) {
				text = fitText(pdf, tr(cells[i]), colW[i]-2)
			}
			pdf.CellFormat(colW[i], h, text, "1", 0, "L", header, 0, "")
		}
		pdf.Ln(h)
	}
	pdf.Ln(1)
	row(b.Columns, true)
	for _, r := range b.Rows {
		row(r, false)
	}
	pdf.SetTextColor(0, 0, 0)
	pdf.Ln(1)
}

// columnWidths shares width among the columns in proportion to their
// natural widths (measured on the header and the first rows), each capped
// at 60% of the table.
func columnWidths(pdf *fpdf.Fpdf, tr func(string) string, st pdfStyle, b block, width float64) []float64 {
	pdf.SetFont("Helvetica", "B", st.fontSize)
	ws := make([]float64, len(b.Columns))
	for i, c := range b.Columns {
		ws[i] = pdf.GetStringWidth(tr(c))
	}
	pdf.SetFont("Helvetica", "", st.fontSize)
	for _, r := range b.Rows[:min(len(b.Rows), 50)] {
		for i := range min(len(r), len(ws)) {
			ws[i] = max(ws[i], pdf.GetStringWidth(tr(r[i])))
		}
	}
	total := 0.0
	for i := range ws {
		ws[i] = min(ws[i]+4, width*0.6)
		total += ws[i]
	}
	for i := range ws {
		ws[i] *= width / total
	}
	return ws
}

// fitText shortens an already translated (single-byte) string to width,
// finding the longest prefix that fits with a binary search.
func fitText(pdf *fpdf.Fpdf, s string, width float64) string {
	if pdf.GetStringWidth(s) <= width {
		return s
	}
	lo, hi := 0, len(s) // s[:lo]+"..." fits; s[:hi]+"..." does not (or hi == len)
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		if pdf.GetStringWidth(s[:mid]+"...") <= width {
			lo = mid
		} else {
			hi = mid
		}
	}
	return s[:lo] + "..."
}
