package reports

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// Sheet names the fixture produces (titles sanitised, trimmed, made unique).
const (
	canteenSheet  = "食堂每月检查 食品安全卫生"
	lightingSheet = "教室照明与视力防控检查情况中小学校教室采光照明达标情况统计表（"
	repeatSheet   = "教室照明与视力防控检查情况中小学校教室采光照明达标情况统-教室"
	eyesSheet     = "教室照明与视力防控检查情况中小学校教室采光照明达标情况统(2)"
)

func snapshots(t *testing.T, f *excelize.File, sheets ...string) []sheetSnapshot {
	var out []sheetSnapshot
	for _, s := range sheets {
		out = append(out, snapshot(t, f, s))
	}
	return out
}

func TestDriveSummarySheet(t *testing.T) {
	data := exportFixture(t)
	f := openBook(t, data)
	if got := f.GetSheetList(); got[0] != sheetSummary || f.GetActiveSheetIndex() != 0 {
		t.Errorf("sheets %v, active %d: the summary must come first and be active", got, f.GetActiveSheetIndex())
	}
	golden(t, "drive_summary", snapshot(t, f, sheetSummary))

	cs := charts(t, data)
	if len(cs) != 1 {
		t.Fatalf("%d charts, want 1", len(cs))
	}
	for _, want := range []string{"<barChart>", "&#39;汇总&#39;!$I$6:$I$7", "&#39;汇总&#39;!$A$6:$A$7"} {
		if !strings.Contains(cs[0], want) {
			t.Errorf("chart lacks %s", want)
		}
	}
	props, err := f.GetDocProps()
	if err != nil {
		t.Fatal(err)
	}
	if props.Creator != "Tianbao 填报" || props.Title != "2026年11月 学校安全与健康工作月报汇总表" || props.Created != "2026-11-20T09:00:00Z" {
		t.Errorf("document properties %+v", props)
	}
}

func TestDriveSummaryUsesCountsAsGiven(t *testing.T) {
	wb := fixtureWorkbook()
	wb.Districts[0].Expected, wb.Districts[0].Submitted = 1000, 999 // not what the rows say
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	for ref, want := range map[string]string{"B6": "1000", "C6": "999", "I6": "0.999"} {
		if got, _ := f.GetCellValue(sheetSummary, ref, excelize.Options{RawCellValue: true}); got != want {
			t.Errorf("%s = %q, want %q (the handed-in counts)", ref, got, want)
		}
	}
}

func TestDriveIndicatorSheets(t *testing.T) {
	f := openBook(t, exportFixture(t))
	golden(t, "drive_indicators", snapshots(t, f, canteenSheet, lightingSheet, eyesSheet))
}

func TestDriveRepeatSheet(t *testing.T) {
	f := openBook(t, exportFixture(t))
	golden(t, "drive_repeat", snapshot(t, f, repeatSheet))
}

func TestDriveMissingSheet(t *testing.T) {
	f := openBook(t, exportFixture(t))
	golden(t, "drive_missing", snapshot(t, f, sheetMissing))
}

// TestDriveAnomaliesSheet: each value outside its usual range, with the
// earlier values and the school's explanation (a formula kept as text).
func TestDriveAnomaliesSheet(t *testing.T) {
	f := openBook(t, exportFixture(t))
	golden(t, "drive_anomalies", snapshot(t, f, sheetAnomalies))
}

// TestDriveNoAnomalies: without a value outside its usual range, the
// anomalies sheet says so on a line across the table rather than printing
// a bare header.
func TestDriveNoAnomalies(t *testing.T) {
	rows := fixtureRows()
	for _, r := range rows {
		if r.Submission != nil {
			r.Submission.Anomalies = nil
		}
	}
	wb := fixtureWorkbook()
	wb.Rows = seq(rows)
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	got, _ := f.GetRows(sheetAnomalies)
	merged, _ := f.GetMergeCells(sheetAnomalies)
	last, _ := excelize.ColumnNumberToName(3 + len(anomalyCols))
	spans := false
	for _, m := range merged {
		spans = spans || m.GetStartAxis() == "A6" && m.GetEndAxis() == last+"6"
	}
	if len(got) != headRow+1 || got[headRow][0] != "本期无异常值：没有须学校说明的填报项。" || !spans {
		t.Errorf("rows after the header %q, merged %v: want one line saying there are none, across A6:%s6", got[headRow:], merged, last)
	}
}

// TestDriveQualitySheet: every expected school's score, 0 for one that has
// not handed in.
func TestDriveQualitySheet(t *testing.T) {
	f := openBook(t, exportFixture(t))
	golden(t, "drive_quality", snapshot(t, f, sheetQuality))
}

func TestDriveNoncompliantSheet(t *testing.T) {
	f := openBook(t, exportFixture(t))
	golden(t, "drive_noncompliant", snapshot(t, f, sheetFailing))
}

// TestDriveFormChangedMidway: version 2 of the canteen form dropped "notes"
// and inserted "staff" after the first field. Every column keeps its place.
func TestDriveFormChangedMidway(t *testing.T) {
	f := openBook(t, exportFixture(t))
	head, err := f.GetRows(canteenSheet)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"学校代码", "学校名称", "区县", "学段", "状态", "提交时间", "逾期",
		"自查次数\n（次）", "卫生评分", "抽检合格率", "证照齐全", "量化等级", "发现问题", "检查日期", "备注", "月供餐总数",
		"从业人员数\n（人）", "达标", "不达标原因"}
	if !slices.Equal(head[headRow-1], want) {
		t.Fatalf("header\n got %q\nwant %q", head[headRow-1], want)
	}
	cell := func(ref string) string {
		v, _ := f.GetCellValue(canteenSheet, ref, excelize.Options{RawCellValue: true})
		return v
	}
	// Row 6 is version 1, row 9 version 2.
	for _, c := range []struct{ ref, want string }{
		{"H6", "4"}, {"H9", "2"}, // inspections, in both
		{"I6", "92.25"}, {"I9", "70"}, // score, after the inserted field in v2
		{"L6", "优秀"}, {"L9", "B级"}, // choice labels of each row's own version
		{"O9", ""}, {"O6", `=HYPERLINK("http://evil","点我")`}, // notes, removed in v2
		{"P6", "1200"}, {"P9", "800"}, // computed
		{"Q6", ""}, {"Q9", "18"}, // staff, added in v2
	} {
		if got := cell(c.ref); got != c.want {
			t.Errorf("%s = %q, want %q", c.ref, got, c.want)
		}
	}
}

func TestDriveCellKinds(t *testing.T) {
	f := openBook(t, exportFixture(t))
	for _, c := range []struct {
		sheet, ref string
		typ        excelize.CellType
		value      string
	}{
		{canteenSheet, "A6", excelize.CellTypeInlineString, "00123"},        // code keeps its zeros
		{sheetMissing, "F6", excelize.CellTypeInlineString, "013800000000"}, // so does a phone number
		{canteenSheet, "H6", excelize.CellTypeUnset, "4"},                   // numbers are numbers (t omitted)
		{canteenSheet, "J6", excelize.CellTypeUnset, "0.985"},               // percent 98.5 → 0.985 with a % format
		{canteenSheet, "N6", excelize.CellTypeUnset, "46328"},               // a date is a date serial
		{canteenSheet, "O6", excelize.CellTypeInlineString, `=HYPERLINK("http://evil","点我")`},
		{canteenSheet, "B7", excelize.CellTypeInlineString, "@第二小学"},
		{canteenSheet, "B8", excelize.CellTypeInlineString, "-1+2 实验学校"},
		{repeatSheet, "E7", excelize.CellTypeInlineString, "+0102"},
		{canteenSheet, "B6", excelize.CellTypeInlineString, "第一小学"}, // \x01 stripped
	} {
		typ, _ := f.GetCellType(c.sheet, c.ref)
		v, _ := f.GetCellValue(c.sheet, c.ref, excelize.Options{RawCellValue: true})
		formula, _ := f.GetCellFormula(c.sheet, c.ref)
		if typ != c.typ || v != c.value || formula != "" {
			t.Errorf("%s!%s: type %v value %q formula %q, want type %v value %q and no formula",
				c.sheet, c.ref, typ, v, formula, c.typ, c.value)
		}
	}
}

func TestDriveNoFormulaNoControlCharacters(t *testing.T) {
	wb := fixtureWorkbook()
	rows := fixtureRows()
	rows[0].School.Code = "=1+1"
	rows[1].School.Phone = "+86\x00138"
	rows[1].School.DistrictName = "@SUM(A1)\x1f"
	wb.Rows = seq(rows)
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	for name, part := range zipParts(t, buf.Bytes()) {
		if strings.HasPrefix(name, "xl/worksheets/") && strings.Contains(part, "<f>") {
			t.Errorf("%s holds a formula", name)
		}
		if strings.ContainsAny(part, "\x00\x01\x0b\x1f") {
			t.Errorf("%s holds a control character invalid in XML", name)
		}
	}
	f := openBook(t, buf.Bytes())
	if v, _ := f.GetCellValue(sheetMissing, "F6"); v != "+86138" {
		t.Errorf("phone = %q", v)
	}
	if v, _ := f.GetCellValue(canteenSheet, "A6"); v != "=1+1" {
		t.Errorf("code = %q", v)
	}
}

func TestDriveSheetNames(t *testing.T) {
	f := openBook(t, exportFixture(t))
	got := f.GetSheetList()
	want := []string{sheetSummary, sheetUpward, canteenSheet, lightingSheet, repeatSheet, eyesSheet, sheetMissing, sheetFailing, sheetAnomalies, sheetQuality}
	if !slices.Equal(got, want) {
		t.Errorf("sheets\n got %q\nwant %q", got, want)
	}
	seen := map[string]bool{}
	for _, s := range got {
		if n := len(utf16.Encode([]rune(s))); n > 31 {
			t.Errorf("%q is %d characters long", s, n)
		}
		if strings.ContainsAny(s, `[]:*?/\`) {
			t.Errorf("%q holds a character Excel refuses", s)
		}
		if seen[strings.ToLower(s)] {
			t.Errorf("%q twice", s)
		}
		seen[strings.ToLower(s)] = true
	}
}

func TestDriveIteratorErrorAborts(t *testing.T) {
	wb := fixtureWorkbook()
	rows := fixtureRows()
	wb.Rows = func(yield func(SchoolRow, error) bool) {
		if yield(rows[0], nil) {
			yield(SchoolRow{}, errCursor)
		}
	}
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); !errors.Is(err, errCursor) {
		t.Fatalf("err = %v, want the cursor's error", err)
	}
}

func TestDriveProgress(t *testing.T) {
	wb := fixtureWorkbook()
	var calls []int
	wb.Progress = func(done int) { calls = append(calls, done) }
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(calls, []int{5}) {
		t.Errorf("progress calls %v, want [5]", calls)
	}
}

// TestDriveStageScope: a kindergarten is not listed on a sheet whose
// indicator no kindergarten form carries.
func TestDriveStageScope(t *testing.T) {
	wb := fixtureWorkbook()
	kg := &forms.Form{Version: "kg1", Stages: []string{forms.Kindergarten}, Sections: []forms.Section{
		{Indicator: "canteen", Title: txt(canteenTitle), Fields: canteenFields(false)}}}
	wb.Forms = append(wb.Forms, kg)
	wb.Rows = seq([]SchoolRow{{School: SchoolInfo{Code: "09001", Name: "幼儿园", Stages: []string{forms.Kindergarten}}}})
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	for sheet, want := range map[string]int{canteenSheet: headRow + 1, lightingSheet: headRow, eyesSheet: headRow} {
		rows, _ := f.GetRows(sheet)
		if len(rows) != want {
			t.Errorf("%s has %d rows, want %d", sheet, len(rows), want)
		}
	}
}

// TestDriveSheetOverflow: a sheet that reaches the row limit continues on a
// new sheet with the same header, appended to the workbook.
func TestDriveSheetOverflow(t *testing.T) {
	defer func(n int) { rowLimit = n }(rowLimit)
	rowLimit = headRow + 2 // title block, header and two rows
	f := openBook(t, exportFixture(t))
	want := []string{sheetSummary, sheetUpward, canteenSheet, lightingSheet, repeatSheet, eyesSheet, sheetMissing, sheetFailing, sheetAnomalies, sheetQuality,
		sheetQuality + "(续2)", "食堂每月检查 食品安全卫生(续2)", "教室照明与视力防控检查情况中小学校教室采光照明达标情况(续2)",
		"教室照明与视力防控检查情况中小学校教室采光照明达(续2)(2)", "教室照明与视力防控检查情况中小学校教室采光照明达-教室(续2)",
		sheetQuality + "(续3)", "食堂每月检查 食品安全卫生(续3)", "教室照明与视力防控检查情况中小学校教室采光照明达标情况(续3)",
		"教室照明与视力防控检查情况中小学校教室采光照明达(续3)(2)"}
	if got := f.GetSheetList(); !slices.Equal(got, want) {
		t.Fatalf("sheets\n got %q\nwant %q", got, want)
	}
	var codes []string
	for _, sheet := range []string{canteenSheet, want[11], want[16]} {
		rows, err := f.GetRows(sheet)
		if err != nil {
			t.Fatal(err)
		}
		if rows[headRow-1][0] != "学校代码" || len(rows) > headRow+2 {
			t.Errorf("%s: header %q, %d rows", sheet, rows[headRow-1], len(rows))
		}
		for _, r := range rows[headRow:] {
			codes = append(codes, r[0])
		}
	}
	if !slices.Equal(codes, []string{"00123", "00456", "00789", "01001", "01002"}) {
		t.Errorf("codes across the parts: %q", codes)
	}
}

// TestDriveEmptyListsSayNone: a drive where every school handed in, none
// failed and no hazard is open prints a line saying so on the 未提交,
// 不达标 and 隐患台账 sheets.
func TestDriveEmptyListsSayNone(t *testing.T) {
	wb := fixtureWorkbook()
	wb.Rows = seq(nil)
	wb.Ledger = &Ledger{AsOf: "2026-11-20", Fields: []forms.Field{{ID: "place", Type: forms.String, Label: txt("隐患部位")}},
		Rows: func(func(LedgerRow, error) bool) {}}
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	for sheet, want := range map[string]string{
		sheetMissing: "截至制表时，应报学校均已提交。",
		sheetFailing: "已提交的学校中没有不达标的指标。",
		ledgerTitle:  "截至制表时没有未整改的隐患。",
	} {
		got, _ := f.GetRows(sheet)
		if len(got) != headRow+1 || got[headRow][0] != want {
			t.Errorf("%s: rows after the header %q, want one line %q", sheet, got[min(headRow, len(got)):], want)
		}
	}
}
