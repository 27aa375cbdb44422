package reports

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// Number formats of the workbooks: one per kind of number, on every sheet.
const (
	fmtText     = "@"
	fmtCount    = "0"
	fmtRate     = "0.0%"
	fmtDate     = "yyyy-mm-dd"
	fmtDateTime = "yyyy-mm-dd hh:mm"
)

// fontName is the workbook's default font, named on every style: a style
// without a font name makes some applications fall back to a serif face.
const fontName = "Calibri"

// border is the thin grey grid of every table cell, so tables print ruled.
var border = []excelize.Border{
	{Type: "left", Color: "A6A6A6", Style: 1}, {Type: "right", Color: "A6A6A6", Style: 1},
	{Type: "top", Color: "A6A6A6", Style: 1}, {Type: "bottom", Color: "A6A6A6", Style: 1},
}

// look is what distinguishes the styles of table cells.
type look struct {
	code string // number format; "" for General
	bold bool   // total rows
	wrap bool   // text that may run longer than its column
}

// styles creates each cell style once and hands out its id.
type styles struct {
	f       *excelize.File
	loc     *time.Location
	byLook  map[look]int
	err     error
	header  int
	group   int // a header spanning the columns of one indicator
	plain   int // text that wraps
	line    int // text kept on one line
	text    int // text kept as typed: codes, phone numbers
	date    int
	when    int
	title   int // the title block
	subject int
	unit    int
	made    int
	note    int
	bad     int // conditional format: red fill for ✗
}

func newStyles(f *excelize.File, loc *time.Location) (*styles, error) {
	st := &styles{f: f, loc: loc, byLook: map[look]int{}}
	headerStyle := func(fill string) int {
		return st.make(&excelize.Style{
			Font:      &excelize.Font{Family: fontName, Size: cellSize, Bold: true},
			Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{fill}},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
			Border:    border,
			NumFmt:    49,
		})
	}
	st.header = headerStyle("DDEBF7")
	st.group = headerStyle("BDD7EE")
	st.plain = st.cell(look{wrap: true})
	st.line = st.cell(look{})
	st.text = st.format(fmtText)
	st.date = st.format(fmtDate)
	st.when = st.format(fmtDateTime)
	line := func(size float64, bold bool, align string, wrap bool) int {
		return st.make(&excelize.Style{
			Font:      &excelize.Font{Family: fontName, Size: size, Bold: bold},
			Alignment: &excelize.Alignment{Horizontal: align, Vertical: "center", WrapText: wrap},
			NumFmt:    49,
		})
	}
	st.title = line(titleSize, true, "center", false)
	st.subject = line(subjectSize, true, "center", false)
	st.unit = line(unitSize, false, "left", false)
	st.made = line(unitSize, false, "right", false)
	st.note = line(noteSize, false, "left", true)
	if st.err == nil {
		st.bad, st.err = f.NewConditionalStyle(&excelize.Style{
			Font: &excelize.Font{Color: "9C0006"},
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"FFC7CE"}},
		})
	}
	return st, st.err
}

func (st *styles) make(s *excelize.Style) int {
	if st.err != nil {
		return 0
	}
	id, err := st.f.NewStyle(s)
	if err != nil {
		st.err = err
	}
	return id
}

// cell returns the style of a table cell with the given look.
func (st *styles) cell(l look) int {
	if id, ok := st.byLook[l]; ok {
		return id
	}
	s := &excelize.Style{
		Font:      &excelize.Font{Family: fontName, Size: cellSize, Bold: l.bold},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: l.wrap},
		Border:    border,
	}
	if l.code != "" {
		c := l.code
		s.CustomNumFmt = &c
	}
	id := st.make(s)
	st.byLook[l] = id
	return id
}

// format returns the style showing numbers with the given format code.
func (st *styles) format(code string) int { return st.cell(look{code: code}) }

// bold returns the total row's version of a format ("" for text).
func (st *styles) bold(code string) int { return st.cell(look{code: code, bold: true}) }

func decimals(n int) string {
	if n <= 0 {
		return fmtCount
	}
	return "0." + strings.Repeat("0", min(n, 10))
}

// isRate reports whether a field holds a rate: a percent field, or a
// computed one measured in percent (held as 95 for 95 %).
func isRate(f *forms.Field) bool {
	return f.Type == forms.Percent || f.Type == forms.Computed && f.Unit == "%"
}

// numberFormat is the format of a numeric field: rates as 0.0%, counts
// (integers, and computed fields without a precision) without decimals,
// decimals at the field's precision (General when it sets none). The cell
// keeps every digit whatever it shows.
func numberFormat(f *forms.Field) string {
	switch {
	case isRate(f):
		return fmtRate
	case f.Precision > 0:
		return decimals(f.Precision)
	case f.Type == forms.Integer, f.Type == forms.Computed:
		return fmtCount
	}
	return ""
}

// redIfFailed marks the ✗ cells of a column range with a red fill.
func (st *styles) redIfFailed(sheet, ref string) error {
	return st.f.SetConditionalFormat(sheet, ref, []excelize.ConditionalFormatOptions{{
		Type: "cell", Criteria: "==", Value: `"` + markFail + `"`, Format: &st.bad,
	}})
}

// Compliance marks.
const (
	markPass = "✓"
	markFail = "✗"
)
