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
