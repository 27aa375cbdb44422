package reports

import (
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// driveExport holds the open streamed sheets of a drive workbook.
type driveExport struct {
	st      *styles
	forms   stageForms
	secs    []*section
	sheets  []*stream // per section, in secs order
	repeats [][]*stream
	missing *stream
	failing *stream
	// anomalies lists values outside their usual range (anomalies.go).
	anomalies *stream
	quality   *stream // quality_sheet.go
	upward    *upward
	titles    map[string]map[string]string // version → indicator → zh title
}

// schoolCols are the leading columns of every indicator sheet.
var schoolCols = []col{
	newCol("学校代码", 10), wrapCol("学校名称", 20), newCol("区县", 16), newCol("学段", 10), newCol("状态", 6),
	newCol("提交时间", 16), newCol("逾期", 4),
}

func newDriveExport(f *excelize.File, st *styles, h heading, wb DriveWorkbook) (*driveExport, error) {
	x := &driveExport{st: st, forms: wb.Forms, secs: plan(wb.Forms), titles: map[string]map[string]string{}}
	for _, form := range wb.Forms {
		if form == nil {
			continue
		}
		m := map[string]string{}
		for _, s := range form.Sections {
			m[s.Indicator] = s.Title.Zh
		}
		x.titles[form.Version] = m
	}
	// The fixed names are taken first; indicators named alike get a suffix.
	names := sheetNames{}
	for _, n := range []string{sheetSummary, sheetUpward, sheetMissing, sheetFailing, sheetAnomalies, sheetQuality} {
		names[n] = true
	}
	var err error
	if x.upward, err = newUpward(f, st, wb, x.secs); err != nil {
		return nil, err
	}
	for _, sec := range x.secs {
		cols := append([]col{}, schoolCols...)
		for _, fd := range sec.fields.fields {
			cols = append(cols, fieldCol(fd))
		}
		// A school's reasons stay on one line, cut at the column's edge, so
		// its row stays one line tall; the 不达标 sheet has them in full.
		cols = append(cols, newCol("达标", 4), newCol("不达标原因", 14))
		title := orElse(sec.title, sec.indicator)
		s, err := (&stream{f: f, st: st, names: names, head: h, subject: title, note: sourceNote(sec.source),
			title: title, cols: cols, freeze: 2, marks: []int{len(cols) - 1}, expect: wb.Total.Expected}).start()
		if err != nil {
			return nil, err
		}
		x.sheets = append(x.sheets, s)
		var reps []*stream
		for _, g := range sec.repeats {
			cols := []col{schoolCols[0], schoolCols[1], schoolCols[2], newCol("序号", 4)}
			for _, fd := range g.fields.fields {
				cols = append(cols, fieldCol(fd))
			}
			label := orElse(g.label, g.id)
			r, err := (&stream{f: f, st: st, names: names, head: h, subject: title + "：" + label,
				note: sourceNote(sec.source), title: title, tail: "-" + label, cols: cols, freeze: 2}).start()
			if err != nil {
				return nil, err
			}
			reps = append(reps, r)
		}
		x.repeats = append(x.repeats, reps)
	}
	delete(names, sheetMissing)
	delete(names, sheetFailing)
	delete(names, sheetAnomalies)
	delete(names, sheetQuality)
	due := ""
	if !wb.Drive.Due.IsZero() {
		loc := st.loc
		due = "填报截止时间：" + dateZh(wb.Drive.Due.In(loc)) + " " + wb.Drive.Due.In(loc).Format("15:04") + "。"
	}
	x.missing, err = (&stream{f: f, st: st, names: names, head: h, subject: "未提交学校名单",
		note: due + "截至制表时尚未提交的学校（含只存了草稿的），按区县和学校代码排列。", title: sheetMissing,
		cols:  []col{schoolCols[0], schoolCols[1], schoolCols[2], newCol("状态", 6), newCol("联系人", 8), newCol("联系电话", 13)},
		empty: "截至制表时，应报学校均已提交。", freeze: 2, expect: wb.Total.Missing}).start()
	if err != nil {
		return nil, err
	}
	x.failing, err = (&stream{f: f, st: st, names: names, head: h, subject: "不达标情况",
		note: "已提交的学校在各指标上不达标的情况及原因，按区县和学校代码排列。", title: sheetFailing,
		cols:  []col{schoolCols[0], schoolCols[1], schoolCols[2], newCol("指标", 24), wrapCol("不达标原因", 60)},
		empty: "已提交的学校中没有不达标的指标。", freeze: 2}).start()
	if err != nil {
		return nil, err
	}
	if err := x.startAnomalies(f, h, names); err != nil {
		return nil, err
	}
	return x, x.startQuality(f, h, names, wb.Total.Expected)
}

// sourceNote is an indicator sheet's note: the plan clause or national
// standard the indicator rests on.
func sourceNote(source string) string {
	note := "不达标原因的全文见“不达标”表。"
	if source == "" {
		return note
	}
	return "依据：" + source + "。" + note
}

func orElse(s, fallback string) string {
	if sheetSafe(s) == "" {
		return fallback
	}
	return s
}

// code is a school code as text, leading zeros kept.
func (x *driveExport) code(s SchoolInfo) excelize.Cell {
	return excelize.Cell{StyleID: x.st.text, Value: clean(s.Code)}
}

func district(s SchoolInfo) string {
	if s.DistrictName != "" {
		return clean(s.DistrictName)
	}
	return clean(s.District)
}

// add writes one school to every sheet it belongs on.
func (x *driveExport) add(row *SchoolRow) error {
	if err := x.upward.add(row); err != nil {
		return err
	}
	if err := x.addQuality(row); err != nil {
		return err
	}
	sub := row.Submission
	for i, sec := range x.secs {
		if !x.forms.applies(sec, row) {
			continue
		}
		if err := x.indicatorRow(x.sheets[i], sec, row); err != nil {
			return err
		}
		if sub == nil {
			continue
		}
		values := sub.Values[sec.indicator]
		for j, g := range sec.repeats {
			if err := x.repeatRows(x.repeats[i][j], g, row, values[g.id]); err != nil {
				return err
			}
		}
	}
	if !submitted(sub) {
		cells := x.missing.row()
		s := row.School
		cells[0], cells[1], cells[2], cells[3] = x.code(s), clean(s.Name), district(s), status(sub)
		cells[4], cells[5] = clean(s.Contact), excelize.Cell{StyleID: x.st.text, Value: clean(s.Phone)}
		if err := x.missing.write(cells); err != nil {
			return err
		}
	}
	if sub == nil {
		return nil
	}
	for _, r := range sub.Compliance {
		if r.Status != forms.Noncompliant {
			continue
		}
		cells := x.failing.row()
		s := row.School
		cells[0], cells[1], cells[2] = x.code(s), clean(s.Name), district(s)
		cells[3], cells[4] = clean(x.title(sub.FormVersion, r.Indicator)), clean(r.Reason.Zh)
		if err := x.failing.write(cells); err != nil {
			return err
		}
	}
	if submitted(sub) {
		return x.addAnomalies(row)
	}
	return nil
}

// title names an indicator as the submission's form did, else as any form did.
func (x *driveExport) title(version, indicator string) string {
	if t, ok := x.titles[version][indicator]; ok {
		return t
	}
	for _, sec := range x.secs {
		if sec.indicator == indicator {
			return sec.title
		}
	}
	return indicator
}

func (x *driveExport) indicatorRow(s *stream, sec *section, row *SchoolRow) error {
	cells := s.row()
	sch, sub := row.School, row.Submission
	cells[0], cells[1], cells[2], cells[3], cells[4] = x.code(sch), clean(sch.Name), district(sch), stagesZh(sch.Stages), status(sub)
	n := len(schoolCols)
	if sub != nil {
		if !sub.SubmittedAt.IsZero() {
			cells[5] = excelize.Cell{StyleID: x.st.when, Value: serial(sub.SubmittedAt, x.st.loc)}
		}
		if submitted(sub) {
			cells[6] = yesNo(sub.Late)
		}
		values := sub.Values[sec.indicator]
		for i, fd := range sec.fields.of(sub.FormVersion) {
			if fd != nil {
				cells[n+i] = x.st.fieldCell(fd, values[fd.ID])
			}
		}
		if r := result(sub, sec.indicator); r != nil {
			cells[len(cells)-2] = resultZh[r.Status]
			if r.Status == forms.Noncompliant {
				cells[len(cells)-1] = clean(r.Reason.Zh)
			}
		}
	}
	return s.write(cells)
}

func (x *driveExport) repeatRows(s *stream, g *repeatGroup, row *SchoolRow, v any) error {
	items, ok := list(v)
	if !ok {
		return nil
	}
	fields := g.fields.of(row.Submission.FormVersion)
	sch := row.School
	for i, it := range items {
		item, _ := record(it)
		cells := s.row()
		cells[0], cells[1], cells[2], cells[3] = x.code(sch), clean(sch.Name), district(sch), excelize.Cell{StyleID: x.st.format(fmtCount), Value: i + 1}
		for j, fd := range fields {
			if fd != nil && item != nil {
				cells[4+j] = x.st.fieldCell(fd, item[fd.ID])
			}
		}
		if err := s.write(cells); err != nil {
			return err
		}
	}
	return nil
}

// close finishes every streamed sheet.
func (x *driveExport) close() error {
	all := append([]*stream{}, x.sheets...)
	for _, reps := range x.repeats {
		all = append(all, reps...)
	}
	all = append(all, x.missing, x.failing, x.anomalies, x.quality)
	for _, s := range all {
		if err := s.close(); err != nil {
			return err
		}
	}
	return x.upward.close()
}
