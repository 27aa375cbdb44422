package store_test

import (
	"context"
	"testing"

	"github.com/tianbao-edu/tianbao/store"
)

// TestLedgerWrittenOverAnotherInstance: a Store starts a report's write
// from the ledger it last saw; when another instance wrote the ledger
// since, the write is made over what the database holds and keeps both.
func TestLedgerWrittenOverAnotherInstance(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	report := func(s *store.Store, drive, id string) {
		t.Helper()
		row := map[string]any{"hazard_id": id, "category": "fire", "place": "锅炉房", "description": "灭火器过期",
			"found_on": "2026-10-02", "level": "general", "status": "open"}
		if err := s.ApplyHazards(ctx, &store.HazardReport{School: "s1", Drive: drive, Submission: drive + "-sub", Version: 1,
			Rows: []map[string]any{row}}); err != nil {
			t.Fatal(err)
		}
	}
	report(a, "safety-2026-10", "2026-10-aaaa")
	report(b, "safety-2026-11", "2026-11-bbbb")
	report(a, "safety-2026-12", "2026-12-cccc")
	hs, err := b.Hazards(ctx, "s1")
	if err != nil || len(hs) != 3 {
		t.Fatalf("ledger: %+v %v; want the three hazards", hs, err)
	}
	open, err := a.OpenHazards(ctx)
	if err != nil || len(open["s1"]) != 3 {
		t.Fatalf("board: %+v %v; want the three hazards", open["s1"], err)
	}
}
