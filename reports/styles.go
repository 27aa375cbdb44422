package reports

import (
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// Number formats of the workbooks.
const (
	fmtText     = "@"
	fmtDate     = "yyyy-mm-dd"
	fmtDateTime = "yyyy-mm-dd hh:mm"
)

// styles creates each cell style once and hands out its id.
type styles struct {
	f       *excelize.File
	loc     *time.Location
	byFmt   map[string]int
	err     error
	header  int
	total   int // bold, for total rows
	text    int
	date    int
	when    int
	percent int
	bad     int // conditional format: red fill for ✗
}

func newStyles(f *excelize.File, loc *time.Location) (*styles, error) {
	st := &styles{f: f, loc: loc, byFmt: map[string]int{}}
	st.header = st.make(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{Vertical: "center", WrapText: true},
		NumFmt:    49,
	})
	st.total = st.make(&excelize.Style{Font: &excelize.Font{Bold: true}})
	st.text = st.format(fmtText)
	st.date = st.format(fmtDate)
	st.when = st.format(fmtDateTime)
	st.percent = st.percentStyle(1)
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

// format returns the style showing numbers with the given format code.
func (st *styles) format(code string) int {
	if id, ok := st.byFmt[code]; ok {
		return id
	}
	c := code
	id := st.make(&excelize.Style{CustomNumFmt: &c})
	st.byFmt[code] = id
	return id
}

func decimals(n int) string {
	if n <= 0 {
		return "0"
	}
	return "0." + strings.Repeat("0", min(n, 10))
}

// numberStyle formats integers without decimals and decimals with the
// field's precision (General when none is set).
func (st *styles) numberStyle(f *forms.Field) int {
	switch {
	case f.Type == forms.Integer:
		return st.format("0")
	case f.Precision > 0:
		return st.format(decimals(f.Precision))
	}
	return 0
}

func (st *styles) percentStyle(precision int) int {
	return st.format(decimals(precision) + "%")
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
