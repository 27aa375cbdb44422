package orgs_test

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/orgs"
)

// zipOf packs files into a zip archive.
func zipOf(t *testing.T, files map[string][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, data := range files {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(data); err != nil {
			t.Fatal(err)
		}
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestUnreadableWorkbooksAreRefused(t *testing.T) {
	bomb := zipOf(t, map[string][]byte{
		"[Content_Types].xml":      []byte(`<Types/>`),
		"xl/workbook.xml":          []byte(`<workbook/>`),
		"xl/worksheets/sheet1.xml": bytes.Repeat([]byte{' '}, 80<<20),
	})
	if len(bomb) > orgs.MaxUpload {
		t.Fatalf("the bomb should fit the upload limit: %d bytes", len(bomb))
	}
	cases := []struct {
		name string
		data []byte
		max  int64
		code fail.Code
		text string
	}{
		{"plain text", []byte("学校代码,学校名称\n0330102001,实验小学\n"), orgs.MaxUpload, fail.Invalid, ".xlsx"},
		{"empty", nil, orgs.MaxUpload, fail.Invalid, ".xlsx"},
		{"old xls", append([]byte{0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1}, make([]byte, 512)...), orgs.MaxUpload, fail.Invalid, ".xls"},
		{"zip without a workbook", zipOf(t, map[string][]byte{"a.txt": []byte("a")}), orgs.MaxUpload, fail.Invalid, ".xlsx"},
		{"broken workbook", zipOf(t, map[string][]byte{"xl/workbook.xml": []byte("<workbook><sheets><sheet")}), orgs.MaxUpload, fail.Invalid, ""},
		{"zip bomb", bomb, orgs.MaxUpload, fail.TooLarge, "MB"},
		{"over the byte limit", workbook(t, header), 100, fail.TooLarge, "MB"},
		{"no header", workbook(t, []any{"名称", "代码"}, []any{"实验小学", "0330102001"}), orgs.MaxUpload, fail.Invalid, "学校代码"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, errs, err := orgs.ParseSchools(bytes.NewReader(c.data), c.max)
			if !fail.Is(err, c.code) || rows != nil || errs != nil {
				t.Fatalf("got %v (%d rows, %d errors), want %s", err, len(rows), len(errs), c.code)
			}
			var fe *fail.Error
			if !errorsAs(err, &fe) || fe.Message.Zh == "" || fe.Message.En == "" || !strings.Contains(fe.Message.Zh, c.text) {
				t.Fatalf("message of %v should be bilingual and mention %q", err, c.text)
			}
		})
	}
}

// zipReplace returns the zip data with one file's content replaced.
func zipReplace(t *testing.T, data []byte, name string, content []byte) []byte {
	t.Helper()
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		files[f.Name], err = io.ReadAll(r)
		if err != nil {
			t.Fatal(err)
		}
	}
	files[name] = content
	return zipOf(t, files)
}

// A few hundred cells in the last column make every row 16,384 cells wide:
// the sheet is refused rather than read.
func TestFarRightCellsAreRefused(t *testing.T) {
	var sb strings.Builder
	sb.WriteString(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">`)
	for i, h := range header {
		fmt.Fprintf(&sb, `<c r="%c1" t="inlineStr"><is><t>%s</t></is></c>`, 'A'+i, h)
	}
	sb.WriteString(`</row>`)
	for i := 2; i < 300; i++ {
		fmt.Fprintf(&sb, `<row r="%d"><c r="XFD%d"><v>1</v></c></row>`, i, i)
	}
	sb.WriteString(`</sheetData></worksheet>`)
	data := zipReplace(t, workbook(t, header), "xl/worksheets/sheet1.xml", []byte(sb.String()))
	if _, _, err := orgs.ParseSchools(bytes.NewReader(data), orgs.MaxUpload); !fail.Is(err, fail.TooLarge) {
		t.Fatalf("err = %v", err)
	}
}

// One huge string shared by every row is looked at only in part, and
// messages quote only its start.
func TestHugeCellsAreClipped(t *testing.T) {
	huge := strings.Repeat("长", 100_000)
	rows := [][]any{header}
	for i := range 200 {
		rows = append(rows, []any{fmt.Sprintf("03301%05d", i), huge, huge, huge, "公办", "城区", 1, 1, huge, huge})
	}
	data := workbook(t, rows...)
	got, errs, err := orgs.ParseSchools(bytes.NewReader(data), orgs.MaxUpload)
	if err != nil || len(got) != 0 || len(errs) != 200*4 {
		t.Fatalf("%d rows, %d errors, %v", len(got), len(errs), err)
	}
	for _, e := range errs {
		if len(e.Message.Zh) > 400 || len(e.Message.En) > 400 {
			t.Fatalf("row %d %s: message of %d bytes", e.Row, e.Column, len(e.Message.Zh))
		}
	}
}

func TestTooManyRowsAreRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("builds a workbook of 50,001 rows")
	}
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if err := sw.SetRow("A1", header); err != nil {
		t.Fatal(err)
	}
	for i := range orgs.MaxRows + 1 {
		row := []any{fmt.Sprintf("03%08d", i), "学校", "上城区", "小学", "公办", "城区", 1, 1, "", ""}
		if err := sw.SetRow(fmt.Sprintf("A%d", i+2), row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	_, _, err = orgs.ParseSchools(&buf, 32<<20)
	if !fail.Is(err, fail.TooLarge) || !strings.Contains(err.Error(), "50000") {
		t.Fatalf("err = %v", err)
	}
}
