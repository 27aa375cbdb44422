package store_test

import (
	"context"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/tianbao-edu/tianbao/store"
)

// TestJSONTextsOfEarlierReleases: a ledger kept as a string, as releases
// before binary texts wrote it, reads as before and is written on as
// binary.
func TestJSONTextsOfEarlierReleases(t *testing.T) {
	ctx := context.Background()
	s, db := openRaw(t)
	hazards := db.Collection("hazards")
	legacy := `[{"id":"2026-10-aaaa","school":"s1","category":"fire","place":"锅炉房","description":"灭火器\"过期\"",` +
		`"foundOn":"2026-10-02","level":"general","status":"open","foundIn":"safety-2026-10","reported":["safety-2026-10"],"updatedAt":"2026-10-05T02:00:00Z"}]`
	if _, err := hazards.InsertOne(ctx, bson.D{{Key: "_id", Value: "s1"}, {Key: "v", Value: 1}, {Key: "hazards", Value: legacy}}); err != nil {
		t.Fatal(err)
	}
	hs, err := s.Hazards(ctx, "s1")
	if err != nil || len(hs) != 1 || hs[0].Description != `灭火器"过期"` || hs[0].Place != "锅炉房" {
		t.Fatalf("legacy ledger: %+v %v", hs, err)
	}
	row := map[string]any{"hazard_id": "2026-10-aaaa", "category": "fire", "place": "锅炉房", "description": `灭火器"过期"`,
		"found_on": "2026-10-02", "level": "general", "status": "closed", "closed_on": "2026-11-03"}
	if err := s.ApplyHazards(ctx, &store.HazardReport{School: "s1", Drive: "safety-2026-11", Submission: "x", Version: 1,
		Rows: []map[string]any{row}}); err != nil {
		t.Fatal(err)
	}
	var raw bson.Raw
	if err := hazards.FindOne(ctx, bson.D{{Key: "_id", Value: "s1"}}).Decode(&raw); err != nil {
		t.Fatal(err)
	}
	if typ := raw.Lookup("hazards").Type; typ != bson.TypeBinary {
		t.Errorf("written as %s, want binary", typ)
	}
	if hs, err := s.Hazards(ctx, "s1"); err != nil || len(hs) != 1 || hs[0].Status != store.HazardClosed {
		t.Errorf("after the report: %+v %v", hs, err)
	}
}
