package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// monthly is a report of school s1 in the month m months after January 2026,
// handed in on the 5th.
func monthly(m int, sub string, version int, rows ...map[string]any) *store.HazardReport {
	at := time.Date(2026, time.January+time.Month(m), 5, 9, 0, 0, 0, time.UTC)
	return &store.HazardReport{School: "s1", Drive: fmt.Sprintf("safety-%s", at.Format("2006-01")), Submission: sub,
		Version: version, At: at, By: "school-s1", Rows: rows}
}

func hazardRow(id, status string) map[string]any {
	return map[string]any{"hazard_id": id, "category": "fire", "place": "锅炉房", "description": "灭火器过期 " + id,
		"found_on": "2026-01-03", "level": "general", "status": status}
}

// rawLedger is the school's ledger document as stored: the size of its
// hazards' text and the ids it says are archived.
func rawLedger(t *testing.T, db *mongo.Database, school string) (int, []string) {
	t.Helper()
	var d struct {
		Hazards  bson.Binary `bson:"hazards"`
		Archived []string    `bson:"archived"`
	}
	if err := db.Collection("hazards").FindOne(context.Background(), bson.D{{Key: "_id", Value: school}}).Decode(&d); err != nil {
		t.Fatal(err)
	}
	return len(d.Hazards.Data), d.Archived
}

// applier applies reports to s, failing the test on an error.
func applier(t *testing.T, s *store.Store) func(*store.HazardReport) {
	return func(r *store.HazardReport) {
		t.Helper()
		if err := s.ApplyHazards(context.Background(), r); err != nil {
			t.Fatal(err)
		}
	}
}

func ids(hs []store.Hazard) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.ID)
	}
	return out
}

// TestLedgerArchivesWhatClosedLongAgo: a hazard closed more than a quarter
// before a report leaves the school's ledger document for the archive;
// the whole ledger still lists it with its history, a report reads and
// writes without it, and the revision of an old report that names it
// brings it back, once.
func TestLedgerArchivesWhatClosedLongAgo(t *testing.T) {
	ctx := context.Background()
	s, db := openRaw(t)
	apply := applier(t, s)
	apply(monthly(0, "jan", 1, hazardRow("h-a", "open"), hazardRow("h-b", "open")))
	apply(monthly(1, "feb", 1, hazardRow("h-a", "closed"), hazardRow("h-b", "open")))
	apply(monthly(2, "mar", 1, hazardRow("h-b", "open")))
	if _, archived := rawLedger(t, db, "s1"); len(archived) != 0 {
		t.Fatalf("archived %v a month after closing; want nothing yet", archived)
	}
	apply(monthly(5, "jun", 1, hazardRow("h-b", "open"), hazardRow("h-c", "open")))
	if _, archived := rawLedger(t, db, "s1"); !slices.Equal(archived, []string{"h-a"}) {
		t.Fatalf("archived %v four months after h-a closed; want [h-a]", archived)
	}
	all, err := s.Hazards(ctx, "s1")
	if err != nil || !slices.Equal(ids(all), []string{"h-a", "h-b", "h-c"}) {
		t.Fatalf("whole ledger %v, %v; want h-a, h-b, h-c in the order found", ids(all), err)
	}
	if h := all[0]; h.Status != store.HazardClosed || len(h.History) != 2 || h.History[1].Action != store.HazardClosedAs {
		t.Fatalf("archived h-a %+v; want it closed with its history", h)
	}
	live, err := s.LiveHazards(ctx, "s1", nil)
	if err != nil || !slices.Equal(ids(live), []string{"h-b", "h-c"}) {
		t.Fatalf("live ledger %v, %v; want h-b, h-c", ids(live), err)
	}
	if named, _ := s.LiveHazards(ctx, "s1", []string{"h-a", "h-zz"}); !slices.Equal(ids(named), []string{"h-a", "h-b", "h-c"}) {
		t.Fatalf("live ledger naming h-a: %v; want h-a back with the others", ids(named))
	}

	// February's report revised in June reopens h-a.
	revised := monthly(5, "feb", 2, hazardRow("h-a", "open"), hazardRow("h-b", "open"))
	revised.At = revised.At.Add(24 * time.Hour)
	apply(revised)
	if _, archived := rawLedger(t, db, "s1"); len(archived) != 0 {
		t.Fatalf("archived %v after h-a was reopened; want nothing", archived)
	}
	all, err = s.Hazards(ctx, "s1")
	if err != nil || !slices.Equal(ids(all), []string{"h-a", "h-b", "h-c"}) {
		t.Fatalf("whole ledger %v, %v; want h-a once", ids(all), err)
	}
	if h := all[0]; h.Status != store.HazardOpen || h.History[len(h.History)-1].Action != store.HazardReopened {
		t.Fatalf("h-a %+v; want it reopened", h)
	}
	open, err := s.OpenHazards(ctx)
	if err != nil || len(open["s1"]) != 3 {
		t.Fatalf("board %+v, %v; want the three open hazards", open["s1"], err)
	}
}

// TestLedgerStaysSmallOverTheYears: a school that finds a hazard every
// month and closes it the next keeps a ledger document of the same size
// in its third year as in its first; its whole ledger keeps every hazard.
func TestLedgerStaysSmallOverTheYears(t *testing.T) {
	ctx := context.Background()
	s, db := openRaw(t)
	size := map[int]int{}
	for m := range 36 {
		rows := []map[string]any{hazardRow(fmt.Sprintf("h-%02d", m), "open")}
		if m > 0 {
			rows = append(rows, hazardRow(fmt.Sprintf("h-%02d", m-1), "closed"))
		}
		if err := s.ApplyHazards(ctx, monthly(m, fmt.Sprintf("sub-%02d", m), 1, rows...)); err != nil {
			t.Fatal(err)
		}
		size[m], _ = rawLedger(t, db, "s1")
	}
	if size[35] > size[11]*11/10 {
		t.Errorf("ledger document %d bytes after 36 months against %d after 12; want it not to grow", size[35], size[11])
	}
	t.Logf("ledger document: %d bytes after 12 months, %d after 36", size[11], size[35])
	all, err := s.Hazards(ctx, "s1")
	if err != nil || len(all) != 36 || all[0].ID != "h-00" || all[35].ID != "h-35" {
		t.Fatalf("whole ledger %v, %v; want the 36 hazards in order", ids(all), err)
	}
}

// TestArchiveCopyFromAnOlderVersionLoses: a copy left by a write cut short
// (or one from an older version of the ledger) is not what the ledger
// reads while the hazard is live, and a later archiving replaces it.
func TestArchiveCopyFromAnOlderVersionLoses(t *testing.T) {
	ctx := context.Background()
	s, db := openRaw(t)
	apply := applier(t, s)
	apply(monthly(0, "jan", 1, hazardRow("h-a", "open")))
	apply(monthly(1, "feb", 1, hazardRow("h-a", "closed")))
	stale := bson.D{{Key: "_id", Value: "s1|h-a"}, {Key: "school", Value: "s1"}, {Key: "v", Value: 1},
		{Key: "hazard", Value: bson.Binary{Data: []byte(`{"id":"h-a","school":"s1","status":"open","description":"旧的"}`)}}}
	if _, err := db.Collection("hazardArchive").InsertOne(ctx, stale); err != nil {
		t.Fatal(err)
	}
	all, err := s.Hazards(ctx, "s1")
	if err != nil || len(all) != 1 || all[0].Status != store.HazardClosed {
		t.Fatalf("ledger %+v, %v; want h-a as the ledger holds it", all, err)
	}
	apply(monthly(6, "jul", 1, hazardRow("h-b", "open")))
	all, err = s.Hazards(ctx, "s1")
	if err != nil || !slices.Equal(ids(all), []string{"h-a", "h-b"}) || all[0].Status != store.HazardClosed ||
		all[0].Description != "灭火器过期 h-a" {
		t.Fatalf("ledger %+v, %v; want h-a archived as it was closed", all, err)
	}
}

// TestBoardKeepsTheLaterLedger: a board write from a ledger read before
// another instance's report (its write arriving last) leaves the board as
// the later ledger has it.
func TestBoardKeepsTheLaterLedger(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	apply := applier(t, s)
	apply(monthly(0, "jan", 1, hazardRow("h-a", "open")))
	before, err := s.Hazards(ctx, "s1")
	if err != nil {
		t.Fatal(err)
	}
	apply(monthly(1, "feb", 1, hazardRow("h-a", "closed"), hazardRow("h-b", "open")))
	if err := s.WriteBoardAs(ctx, "s1", 1, before); err != nil {
		t.Fatal(err)
	}
	open, err := s.OpenHazards(ctx)
	if err != nil || !slices.Equal(ids(open["s1"]), []string{"h-b"}) {
		t.Fatalf("board %v, %v; want February's h-b alone", ids(open["s1"]), err)
	}
}
