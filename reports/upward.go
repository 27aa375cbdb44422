package reports

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// sheetUpward is the sheet a bureau hands to the level above.
const sheetUpward = "上报表"

// Rows of the 上报表: the head (rows 1–4), two header rows, the column
// numbers (栏次), then one row per unit and the total.
const (
	upHead   = 5
	upNumber = 7
	upFirst  = 8
)

// upward is the 上报表, laid out as a Chinese statistical table (综合表):
// the table's name, its number (表号) and issuing bureau (制定机关) top
// right, the reporting unit (填报单位) and the period, a two-level header
// with the column numbers under it (甲, 乙 for the name and code, 1, 2, 3 …
// for the figures), the rows, the total, and the lines the unit's head,
// statistician and the person filling it in sign, with a phone number and
// the date it is handed up. A bureau with several units below it reports
// one row per unit, from the same counts as the summary sheet; one with a
// single unit (a district's own schools) reports one row per school,
// streamed as they come.
type upward struct {
	f         *excelize.File
	st        *styles
	wb        DriveWorkbook
	forms     stageForms
	secs      []*section
	heads     [][]headline
	perSchool bool
	cols      []col
	sw        *excelize.StreamWriter
	rows      int
	span      int              // columns on the first printed page
	units     map[string]*pool // group mode: per unit
	total     *pool
	// Reused for every school's row.
	one               *pool
	compliant, scored map[string]int
	applies           []bool
	boxes             []excelize.Cell
	cells             []any
}

func newUpward(f *excelize.File, st *styles, wb DriveWorkbook, secs []*section) (*upward, error) {
	u := &upward{f: f, st: st, wb: wb, forms: wb.Forms, secs: secs, perSchool: len(wb.Districts) <= 1,
		units: map[string]*pool{}}
	for _, sec := range secs {
		u.heads = append(u.heads, headlines(sec))
	}
	u.total, u.one = newPool(u.heads), newPool(u.heads)
	u.compliant, u.scored, u.applies = map[string]int{}, map[string]int{}, make([]bool, len(secs))
	name, code := "单位名称", "代码"
	if u.perSchool {
		name, code = "学校名称", "学校代码"
	}
	u.cols = []col{wrapCol(name, 20), newCol(code, 10), newCol("应报学校数", 4), newCol("已报学校数", 4), newCol("填报率", 5)}
	for i := range secs {
		for _, h := range u.heads[i] {
			u.cols = append(u.cols, headedCol(h.field, 5))
		}
		u.cols = append(u.cols, newCol("达标学校数", 4), newCol("达标率", 5))
	}
	u.boxes, u.cells = make([]excelize.Cell, 0, len(u.cols)), make([]any, len(u.cols))
	if _, err := f.NewSheet(sheetUpward); err != nil {
		return nil, err
	}
	widths := make([]float64, len(u.cols))
	for i, c := range u.cols {
		widths[i] = c.width
	}
	units := len(wb.Districts)
	if u.perSchool {
		units = wb.Total.Expected
	}
	// A page breaks before an indicator's columns, never within them.
	starts, at := []int{0, 1, 2, 3, 4}, 5
	for i := range secs {
		starts = append(starts, at)
		at += len(u.heads[i]) + 2
	}
	plan := printPlan{widths: widths, repeat: 2, starts: starts}.plan(150 + float64(units+4)*rowHeight)
	if err := plan.sheetProps(f, sheetUpward); err != nil {
		return nil, err
	}
	sw, err := f.NewStreamWriter(sheetUpward)
	if err != nil {
		return nil, err
	}
	u.sw = sw
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return nil, err
		}
	}
	top, _ := excelize.CoordinatesToCellName(3, upFirst)
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, XSplit: 2, YSplit: upFirst - 1, TopLeftCell: top, ActivePane: "bottomRight"}); err != nil {
		return nil, err
	}
	u.span = max(plan.firstPage(), 5)
	if err := u.head(widths, u.span); err != nil {
		return nil, err
	}
	return u, plan.apply(f, sheetUpward, upHead, upNumber)
}

// frequencyReport is what a report of each frequency is called.
var frequencyReport = map[string]string{forms.Weekly: "周报", forms.Monthly: "月报", forms.Termly: "学期报", forms.Yearly: "年报"}

// head writes the table's name, number, issuer, unit and period, and its
// header.
func (u *upward) head(widths []float64, span int) error {
	w := streamRows{u.sw}
	st, d := u.st, u.wb.Drive
	last, _ := excelize.ColumnNumberToName(max(span, 1))
	report := d.Report
	if report == "" {
		report = d.Name
	}
	label := d.PeriodLabel
	if label == "" {
		label = d.Period
	}
	if err := w.row(1, []any{excelize.Cell{StyleID: st.title, Value: clean(report) + "表"}}, lineHeight(titleSize)+6); err != nil {
		return err
	}
	if err := w.merge("A1", last+"1"); err != nil {
		return err
	}
	right := max(span-3, 3)
	number := "1表"
	if r, ok := frequencyReport[d.Frequency]; ok {
		number = r + number
	}
	for i, text := range []string{"表　　号：" + number, "制定机关：" + clean(u.wb.Issuer)} {
		cells := make([]any, right)
		cells[right-1] = excelize.Cell{StyleID: st.unit, Value: text}
		if err := w.row(2+i, cells, lineHeight(unitSize)+2); err != nil {
			return err
		}
		if err := mergeRun(w, 2+i, right, span); err != nil {
			return err
		}
	}
	third := max(span/3, 1)
	cells := make([]any, 2*third+1)
	cells[0] = excelize.Cell{StyleID: st.unit, Value: "填报单位（盖章）：" + clean(u.wb.Unit)}
	cells[third] = excelize.Cell{StyleID: st.subject, Value: clean(label)}
	cells[2*third] = excelize.Cell{StyleID: st.made, Value: "制表日期：" + dateZh(u.wb.Created.In(st.loc))}
	if err := w.row(4, cells, lineHeight(subjectSize)+4); err != nil {
		return err
	}
	for _, run := range [][2]int{{1, third}, {third + 1, 2 * third}, {2*third + 1, span}} {
		if err := mergeRun(w, 4, run[0], run[1]); err != nil {
			return err
		}
	}
	return u.header(widths)
}

// header writes the two header rows (an indicator's title over its
// columns; the others spanning both rows) and the column numbers.
func (u *upward) header(widths []float64) error {
	w := streamRows{u.sw}
	top, sub, num := make([]any, len(u.cols)), make([]any, len(u.cols)), make([]any, len(u.cols))
	titles := make([]string, len(u.cols))
	for i, c := range u.cols {
		titles[i] = c.title
		top[i] = excelize.Cell{StyleID: u.st.header}
		sub[i] = excelize.Cell{StyleID: u.st.header, Value: c.title}
		label := strconv.Itoa(i - 1)
		if i < 2 {
			label = []string{"甲", "乙"}[i]
		}
		num[i] = excelize.Cell{StyleID: u.st.header, Value: label}
	}
	var merges [][2]string
	for i := range 5 {
		top[i], sub[i] = sub[i], excelize.Cell{StyleID: u.st.header}
		a, _ := excelize.CoordinatesToCellName(i+1, upHead)
		b, _ := excelize.CoordinatesToCellName(i+1, upHead+1)
		merges = append(merges, [2]string{a, b})
	}
	c, groupHeight := 5, lineHeight(cellSize)+4
	for i, sec := range u.secs {
		n := len(u.heads[i]) + 2
		title := clean(orElse(sec.title, sec.indicator))
		top[c] = excelize.Cell{StyleID: u.st.group, Value: title}
		span := 0.0
		for _, wd := range widths[c : c+n] {
			span += wd
		}
		groupHeight = max(groupHeight, float64(linesFor(title, span, cellSize))*lineHeight(cellSize)+4)
		a, _ := excelize.CoordinatesToCellName(c+1, upHead)
		b, _ := excelize.CoordinatesToCellName(c+n, upHead)
		merges = append(merges, [2]string{a, b})
		c += n
	}
	// The figures' titles wrap in the second row; the leading columns'
	// titles span both.
	subHeight := max(headerHeight(titles[5:], widths[5:]), headerHeight(titles[:5], widths[:5])-groupHeight)
	if err := w.row(upHead, top, groupHeight); err != nil {
		return err
	}
	if err := w.row(upHead+1, sub, subHeight); err != nil {
		return err
	}
	if err := w.row(upNumber, num, 0); err != nil {
		return err
	}
	for _, m := range merges {
		if m[0] != m[1] {
			if err := w.merge(m[0], m[1]); err != nil {
				return err
			}
		}
	}
	u.rows = upNumber
	return nil
}
