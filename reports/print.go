package reports

import (
	"math"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// Every sheet prints on A4 landscape with its header repeated on each page
// and a footer naming the sheet and numbering its pages. A sheet that fits
// one page wide at a readable size is fitted to the page's width, or, when
// a scale no smaller than minScale also keeps it one page tall, printed at
// that scale. A wider one is not shrunk to fit: its columns are split over
// pages at a fixed scale no smaller than minScale, and each page repeats
// the sheet's key columns (school code and name) so no page is anonymous.
const (
	paperA4      = 9
	marginSide   = 0.5 // inches
	marginTop    = 0.6
	marginBottom = 0.7
	marginHF     = 0.3 // header and footer
	// printWidth is the width an A4 landscape page leaves for columns, in
	// pixels at 96 dpi (the unit column widths are drawn in), and
	// printHeight the height it leaves for rows, in points.
	printWidth  = (11.69 - 2*marginSide) * 96
	printHeight = (8.27 - marginTop - marginBottom) * 72
	// rowHeight is the height of a row of one line of 11-point text.
	rowHeight = 15
	// minScale keeps 11-point cells at 8.25 points or more on paper.
	minScale = 75
	// pageFill is how much of a page a split sheet plans to fill, leaving
	// room for the difference between this estimate and the real fonts.
	pageFill = 0.94
	// rowsHeight is how much of a page's height a sheet plans to fill: a
	// row less than it holds, as applications round row heights.
	rowsHeight = printHeight - rowHeight
	// footer names the sheet and numbers its pages, as a bureau stamps them.
	footer = "&L&9&A&C&9第 &P 页 共 &N 页"
)

// colPixels is a column width (in characters of the default font) as the
// pixels a spreadsheet draws it in.
func colPixels(w float64) float64 { return math.Floor(w*7 + 5) }

// printPlan is how a sheet's columns fall on paper.
type printPlan struct {
	widths []float64
	repeat int   // leading columns repeated on every page of a split sheet
	starts []int // 0-based columns a page may start with; nil: any
	breaks []int // 1-based columns that start a new page; none when one page wide
	scale  int   // print scale in percent; 0 when fitted to the page's width
}

// planPrint decides how columns of the given widths print: fitted to the
// page when they fit at minScale, else split over as few pages as that
// scale needs, at the largest scale giving that many pages — and, when the
// sheet (height points tall, 0 when not known) fits one page tall at a
// scale no smaller than minScale, at a scale that keeps it one page tall,
// so each strip of columns prints on a single page, and a sheet one page
// wide does not leave its last few rows to a page of their own.
func planPrint(widths []float64, repeat int, height float64) printPlan {
	return printPlan{widths: widths, repeat: min(repeat, len(widths))}.plan(height)
}

// plan is planPrint for a plan whose pages may start only at some columns.
func (p printPlan) plan(height float64) printPlan {
	widths := p.widths
	total := 0.0
	for _, w := range widths {
		total += colPixels(w)
	}
	tall := height*minScale/100 <= rowsHeight
	if total*minScale/100 <= printWidth {
		if tall && height*min(100, printWidth*100/total)/100 > rowsHeight {
			if scale := int(min(rowsHeight*100/height, printWidth*pageFill*100/total)); scale >= minScale {
				p.scale = scale
			}
		}
		return p
	}
	fewest := len(p.split(minScale)) + 1
	for scale := 100; scale >= minScale; scale-- {
		if tall && height*float64(scale)/100 > rowsHeight {
			continue
		}
		if b := p.split(scale); len(b)+1 <= fewest {
			p.breaks, p.scale = b, scale
			return p
		}
	}
	return p
}

// split fills pages block by block (a column, or the columns a page may
// not break within) at a scale, each page after the first starting with
// the repeated columns; it returns where pages start.
func (p printPlan) split(scale int) []int {
	room := printWidth * pageFill * 100 / float64(scale)
	rep := 0.0
	for _, w := range p.widths[:p.repeat] {
		rep += colPixels(w)
	}
	starts := p.starts
	if starts == nil {
		for i := range p.widths {
			starts = append(starts, i)
		}
	}
	var breaks []int
	used, blocks := 0.0, 0
	for b, from := range starts {
		to := len(p.widths)
		if b+1 < len(starts) {
			to = starts[b+1]
		}
		px := 0.0
		for _, w := range p.widths[from:to] {
			px += colPixels(w)
		}
		if used+px > room && blocks > 0 {
			breaks = append(breaks, from+1)
			used, blocks = rep, 0
		}
		used += px
		if from >= p.repeat {
			blocks++
		}
	}
	return breaks
}

// firstPage is the number of columns on the first printed page.
func (p printPlan) firstPage() int {
	if len(p.breaks) == 0 {
		return len(p.widths)
	}
	return p.breaks[0] - 1
}

// noteFrom is the first column of the title block's note: the first, or on
// a split sheet the first after those every page repeats.
func (p printPlan) noteFrom() int {
	if len(p.breaks) == 0 {
		return 1
	}
	return p.repeat + 1
}

// sheetProps sets what must be in place before a stream writer starts the
// sheet: whether it fits to the page.
func (p printPlan) sheetProps(f *excelize.File, sheet string) error {
	return f.SetSheetProps(sheet, &excelize.SheetPropsOptions{FitToPage: ptr(p.scale == 0)})
}

// apply sets the page layout, margins, footer, print titles (the header
// rows from..to, and the repeated columns of a split sheet) and the column
// page breaks.
func (p printPlan) apply(f *excelize.File, sheet string, from, to int) error {
	layout := &excelize.PageLayoutOptions{Size: ptr(paperA4), Orientation: ptr("landscape")}
	if p.scale == 0 {
		layout.FitToWidth, layout.FitToHeight = ptr(1), ptr(0)
	} else {
		layout.AdjustTo = ptr(uint(p.scale))
	}
	if err := f.SetPageLayout(sheet, layout); err != nil {
		return err
	}
	if err := f.SetPageMargins(sheet, &excelize.PageLayoutMarginsOptions{
		Left: ptr(marginSide), Right: ptr(marginSide), Top: ptr(marginTop), Bottom: ptr(marginBottom),
		Header: ptr(marginHF), Footer: ptr(marginHF), Horizontally: ptr(true),
	}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(sheet, &excelize.HeaderFooterOptions{OddFooter: footer}); err != nil {
		return err
	}
	titles := sheetRef(sheet, "$"+strconv.Itoa(from)+":$"+strconv.Itoa(to))
	if len(p.breaks) > 0 && p.repeat > 0 {
		last, _ := excelize.ColumnNumberToName(p.repeat)
		titles = sheetRef(sheet, "$A:$"+last) + "," + titles
	}
	if err := f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: titles, Scope: sheet}); err != nil {
		return err
	}
	for _, c := range p.breaks {
		cell, _ := excelize.CoordinatesToCellName(c, 1)
		if err := f.InsertPageBreak(sheet, cell); err != nil {
			return err
		}
	}
	return nil
}

// printArea limits printing to the table (rows 1 to rows of its columns):
// text running past the last column is cut at the edge of the page rather
// than printed on pages of its own.
func printArea(f *excelize.File, sheet string, cols, rows int) error {
	last, err := excelize.CoordinatesToCellName(cols, rows, true)
	if err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Area", RefersTo: sheetRef(sheet, "$A$1:"+last), Scope: sheet})
}
