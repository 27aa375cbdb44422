package reports

import (
	"iter"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// Ledger is the drive workbook's sheet of the hazard ledger (隐患台账) as it
// stands on AsOf: the hazards of the export's schools not yet closed,
// whichever report found them, overdue ones marked.
type Ledger struct {
	AsOf string // "2026-12-01"
	// Fields are the fields of the ledger's rows (the form's repeat
	// group): its columns, their headers and option labels.
	Fields []forms.Field
	// Rows yields the hazards in the order of the sheet; it is consumed
	// once, streaming.
	Rows iter.Seq2[LedgerRow, error]
}

// LedgerRow is one open hazard.
type LedgerRow struct {
	School SchoolInfo
	// Values is the hazard as a row of the ledger: field id → value.
	Values      map[string]any
	FoundIn     string // the period whose report found it, as people write it
	Reports     int    // how many reports listed it
	Overdue     bool
	DaysOverdue int
}

// ledgerTitle names the sheet; the day it stands on follows.
const ledgerTitle = "隐患台账"

// writeLedger adds the ledger's sheet to a workbook, with the title block
// and print setup of every sheet.
func writeLedger(f *excelize.File, st *styles, h heading, l *Ledger) error {
	names := sheetNames{}
	for _, n := range f.GetSheetList() {
		names[strings.ToLower(n)] = true
	}
	var fields []*forms.Field
	cols := []col{newCol("区县", 16), newCol("学校代码", 10), wrapCol("学校名称", 20)}
	for i := range l.Fields {
		if fd := &l.Fields[i]; fd.Type != forms.Computed && fd.Type != forms.Repeat {
			fields = append(fields, fd)
			cols = append(cols, fieldCol(fd))
		}
	}
	cols = append(cols, newCol("逾期", 4), newCol("逾期天数", 6), newCol("发现期次", 10), newCol("已报期数", 6))
	s, err := (&stream{f: f, st: st, names: names, head: h, subject: "隐患台账（截至 " + l.AsOf + "）",
		note: "各校尚未整改完毕的隐患，不论哪一期报告发现；逾期的标 ✗ 并注明天数。", title: ledgerTitle,
		empty: "截至制表时没有未整改的隐患。", cols: cols, freeze: 3}).start()
	if err != nil {
		return err
	}
	s.marks = []int{len(cols) - 3}
	for r, err := range l.Rows {
		if err != nil {
			return err
		}
		cells := s.row()
		cells[0] = district(r.School)
		cells[1] = excelize.Cell{StyleID: st.text, Value: clean(r.School.Code)}
		cells[2] = clean(r.School.Name)
		for i, fd := range fields {
			cells[3+i] = st.fieldCell(fd, r.Values[fd.ID])
		}
		n := 3 + len(fields)
		if r.Overdue {
			cells[n], cells[n+1] = markFail, r.DaysOverdue
		}
		cells[n+2], cells[n+3] = clean(r.FoundIn), r.Reports
		if err := s.write(cells); err != nil {
			return err
		}
	}
	return s.close()
}
