package reports

import (
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// AccountRow is one line of an account sheet.
type AccountRow struct {
	Code     string // the school's (or unit's) code
	Name     string
	Username string
	Password string // the one-time password
	Reissued bool   // a new password for an existing account
}

// AccountSheet is the 账号分发表 handed to schools once: every account's
// one-time password, printed on A4 landscape with the title and header
// on every page.
type AccountSheet struct {
	Bureau  string // 清河市教育局
	Created time.Time
	Loc     *time.Location
	Rows    []AccountRow
}

// AccountsSheetName is the sheet of an account workbook.
const AccountsSheetName = "账号分发表"

// Account sheet columns and the note every row carries.
var (
	accountColumns = []string{"学校代码", "学校名称", "用户名", "初始密码", "备注"}
	accountWidths  = []float64{16, 40, 24, 18, 36}
)

const (
	accountNote     = "首次登录后须立即修改密码"
	accountReissued = "密码已重新生成；首次登录后须立即修改密码"
)

// WriteAccounts writes the account sheet as an xlsx workbook to w.
func WriteAccounts(w io.Writer, s AccountSheet) error {
	if s.Loc == nil {
		s.Loc = shanghai()
	}
	f := excelize.NewFile()
	defer f.Close()
	title := clean(s.Bureau) + " 账号分发表"
	if err := setProps(f, title, s.Created); err != nil {
		return err
	}
	if err := f.SetSheetName("Sheet1", AccountsSheetName); err != nil {
		return err
	}
	if err := accountPage(f); err != nil {
		return err
	}
	st, err := accountStyles(f)
	if err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(AccountsSheetName)
	if err != nil {
		return err
	}
	for i, wd := range accountWidths {
		if err := sw.SetColWidth(i+1, i+1, wd); err != nil {
			return err
		}
	}
	last := string(rune('A' + len(accountColumns) - 1))
	when := s.Created
	if when.IsZero() {
		when = time.Now()
	}
	lead := fmt.Sprintf("生成于 %s。初始密码只在本表中出现一次，系统不保存明文：请逐校分发，妥善保管；各校首次登录后必须修改密码。",
		when.In(s.Loc).Format("2006-01-02 15:04"))
	rows := [][]any{
		{excelize.Cell{StyleID: st.title, Value: title}},
		{excelize.Cell{StyleID: st.lead, Value: lead}},
	}
	header := make([]any, len(accountColumns))
	for i, c := range accountColumns {
		header[i] = excelize.Cell{StyleID: st.header, Value: c}
	}
	rows = append(rows, header)
	for n, r := range rows {
		opts := excelize.RowOpts{Height: 22}
		if n == 0 {
			opts.Height = 30
		}
		if n == 1 {
			opts.Height = 34
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", n+1), r, opts); err != nil {
			return err
		}
	}
	for _, m := range []string{"A1:" + last + "1", "A2:" + last + "2"} {
		if err := sw.MergeCell(m[:2], m[3:]); err != nil {
			return err
		}
	}
	for i, r := range s.Rows {
		note := accountNote
		if r.Reissued {
			note = accountReissued
		}
		row := []any{
			excelize.Cell{StyleID: st.text, Value: clean(r.Code)},
			excelize.Cell{StyleID: st.text, Value: clean(r.Name)},
			excelize.Cell{StyleID: st.mono, Value: clean(r.Username)},
			excelize.Cell{StyleID: st.mono, Value: r.Password},
			excelize.Cell{StyleID: st.text, Value: note},
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+4), row, excelize.RowOpts{Height: 22}); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return save(f, w)
}

// accountPage sets the printing: A4 landscape, one page wide, the title
// and header rows on every page, page numbers in the footer.
func accountPage(f *excelize.File) error {
	size, orient, wide, tall := 9, "landscape", 1, 0 // 9 is A4
	if err := f.SetPageLayout(AccountsSheetName, &excelize.PageLayoutOptions{
		Size: &size, Orientation: &orient, FitToWidth: &wide, FitToHeight: &tall,
	}); err != nil {
		return err
	}
	m := 0.5
	if err := f.SetPageMargins(AccountsSheetName, &excelize.PageLayoutMarginsOptions{Left: &m, Right: &m, Top: &m, Bottom: &m}); err != nil {
		return err
	}
	if err := f.SetHeaderFooter(AccountsSheetName, &excelize.HeaderFooterOptions{OddFooter: "&C第 &P 页，共 &N 页"}); err != nil {
		return err
	}
	return f.SetDefinedName(&excelize.DefinedName{Name: "_xlnm.Print_Titles", RefersTo: "'" + AccountsSheetName + "'!$1:$3",
		Scope: AccountsSheetName})
}

type accountStyleIDs struct{ title, lead, header, text, mono int }

func accountStyles(f *excelize.File) (accountStyleIDs, error) {
	border := []excelize.Border{{Type: "left", Style: 1, Color: "808080"}, {Type: "right", Style: 1, Color: "808080"},
		{Type: "top", Style: 1, Color: "808080"}, {Type: "bottom", Style: 1, Color: "808080"}}
	middle := &excelize.Alignment{Vertical: "center"}
	st := &styles{f: f}
	ids := accountStyleIDs{
		title: st.make(&excelize.Style{Font: &excelize.Font{Bold: true, Size: 16},
			Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}}),
		lead: st.make(&excelize.Style{Font: &excelize.Font{Size: 10},
			Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}}),
		header: st.make(&excelize.Style{Font: &excelize.Font{Bold: true}, Border: border, Alignment: middle,
			Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}}),
		text: st.make(&excelize.Style{Border: border, Alignment: middle, NumFmt: 49}),
		// Passwords in a typewriter face: l and 1, O and 0 stay apart.
		mono: st.make(&excelize.Style{Border: border, Alignment: middle, NumFmt: 49,
			Font: &excelize.Font{Family: "Consolas", Size: 12}}),
	}
	return ids, st.err
}
