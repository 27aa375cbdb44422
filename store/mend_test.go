package store_test

import (
	"context"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/tianbao-edu/tianbao/store"
)

// TestMendFinishesInterruptedWrites: writes cut short after their note —
// a submission whose sheet entry and answers were never written, and one
// whose next revision was stored but never applied — are finished by
// Mend from the records they reached; notes of writes still in flight
// are left alone.
func TestMendFinishesInterruptedWrites(t *testing.T) {
	ctx := context.Background()
	s, db := openRaw(t)
	now := time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
	d := &store.Drive{ID: "monthly-2026-11", Period: "2026-11", Scope: store.Scope{Org: "c"}, Parts: 2,
		OpensAt: now, DueAt: now.Add(time.Hour), ClosesAt: now.Add(2 * time.Hour)}
	if _, err := s.CreateDrive(ctx, d); err != nil {
		t.Fatal(err)
	}
	sub := func(id, school string, version int, status string) store.Submission {
		return store.Submission{ID: id, Drive: d.ID, School: school, OrgPath: []string{"c", school}, Status: status,
			Version: version, SubmittedAt: now, CreatedAt: now, UpdatedAt: now.Add(time.Duration(version) * time.Minute),
			Values: map[string]map[string]any{"canteen": {"meal_days": float64(20 + version)}}}
	}
	// A create that stopped after its submission: no entry, no answers.
	a := sub("00000000-0000-4000-8000-00000000000a", "s1", 1, store.StatusSubmitted)
	// A review that stopped after claiming version 2: the document is at 1.
	b := sub("00000000-0000-4000-8000-00000000000b", "s2", 1, store.StatusSubmitted)
	b2 := sub(b.ID, "s2", 2, store.StatusApproved)
	for _, doc := range []store.Submission{a, b} {
		if _, err := db.Collection("submissions").InsertOne(ctx, doc); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Collection("revisions").InsertOne(ctx, store.Revision{ID: b.ID + ":2", Submission: b.ID, Version: 2,
		Action: "approve", Status: store.StatusApproved, At: b2.UpdatedAt, State: &b2}); err != nil {
		t.Fatal(err)
	}
	old := now.Add(-time.Hour)
	for _, note := range []bson.D{
		{{Key: "_id", Value: "sub|" + a.ID}, {Key: "at", Value: old}},
		{{Key: "_id", Value: "sub|" + b.ID}, {Key: "at", Value: old}},
		{{Key: "_id", Value: "sub|still-writing"}, {Key: "at", Value: now}},
	} {
		if _, err := db.Collection("pending").InsertOne(ctx, note); err != nil {
			t.Fatal(err)
		}
	}
	if sheet, err := s.Sheet(ctx, d); err != nil || len(sheet) != 0 {
		t.Fatalf("before: %+v %v", sheet, err)
	}

	n, err := s.Mend(ctx, now.Add(-time.Minute))
	if err != nil || n != 2 {
		t.Fatalf("mended %d, %v; want 2", n, err)
	}
	sheet, err := s.Sheet(ctx, d)
	if err != nil || len(sheet) != 2 || sheet[0].Version != 1 || sheet[1].Version != 2 || sheet[1].Status != store.StatusApproved {
		t.Fatalf("sheet after: %+v %v", sheet, err)
	}
	got, err := s.Submission(ctx, b.ID, "c")
	if err != nil || got.Version != 2 || got.Status != store.StatusApproved {
		t.Fatalf("the review rolled forward: %+v %v", got, err)
	}
	var answered []int
	for x, err := range s.Answers(ctx, d.ID, []string{"s1", "s2"}) {
		if err != nil || x == nil {
			t.Fatalf("answers: %+v %v", x, err)
		}
		answered = append(answered, x.Version)
	}
	if len(answered) != 2 || answered[0] != 1 || answered[1] != 2 {
		t.Fatalf("answers at versions %v", answered)
	}
	if left, _ := db.Collection("pending").CountDocuments(ctx, bson.D{}); left != 1 {
		t.Fatalf("%d notes left, want the one still being written", left)
	}
}

// TestMendBringsReportsIntoLedger: a report stored without reaching its
// school's ledger (the write cut short after the submission) is written
// into the ledger and the board of open hazards by Mend, under the
// submission's note or under the ledger's own note an earlier release
// left.
func TestMendBringsReportsIntoLedger(t *testing.T) {
	ctx := context.Background()
	s, db := openRaw(t)
	now := time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
	report := func(id, school, hazard string) store.Submission {
		row := map[string]any{"hazard_id": hazard, "category": "fire", "place": "锅炉房", "description": "灭火器过期",
			"found_on": "2026-11-02", "level": "general", "status": "open", "deadline": "2026-11-30"}
		return store.Submission{ID: id, Drive: "safety-2026-11", School: school, OrgPath: []string{"c", school},
			Status: store.StatusSubmitted, Version: 1, SubmittedAt: now, CreatedAt: now, UpdatedAt: now,
			Values: map[string]map[string]any{"hazards": {"inspections": 1.0, "items": []any{row}}}}
	}
	a := report("00000000-0000-4000-8000-0000000000a1", "s1", "2026-11-aaaa")
	b := report("00000000-0000-4000-8000-0000000000b1", "s2", "2026-11-bbbb")
	old := now.Add(-time.Hour)
	for _, sub := range []store.Submission{a, b} {
		if _, err := db.Collection("submissions").InsertOne(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	for _, note := range []bson.D{
		{{Key: "_id", Value: "sub|" + a.ID}, {Key: "at", Value: old}},
		{{Key: "_id", Value: "haz|" + b.ID}, {Key: "at", Value: old}},
	} {
		if _, err := db.Collection("pending").InsertOne(ctx, note); err != nil {
			t.Fatal(err)
		}
	}
	if hs, err := s.Hazards(ctx, "s1"); err != nil || len(hs) != 0 {
		t.Fatalf("ledger before mending: %+v %v", hs, err)
	}
	if n, err := s.Mend(ctx, now); err != nil || n != 2 {
		t.Fatalf("mended %d, %v; want 2", n, err)
	}
	open, err := s.OpenHazards(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for school, id := range map[string]string{"s1": "2026-11-aaaa", "s2": "2026-11-bbbb"} {
		hs, err := s.Hazards(ctx, school)
		if err != nil || len(hs) != 1 || hs[0].ID != id || len(open[school]) != 1 || open[school][0].ID != id {
			t.Errorf("%s after mending: ledger %+v, board %+v, %v", school, hs, open[school], err)
		}
	}
	if left, _ := db.Collection("pending").CountDocuments(ctx, bson.D{}); left != 0 {
		t.Errorf("%d notes left", left)
	}
}
