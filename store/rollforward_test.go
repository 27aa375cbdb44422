package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestRollForwardDrive: of a drive's submissions, only the one whose
// newest revision is ahead of it (a write stopped after its claim) is
// rolled forward; completed writes, history entries and other drives'
// submissions are left alone, and a second pass finds nothing.
func TestRollForwardDrive(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
	newSub := func(id, drive, school string) *store.Submission {
		sub := &store.Submission{ID: id, Drive: drive, School: school, OrgPath: []string{"c", "d", school}, Status: store.StatusDraft,
			Version: 1, Values: forms.Values{"canteen": {"meal_days": 20.0}}, CreatedAt: t0, UpdatedAt: t0}
		if err := s.InsertSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
		return sub
	}
	next := func(sub *store.Submission, days float64) *store.Submission {
		n := *sub
		n.Version++
		n.Status, n.UpdatedAt = store.StatusSubmitted, t0.Add(time.Hour)
		n.Values = forms.Values{"canteen": {"meal_days": days}}
		return &n
	}
	done := newSub("done", "d1", "s1")
	if err := s.CommitSubmission(ctx, done, next(done, 19), &store.Revision{Action: "submit"}); err != nil {
		t.Fatal(err)
	}
	stopped := newSub("stopped", "d1", "s2")
	other := newSub("other", "d2", "s1")
	for _, sub := range []*store.Submission{stopped, other} {
		n := next(sub, 18)
		if err := s.InsertRevision(ctx, &store.Revision{ID: sub.ID + ":2", Submission: sub.ID, Version: 2, Action: "submit", State: n}); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.RollForwardDrive(ctx, "d1"); err != nil || n != 1 {
		t.Fatalf("rolled %d forward, %v", n, err)
	}
	for _, c := range []struct {
		id, drive string
		version   int
		days      float64
	}{{"done", "d1", 2, 19}, {"stopped", "d1", 2, 18}, {"other", "d2", 1, 20}} {
		var got *store.Submission
		for sub, err := range s.Submissions(ctx, store.SubmissionFilter{Drive: c.drive, Under: []string{"c"}}) {
			if err != nil {
				t.Fatal(err)
			}
			if sub.ID == c.id {
				got = sub
			}
		}
		if got == nil || got.Version != c.version || got.Values["canteen"]["meal_days"] != c.days {
			t.Errorf("%s: %+v", c.id, got)
		}
	}
	if n, err := s.RollForwardDrive(ctx, "d1"); err != nil || n != 0 {
		t.Fatalf("second pass rolled %d forward, %v", n, err)
	}
}
