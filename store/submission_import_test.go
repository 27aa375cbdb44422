package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestImportedSubmissionsReadLikeSubmitted: a history loaded with
// ImportSubmissions is read as if its schools had handed it in one by one:
// the sheet, the figures trends read, keys and the reviewed version.
func TestImportedSubmissionsReadLikeSubmitted(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	now := time.Date(2026, 10, 5, 2, 0, 0, 0, time.UTC)
	d := &store.Drive{ID: "monthly-2026-10", Period: "2026-10", Scope: store.Scope{Org: "c"}, Parts: 2,
		OpensAt: now, DueAt: now.Add(time.Hour), ClosesAt: now.Add(2 * time.Hour)}
	if _, err := s.CreateDrive(ctx, d); err != nil {
		t.Fatal(err)
	}
	var batch []store.Imported
	for i := range 40 {
		school := fmt.Sprintf("s%02d", i)
		sub := &store.Submission{ID: fmt.Sprintf("00000000-0000-4000-8000-0000000000%02d", i), Drive: d.ID, School: school,
			OrgPath: []string{"c", school}, Status: store.StatusSubmitted, Version: 1, SubmittedAt: now, CreatedAt: now, UpdatedAt: now,
			Values: map[string]map[string]any{"canteen": {"meal_days": float64(i)}}}
		im := store.Imported{Submitted: sub}
		if i%4 == 0 {
			next := *sub
			next.Version, next.Status, next.UpdatedAt = 2, store.StatusApproved, now.Add(time.Hour)
			im.Reviewed = &next
		}
		batch = append(batch, im)
	}
	if err := s.ImportSubmissions(ctx, batch); err != nil {
		t.Fatal(err)
	}
	sheet, err := s.Sheet(ctx, d)
	if err != nil || len(sheet) != 40 {
		t.Fatalf("sheet: %d entries, %v; want 40", len(sheet), err)
	}
	figures, err := s.Figures(ctx, d)
	if err != nil || len(figures) != 40 {
		t.Fatalf("figures: %d schools, %v; want 40", len(figures), err)
	}
	for i := range 40 {
		f := figures[fmt.Sprintf("s%02d", i)]
		if f.Numbers["canteen.meal_days"] != float64(i) || (i%4 == 0) != (f.Version == 2) {
			t.Errorf("school %d figures %+v", i, f)
		}
	}
	sub, err := s.SchoolSubmission(ctx, d.ID, "s04")
	if err != nil || sub.Version != 2 || sub.Status != store.StatusApproved {
		t.Fatalf("s04 by key: %+v, %v; want the reviewed version", sub, err)
	}
}
