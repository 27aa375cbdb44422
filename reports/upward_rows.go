package reports

import (
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// add counts a school into its unit's figures, and writes its row when
// the table lists schools.
func (u *upward) add(row *SchoolRow) error {
	sub := row.Submission
	var p *pool
	if !u.perSchool {
		if p = u.units[row.School.District]; p == nil {
			p = newPool(u.heads)
			u.units[row.School.District] = p
		}
	}
	one := u.one
	one.reset()
	if submitted(sub) {
		for i, sec := range u.secs {
			values := sub.Values[sec.indicator]
			u.total.add(i, u.heads[i], values)
			if p != nil {
				p.add(i, u.heads[i], values)
			}
			one.add(i, u.heads[i], values)
		}
	}
	if !u.perSchool {
		return nil
	}
	clear(u.compliant)
	clear(u.scored)
	c := Counts{Expected: 1, Compliant: u.compliant, Scored: u.scored}
	if submitted(sub) {
		c.Submitted = 1
		for _, r := range sub.Compliance {
			if r.Status == forms.Compliant || r.Status == forms.Noncompliant {
				c.Scored[r.Indicator] = 1
			}
			if r.Status == forms.Compliant {
				c.Compliant[r.Indicator] = 1
			}
		}
	}
	applies := u.applies
	for i, sec := range u.secs {
		applies[i] = u.forms.applies(sec, row)
	}
	code := excelize.Cell{StyleID: u.st.text, Value: clean(row.School.Code)}
	return u.line(clean(row.School.Name), code, c, one, applies, schoolLine)
}

// Kinds of rows of the 上报表.
const (
	schoolLine = iota
	unitLine
	totalLine
)

// line writes one row: a unit's (or school's) counts and figures, blank
// under an indicator that does not apply to it (or, for a school, that
// was not scored).
func (u *upward) line(name string, code excelize.Cell, c Counts, p *pool, applies []bool, kind int) error {
	st, total := u.st, kind == totalLine
	num := func(code string, v float64) excelize.Cell {
		if total {
			return excelize.Cell{StyleID: st.bold(code), Value: v}
		}
		return excelize.Cell{StyleID: st.format(code), Value: v}
	}
	blank := excelize.Cell{StyleID: st.plain}
	if total {
		blank = excelize.Cell{StyleID: st.bold("")}
	}
	cells := u.boxes[:0]
	nameCell := excelize.Cell{StyleID: st.plain, Value: name}
	if total {
		nameCell.StyleID = st.bold("")
	}
	cells = append(cells, nameCell, code, num(fmtCount, float64(c.Expected)), num(fmtCount, float64(c.Submitted)))
	if c.Expected > 0 {
		cells = append(cells, num(fmtRate, c.SubmissionRate()))
	} else {
		cells = append(cells, blank)
	}
	for i, sec := range u.secs {
		if applies != nil && !applies[i] {
			for range len(u.heads[i]) + 2 {
				cells = append(cells, blank)
			}
			continue
		}
		for j, h := range u.heads[i] {
			v, ok := p.value(i, j, h)
			switch {
			case !ok:
				cells = append(cells, blank)
			case isRate(h.field):
				cells = append(cells, num(fmtRate, v/100))
			default:
				cells = append(cells, num(numberFormat(h.field), v))
			}
		}
		if kind == schoolLine && c.Scored[sec.indicator] == 0 {
			cells = append(cells, blank, blank)
			continue
		}
		cells = append(cells, num(fmtCount, float64(c.Compliant[sec.indicator])))
		if r, ok := c.ComplianceRate(sec.indicator); ok {
			cells = append(cells, num(fmtRate, r))
		} else {
			cells = append(cells, blank)
		}
	}
	u.boxes = cells
	row := u.cells[:len(cells)]
	for i := range cells {
		row[i] = &cells[i] // pointers: no allocation per cell
	}
	u.rows++
	if lines := linesFor(name, u.cols[0].width, cellSize); lines > 1 {
		return u.sw.SetRow("A"+strconv.Itoa(u.rows), row, excelize.RowOpts{Height: float64(lines)*lineHeight(cellSize) + 3})
	}
	return u.sw.SetRow("A"+strconv.Itoa(u.rows), row)
}

// close writes the units' rows (when the table lists units), the total and
// the foot, and flushes the sheet.
func (u *upward) close() error {
	if !u.perSchool {
		for _, c := range u.wb.Districts {
			p := u.units[c.District]
			if p == nil {
				p = newPool(u.heads)
			}
			name := c.DistrictName
			if name == "" {
				name = c.District
			}
			if err := u.line(clean(name), excelize.Cell{StyleID: u.st.text, Value: clean(c.District)}, c, p, nil, unitLine); err != nil {
				return err
			}
		}
	}
	if err := u.line("合计", excelize.Cell{StyleID: u.st.bold("")}, u.wb.Total, u.total, nil, totalLine); err != nil {
		return err
	}
	if err := u.foot(); err != nil {
		return err
	}
	if err := printArea(u.f, sheetUpward, len(u.cols), u.rows+3); err != nil {
		return err
	}
	return u.sw.Flush()
}

// foot writes the signature lines and the notes under the table, over
// the columns of its first page.
func (u *upward) foot() error {
	w := streamRows{u.sw}
	signs := []string{"单位负责人：", "统计负责人：", "填表人：", "联系电话：", "报出日期：　　年　　月　　日"}
	row := u.rows + 2
	// Each line starts at the column holding its fifth of the first page.
	width := 0.0
	for _, c := range u.cols[:u.span] {
		width += c.width
	}
	starts := make([]int, len(signs))
	for i := range signs {
		at, sum := 0, 0.0
		for ; at < u.span-1 && sum+u.cols[at].width/2 < width*float64(i)/float64(len(signs)); at++ {
			sum += u.cols[at].width
		}
		if i > 0 {
			at = max(at, starts[i-1]+1)
		}
		starts[i] = at
	}
	cells := make([]any, u.span)
	for i, s := range signs {
		cells[starts[i]] = excelize.Cell{StyleID: u.st.unit, Value: s}
	}
	if err := w.row(row, cells, lineHeight(unitSize)+10); err != nil {
		return err
	}
	for i := range signs {
		end := u.span
		if i+1 < len(signs) {
			end = starts[i+1]
		}
		if err := mergeRun(w, row, starts[i]+1, end); err != nil {
			return err
		}
	}
	note := "说明：1. 本表由各校填报的数据生成，数据截至制表日期（" + dateZh(u.wb.Created.In(u.st.loc)) + "）。" +
		"2. 填报率＝已报÷应报；达标率＝达标学校数÷已评定学校数，不适用的学校不计。" +
		"3. 比率类指标（如陪餐率、整改率）的合计按分子之和除以分母之和计算，不是各单位比率的平均。"
	if err := w.row(row+1, []any{excelize.Cell{StyleID: u.st.note, Value: note}}, float64(linesFor(note, width, noteSize))*lineHeight(noteSize)+4); err != nil {
		return err
	}
	return mergeRun(w, row+1, 1, u.span)
}
