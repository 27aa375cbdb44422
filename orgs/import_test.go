package orgs_test

import (
	"bytes"
	"slices"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
)

// validSheet has a title row above the header, columns out of order, an
// extra column and the optional status column.
func validSheet(t *testing.T, students int) []byte {
	return workbook(t,
		[]any{"临安市中小学名录（2026）"},
		[]any{"学校名称", "学校代码", "备注", "所属区县", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话", "状态"},
		[]any{"上城区实验小学", "0330102001", "", "上城区", "小学", "公办", "城区", 24, students, "王老师", "0571-8700 1234", "正常"},
		[]any{"上城区九年一贯制学校", "0330102002", "新建", "330102", "九年一贯制", "民办", "镇区", "36", "1500", "", "", ""},
		[]any{"西湖区完全中学", "0330106001", "", "西湖区教育局", "完全中学", "公办", "乡村", 40, 2000, "李老师", "+86 138 0000 0001", "撤销"},
		[]any{},
		[]any{"西湖区幼儿园", "0330106002", "", "西湖区", "幼儿园、小学", "民办", "乡村", nil, nil, "赵老师", "13800000002", "停办"},
	)
}

func TestImportValidSheetThenReimport(t *testing.T) {
	s := newTree(t)
	d, err := importAs(t, s, admin, validSheet(t, 900), false)
	if err != nil {
		t.Fatalf("import: %v (%+v)", err, d.Errors)
	}
	if len(d.Created) != 4 || len(d.Updated) != 0 || d.Unchanged != 0 {
		t.Fatalf("first import: %+v", d.Summary(false))
	}
	o, err := s.Org(ctx, "0330102002")
	if err != nil {
		t.Fatal(err)
	}
	want := store.Org{ID: "0330102002", Name: "上城区九年一贯制学校", Kind: store.KindSchool, Parent: district1,
		Path: []string{city, district1, "0330102002"}, Stages: []string{forms.Primary, forms.Junior},
		Public: false, Urban: true, Classrooms: 36, Students: 1500, UpdatedAt: now}
	if !o.UpdatedAt.Equal(now) || o.Name != want.Name || o.Parent != want.Parent || !slices.Equal(o.Path, want.Path) ||
		!slices.Equal(o.Stages, want.Stages) || o.Public || !o.Urban || o.Classrooms != 36 || o.Students != 1500 || o.Closed {
		t.Fatalf("stored %+v, want %+v", o, want)
	}
	mid, _ := s.Org(ctx, "0330106001")
	if !slices.Equal(mid.Stages, []string{forms.Junior, forms.Senior}) || !mid.Closed || mid.Urban || mid.Phone != "+86 138 0000 0001" {
		t.Fatalf("完全中学 stored as %+v", mid)
	}
	if n := auditCount(t, s); n != 4 {
		t.Fatalf("audit entries = %d, want 4", n)
	}

	again, err := importAs(t, s, admin, validSheet(t, 900), false)
	if err != nil || len(again.Created) != 0 || len(again.Updated) != 0 || again.Unchanged != 4 {
		t.Fatalf("re-import: %+v, %v", again.Summary(false), err)
	}
	if n := auditCount(t, s); n != 4 {
		t.Fatalf("a re-import added audit entries: %d", n)
	}

	changed, err := orgs.Import(ctx, s, admin, bytes.NewReader(validSheet(t, 950)), orgs.Options{MaxBytes: orgs.MaxUpload, Now: now.Add(time.Hour)})
	if err != nil || len(changed.Updated) != 1 || changed.Unchanged != 3 {
		t.Fatalf("changed import: %+v, %v", changed.Summary(false), err)
	}
	if u := changed.Updated[0]; u.Org.ID != "0330102001" || !slices.Equal(u.Fields, []string{"students"}) {
		t.Fatalf("update = %+v", u)
	}
	log, _ := s.Audit(ctx, 1)
	if len(log) != 1 || log[0].Action != orgs.ActionUpdate || log[0].Object != "0330102001" ||
		!slices.Equal(log[0].Changes, []string{"students: 900 → 950"}) || log[0].By != "admin" {
		t.Fatalf("latest audit entry = %+v", log)
	}
}

func TestDryRunWritesNothing(t *testing.T) {
	s := newTree(t)
	d, err := importAs(t, s, admin, validSheet(t, 900), true)
	if err != nil || len(d.Created) != 4 {
		t.Fatalf("dry run: %+v, %v", d.Summary(true), err)
	}
	if n := schoolCount(t, s); n != 0 {
		t.Fatalf("dry run wrote %d schools", n)
	}
	if n := auditCount(t, s); n != 0 {
		t.Fatalf("dry run wrote %d audit entries", n)
	}
}

func TestNumericCodeIsReported(t *testing.T) {
	s := newTree(t)
	data := workbook(t, header,
		[]any{999901003, "数字代码小学", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"0330102009", "文本代码小学", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
	)
	d, err := importAs(t, s, admin, data, false)
	if !fail.Is(err, fail.Invalid) || len(d.Errors) != 1 {
		t.Fatalf("err = %v, errors = %+v", err, d.Errors)
	}
	if e := d.Errors[0]; e.Row != 2 || e.Column != orgs.ColCode || e.Code != "code_leading_zeros" {
		t.Fatalf("error = %+v", e)
	}
	if n := schoolCount(t, s); n != 0 {
		t.Fatalf("a sheet with errors wrote %d schools", n)
	}
}

func TestEveryKindOfBadRow(t *testing.T) {
	s := newTree(t)
	data := workbook(t, header,
		[]any{"0330102001", "好学校", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"", "缺代码", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"03301020AB", "坏代码", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{330102003, "数字代码", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"0330102004", "未知区县", "北区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"0330102001", "重复代码", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"0330102005", "教室非数字", "上城区", "小学", "公办", "城区", "二十", 1, "", ""},
		[]any{"0330102006", "学生负数", "上城区", "小学", "公办", "城区", 1, -3, "", ""},
		[]any{"0330102007", "未知学段", "上城区", "小学、大学", "公办", "城区", 1, 1, "", ""},
		[]any{"0330102008", "坏电话", "上城区", "小学", "公办", "城区", 1, 1, "", "电话 abc"},
		[]any{"0330102009", "", "上城区", "小学", "国办", "城里", 1.5, 1, "", "123"},
		[]any{330102001, "上城区", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
	)
	d, err := importAs(t, s, admin, data, false)
	want := []orgs.RowError{
		{Row: 3, Column: "学校代码", Code: "required"},
		{Row: 4, Column: "学校代码", Code: "code_format"},
		{Row: 5, Column: "学校代码", Code: "code_leading_zeros"},
		{Row: 6, Column: "所属单位", Code: "unit_unknown"},
		{Row: 7, Column: "学校代码", Code: "duplicate"},
		{Row: 8, Column: "教室数", Code: "count"},
		{Row: 9, Column: "学生数", Code: "negative"},
		{Row: 10, Column: "学段", Code: "stage"},
		{Row: 11, Column: "联系电话", Code: "phone"},
		{Row: 12, Column: "学校名称", Code: "required"},
		{Row: 12, Column: "办学性质", Code: "unknown_value"},
		{Row: 12, Column: "城乡", Code: "unknown_value"},
		{Row: 12, Column: "教室数", Code: "count"},
		{Row: 12, Column: "联系电话", Code: "phone"},
		{Row: 13, Column: "学校代码", Code: "code_leading_zeros"},
	}
	if len(d.Errors) != len(want) {
		t.Fatalf("got %d errors, want %d: %+v", len(d.Errors), len(want), d.Errors)
	}
	for i, w := range want {
		g := d.Errors[i]
		if g.Row != w.Row || g.Column != w.Column || g.Code != w.Code || g.Message.Zh == "" || g.Message.En == "" {
			t.Errorf("error %d = %+v, want %+v with messages", i, g, w)
		}
	}
	var fe *fail.Error
	if !errorsAs(err, &fe) || fe.Code != fail.Invalid || len(fe.Fields) != len(want) || fe.Fields[0].Field != "rows[3].学校代码" {
		t.Fatalf("err = %v", err)
	}
	if n := schoolCount(t, s); n != 0 {
		t.Fatalf("a sheet with errors wrote %d schools", n)
	}
	if n := auditCount(t, s); n != 0 {
		t.Fatalf("a sheet with errors wrote %d audit entries", n)
	}
}

func TestMissingColumnsAreReported(t *testing.T) {
	_, errs, err := orgs.ParseSchools(bytes.NewReader(workbook(t, []any{"学校代码", "学校名称", "学段"})), orgs.MaxUpload)
	if err != nil {
		t.Fatal(err)
	}
	var missing []string
	for _, e := range errs {
		if e.Row != 1 || e.Code != "missing_column" {
			t.Fatalf("error = %+v", e)
		}
		missing = append(missing, e.Column)
	}
	want := []string{"办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"} // 所属区县 is optional
	if !slices.Equal(missing, want) {
		t.Fatalf("missing = %v, want %v", missing, want)
	}
}
