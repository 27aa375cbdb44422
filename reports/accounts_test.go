package reports

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// TestAccountSheet: title, lead, header and a row per account, the
// passwords as typed; printed A4 landscape one page wide with the title
// and header on every page.
func TestAccountSheet(t *testing.T) {
	var rows []AccountRow
	for i := range 120 {
		rows = append(rows, AccountRow{Code: fmt.Sprintf("04202220%02d", i), Name: "阳新县第" + fmt.Sprint(i) + "小学",
			Username: fmt.Sprintf("school-04202220%02d", i), Password: "0lO1Il" + fmt.Sprintf("%06d", i), Reissued: i == 3})
	}
	var buf bytes.Buffer
	created := time.Date(2026, 12, 2, 1, 30, 0, 0, time.UTC)
	if err := WriteAccounts(&buf, AccountSheet{Bureau: "阳新县教育局", Created: created, Rows: rows}); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	got, err := x.GetRows(AccountsSheetName)
	if err != nil || len(got) != 3+len(rows) {
		t.Fatalf("%d rows, %v", len(got), err)
	}
	if got[0][0] != "阳新县教育局 账号分发表" || !strings.Contains(got[1][0], "2026-12-02 09:30") || !strings.Contains(got[1][0], "必须修改密码") {
		t.Fatalf("title %q, lead %q", got[0][0], got[1][0])
	}
	if strings.Join(got[2], "|") != "学校代码|学校名称|用户名|初始密码|备注" {
		t.Fatalf("header %q", got[2])
	}
	if r := got[3]; r[0] != "0420222000" || r[3] != "0lO1Il000000" || r[4] != accountNote {
		t.Fatalf("first row %q", r)
	}
	if got[6][4] != accountReissued {
		t.Fatalf("a reissued row says %q", got[6][4])
	}
	layout, err := x.GetPageLayout(AccountsSheetName)
	if err != nil || *layout.Size != 9 || *layout.Orientation != "landscape" || *layout.FitToWidth != 1 || *layout.FitToHeight != 0 {
		t.Fatalf("page layout %+v, %v", layout, err)
	}
	names := x.GetDefinedName()
	if len(names) != 1 || names[0].Name != "_xlnm.Print_Titles" || names[0].RefersTo != "'账号分发表'!$1:$3" {
		t.Fatalf("defined names %+v", names)
	}
	footer, err := x.GetHeaderFooter(AccountsSheetName)
	if err != nil || !strings.Contains(footer.OddFooter, "&P") {
		t.Fatalf("footer %+v, %v", footer, err)
	}
	if props, _ := x.GetDocProps(); props.Title != "阳新县教育局 账号分发表" {
		t.Fatalf("title property %q", props.Title)
	}
}
