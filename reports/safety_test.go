package reports

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

func TestContentDisposition(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"汇总2026-11.xlsx", `attachment; filename="__2026-11.xlsx"; filename*=UTF-8''%E6%B1%87%E6%80%BB2026-11.xlsx`},
		{"report.xlsx", `attachment; filename="report.xlsx"; filename*=UTF-8''report.xlsx`},
		{"a \"b\";c\r\n.xlsx", `attachment; filename="a 'b';c.xlsx"; filename*=UTF-8''a%20%22b%22%3Bc.xlsx`},
		{"../x/y.xlsx", `attachment; filename="..xy.xlsx"; filename*=UTF-8''..xy.xlsx`},
		{"", `attachment; filename="export.xlsx"; filename*=UTF-8''export.xlsx`},
	} {
		if got := ContentDisposition(c.in); got != c.want {
			t.Errorf("ContentDisposition(%q)\n got %s\nwant %s", c.in, got, c.want)
		}
	}
}

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"plain":                 "plain",
		"第一\x01小学":              "第一小学",
		"tab\tnew\nline\r":      "tab\tnew\nline\r",
		"bad\xffutf8":           "badutf8",
		"nul\x00 and \ufffe ok": "nul and  ok",
		"emoji 🏫":               "emoji 🏫",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWidthCountsCJKDouble(t *testing.T) {
	for in, want := range map[string]int{"abc": 3, "学校": 4, "A级": 3, "第一\n小学名称": 8, "（人）": 6} {
		if got := width(in); got != want {
			t.Errorf("width(%q) = %d, want %d", in, got, want)
		}
	}
}

func TestSheetNamesTake(t *testing.T) {
	n := sheetNames{}
	long := strings.Repeat("很", 40)
	for _, c := range []struct{ title, tail, want string }{
		{"汇总", "", "汇总"},
		{"'a[b]:c*d?e/f\\g'", "", "abcdefg"},
		{long, "", strings.Repeat("很", 31)},
		{long, "", strings.Repeat("很", 28) + "(2)"},
		{long, "-教室", strings.Repeat("很", 28) + "-教室"},
		{"ABC", "", "ABC"},
		{"abc", "", "abc(2)"},
		{"???", "", "fallback"},
	} {
		if got := n.take(c.title, c.tail, "fallback"); got != c.want {
			t.Errorf("take(%q, %q) = %q, want %q", c.title, c.tail, got, c.want)
		}
	}
}

// Named slice and map types, as a database driver may decode them.
type (
	driverArray []any
	driverDoc   map[string]any
)

func TestFieldCellReadsDriverTypes(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f, shanghai())
	if err != nil {
		t.Fatal(err)
	}
	multi := &canteenFields(false)[5]
	if got := st.fieldCell(multi, driverArray{"dirty", "unknown"}); got != "卫生死角、unknown" {
		t.Errorf("multi = %v", got)
	}
	integer := &forms.Field{Type: forms.Integer}
	if c, ok := st.fieldCell(integer, int32(7)).(excelize.Cell); !ok || c.Value != 7.0 {
		t.Errorf("int32 = %#v", st.fieldCell(integer, int32(7)))
	}
	repeat := &lightingFields()[0]
	if got, ok := st.fieldCell(repeat, driverArray{driverDoc{"room": "1"}}).(excelize.Cell); !ok || got.Value != 1 {
		t.Errorf("repeat count = %v", got)
	}
	if m, ok := record(driverDoc{"room": "1"}); !ok || m["room"] != "1" {
		t.Errorf("record = %v", m)
	}
	date := &forms.Field{Type: forms.Date}
	if got := st.fieldCell(date, "not a date"); got != "not a date" {
		t.Errorf("bad date = %v, want its text", got)
	}
}

// TestStreamWriterNeverWritesFormulas pins the excelize behaviour the
// exports rely on: strings, bare or in a Cell, become text cells.
func TestStreamWriterNeverWritesFormulas(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	risky := []string{"=1+1", "+1", "-1", "@SUM(A1)", "=cmd|'/c calc'!A1"}
	row := make([]any, 0, 2*len(risky))
	for _, s := range risky {
		row = append(row, s, excelize.Cell{Value: s})
	}
	if err := sw.SetRow("A1", row); err != nil {
		t.Fatal(err)
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	g := openBook(t, buf.Bytes())
	for i := range row {
		ref, _ := excelize.CoordinatesToCellName(i+1, 1)
		typ, _ := g.GetCellType("Sheet1", ref)
		formula, _ := g.GetCellFormula("Sheet1", ref)
		v, _ := g.GetCellValue("Sheet1", ref)
		if typ != excelize.CellTypeInlineString || formula != "" || v != risky[i/2] {
			t.Errorf("%s: type %v formula %q value %q", ref, typ, formula, v)
		}
	}
}
