package orgs_test

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
)

// seedSchools stores schools of every shape in both districts.
func seedSchools(t *testing.T, s *store.Store) {
	t.Helper()
	schools := []store.Org{
		{ID: "0330102001", Name: "上城区实验小学", Parent: district1, Stages: []string{forms.Primary}, Public: true, Urban: true,
			Classrooms: 24, Students: 900, Contact: "王老师", Phone: "0571-87001234"},
		{ID: "0330102002", Name: "上城区九年一贯制学校", Parent: district1, Stages: []string{forms.Junior, forms.Primary},
			Students: 1500, Phone: "+86 138 0000 0001"},
		{ID: "0330106001", Name: "西湖区完全中学", Parent: district2, Stages: []string{forms.Junior, forms.Senior}, Public: true,
			Classrooms: 40, Contact: "李老师", Closed: true},
		{ID: "1330106002", Name: "=西湖区幼儿园", Parent: district2, Stages: []string{forms.Kindergarten}},
	}
	for _, o := range schools {
		o.Kind, o.Path = store.KindSchool, []string{city, o.Parent, o.ID}
		if err := s.PutOrg(ctx, &o); err != nil {
			t.Fatal(err)
		}
	}
}

func TestExportReimportsUnchanged(t *testing.T) {
	s := newTree(t)
	seedSchools(t, s)
	for _, c := range []struct {
		user    *store.User
		schools int
	}{{admin, 4}, {dist1, 2}} {
		var buf bytes.Buffer
		if err := orgs.Export(ctx, s, c.user, &buf); err != nil {
			t.Fatal(err)
		}
		d, err := importAs(t, s, c.user, buf.Bytes(), false)
		if err != nil || len(d.Created) != 0 || len(d.Updated) != 0 || d.Unchanged != c.schools {
			t.Fatalf("%s re-import: %+v, %v %+v", c.user.ID, d.Summary(false), err, d.Errors)
		}
	}
	if n := auditCount(t, s); n != 0 {
		t.Fatalf("round trips wrote %d audit entries", n)
	}
}

func TestExportLayout(t *testing.T) {
	s := newTree(t)
	seedSchools(t, s)
	var buf bytes.Buffer
	if err := orgs.Export(ctx, s, dist1, &buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.GetRows(orgs.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		orgs.Columns,
		{"0330102001", "上城区实验小学", "上城区", "小学", "公办", "城区", "24", "900", "王老师", "0571-87001234", "正常"},
		{"0330102002", "上城区九年一贯制学校", "上城区", "小学、初中", "民办", "乡村", "", "1500", "", "+86 138 0000 0001", "正常"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows = %q", rows)
	}
	for i := range want {
		for j := range want[i] {
			if j >= len(rows[i]) && want[i][j] == "" {
				continue
			}
			if j >= len(rows[i]) || rows[i][j] != want[i][j] {
				t.Fatalf("row %d = %q, want %q", i+1, rows[i], want[i])
			}
		}
	}
	if typ, _ := f.GetCellType(orgs.SheetName, "A2"); typ != excelize.CellTypeInlineString {
		t.Fatalf("the code cell is of type %v, want text", typ)
	}
}
