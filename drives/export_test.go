package drives

import (
	"bytes"
	"context"
	"slices"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// TestExportLayoutIgnoresOrderOfFirstUse: in district 1 the current form is
// used first (by school code), in district 2 the superseded one; every
// scope's workbook still lays its sheets and columns out oldest form first.
func TestExportLayoutIgnoresOrderOfFirstUse(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	d := w.drive("2026-11")
	current, err := w.svc.Form(ctx, d, []string{forms.Primary})
	check(t, err)
	inds, err := w.svc.Store.Indicators(ctx)
	check(t, err)
	// The plan before canteen was added to it.
	older, err := forms.Generate(forms.Plan{ID: planID, Name: "2026 工作要点", Year: 2026,
		Items: []forms.PlanItem{{Indicator: "bullying"}}}, inds, forms.Monthly, []string{forms.Primary})
	check(t, err)
	check(t, w.svc.Store.PutForm(ctx, older))

	w.submit(d, schoolA, current.Version, store.StatusSubmitted, nil)
	w.submit(d, schoolB, older.Version, store.StatusSubmitted, nil)
	w.submit(d, schoolC, older.Version, store.StatusSubmitted, nil)
	w.submit(d, schoolD, current.Version, store.StatusSubmitted, nil)

	layout := func(u *store.User) []string {
		t.Helper()
		var buf bytes.Buffer
		check(t, w.svc.Export(ctx, u, d, nil, &buf, nil))
		f, err := excelize.OpenReader(&buf)
		check(t, err)
		defer f.Close()
		head, err := f.GetRows("汇总")
		check(t, err)
		return append(f.GetSheetList(), head[4]...)
	}
	want := layout(w.user(store.RoleAdmin, cityOrg))
	bullying, canteen := slices.Index(want, inds["bullying"].Name.Zh), slices.Index(want, inds["canteen"].Name.Zh)
	if bullying < 0 || canteen < 0 || bullying > canteen {
		t.Fatalf("city layout %q: the older form's sheet should come first", want)
	}
	for _, dist := range []string{district, other} {
		if got := layout(w.user(store.RoleDistrict, dist)); !slices.Equal(got, want) {
			t.Errorf("district %s layout\n got %q\nwant %q", dist, got, want)
		}
	}
}

// TestExportBeforeAnySubmission: a district whose first school (by code) is
// a kindergarten exports its workbook before anyone has submitted. Every
// indicator its schools' stages report has its sheet and its rate column,
// the bullying screening that only the primary school fills in included.
func TestExportBeforeAnySubmission(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	kg := "0100001000"
	w.put(store.Org{ID: kg, Name: "一区幼儿园", Kind: store.KindSchool, Parent: district,
		Path: []string{cityOrg, district, kg}, Stages: []string{forms.Kindergarten}})
	d := w.drive("2026-11")
	inds, err := w.svc.Store.Indicators(ctx)
	check(t, err)
	var buf bytes.Buffer
	check(t, w.svc.Export(ctx, w.user(store.RoleDistrict, district), d, nil, &buf, nil))
	f, err := excelize.OpenReader(&buf)
	check(t, err)
	defer f.Close()
	sheets := f.GetSheetList()
	rows, err := f.GetRows("汇总")
	check(t, err)
	head := rows[4]
	for _, code := range []string{"canteen", "bullying"} {
		name := inds[code].Name.Zh
		if !slices.Contains(sheets, name) || !slices.Contains(head, name+"达标率") {
			t.Errorf("%s: sheets %q, summary header %q", name, sheets, head)
		}
	}
	bullying, err := f.GetRows(inds["bullying"].Name.Zh)
	check(t, err)
	if len(bullying) != 5+2 || bullying[5][0] != schoolA || bullying[6][0] != schoolB {
		t.Errorf("the bullying sheet should list the district's two primary schools, not its kindergarten: %q", bullying[5:])
	}
}

// TestExportFileName: the workbook is named as its title reads, after the
// caller's bureau, the period as people write it and the plan's subject.
func TestExportFileName(t *testing.T) {
	w := newWorld(t)
	d := w.drive("2026-11")
	if got, want := w.svc.ExportFileName(context.Background(), w.user(store.RoleDistrict, district), d), "一区 2026年11月 工作月报汇总表.xlsx"; got != want {
		t.Errorf("file name %q, want %q", got, want)
	}
	for in, want := range map[string]string{
		"2026 年度学校安全与健康工作要点": "学校安全与健康工作",
		"2026年学校卫生工作计划":      "学校卫生工作",
		"学校安全工作方案":           "学校安全工作",
		"2026":               "",
		"平安校园建设":             "平安校园建设",
	} {
		if got := planSubject(in); got != want {
			t.Errorf("planSubject(%q) = %q, want %q", in, got, want)
		}
	}
}
