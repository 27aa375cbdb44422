package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func writeSheet(t *testing.T, rows ...[]any) string {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, r := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), "schools.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestImportSchoolsCommand(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	for _, o := range []store.Org{
		{ID: "330100", Name: "市教育局", Kind: store.KindCity, Path: []string{"330100"}},
		{ID: "330102", Name: "上城区教育局", Kind: store.KindDistrict, Parent: "330100", Path: []string{"330100", "330102"}},
	} {
		if err := s.PutOrg(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
	a := &application{store: s}
	header := []any{"学校代码", "学校名称", "所属区县", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"}
	good := writeSheet(t, header, []any{"0330102001", "上城区实验小学", "上城区", "小学", "公办", "城区", 24, 900, "王老师", ""})
	bad := writeSheet(t, header, []any{330102001, "上城区实验小学", "北区", "小学", "公办", "城区", 24, 900, "王老师", ""})

	var out bytes.Buffer
	err := importSchools(ctx, a, bad, false, false, &out)
	if err == nil || !strings.Contains(out.String(), "code_leading_zeros") || !strings.Contains(out.String(), "学校代码") {
		t.Fatalf("bad sheet: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := importSchools(ctx, a, good, true, false, &out); err != nil || !strings.Contains(out.String(), "+ 0330102001") ||
		!strings.Contains(out.String(), "dry run") {
		t.Fatalf("dry run: %v\n%s", err, out.String())
	}
	if _, err := s.Org(ctx, "0330102001"); err == nil {
		t.Fatal("the dry run wrote the school")
	}
	out.Reset()
	if err := importSchools(ctx, a, good, false, false, &out); err != nil || !strings.Contains(out.String(), "created   1") ||
		!strings.Contains(out.String(), "written   1/1") {
		t.Fatalf("import: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := importSchools(ctx, a, good, false, false, &out); err != nil || !strings.Contains(out.String(), "unchanged 1") {
		t.Fatalf("re-import: %v\n%s", err, out.String())
	}
	if err := importSchools(ctx, a, filepath.Join(t.TempDir(), "missing.xlsx"), false, false, &out); !os.IsNotExist(err) {
		t.Fatalf("missing file: %v", err)
	}
}
