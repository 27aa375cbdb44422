package store_test

import (
	"context"
	"reflect"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestValuesStoredTyped: integer answers are stored as int64 and dates as
// BSON dates, in the submission and its revisions, as a bureau's own
// MongoDB tools expect; decimals stay doubles. Read back through the
// store they are what the form engine gave (float64, "2006-01-02").
func TestValuesStoredTyped(t *testing.T) {
	ctx := context.Background()
	s, name := storetest.Open(t, storetest.URI())
	f := &forms.Form{Version: "typed-1", Sections: []forms.Section{{Indicator: "sec", Fields: []forms.Field{
		{ID: "n", Type: forms.Integer}, {ID: "x", Type: forms.Decimal}, {ID: "d", Type: forms.Date}, {ID: "t", Type: forms.String},
		{ID: "rows", Type: forms.Repeat, Fields: []forms.Field{{ID: "k", Type: forms.Integer}, {ID: "on", Type: forms.Date}}},
	}}}}
	if err := s.PutForm(ctx, f); err != nil {
		t.Fatal(err)
	}
	values := forms.Values{"sec": {"n": 21.0, "x": 2.5, "d": "2026-11-03", "t": "2026-11-04",
		"rows": []any{map[string]any{"k": 3.0, "on": "2026-10-31"}}}}
	now := time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
	sub := &store.Submission{ID: "4f1c2a8e-0000-4000-8000-000000000001", Drive: "d", School: "s", OrgPath: []string{"c", "s"},
		Status: store.StatusSubmitted, Version: 1, FormVersion: f.Version, Values: values, CreatedAt: now, UpdatedAt: now}
	if err := s.InsertSubmission(ctx, sub); err != nil {
		t.Fatal(err)
	}
	next := *sub
	next.Version, next.Status = 2, store.StatusApproved
	if err := s.CommitSubmission(ctx, sub, &next, &store.Revision{Action: "approve", Status: next.Status, At: now}); err != nil {
		t.Fatal(err)
	}

	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	db := client.Database(name)
	check := func(what string, raw bson.Raw, path ...string) {
		t.Helper()
		want := map[string]bson.Type{"n": bson.TypeInt64, "x": bson.TypeDouble, "d": bson.TypeDateTime, "t": bson.TypeString}
		for field, typ := range want {
			v, err := raw.LookupErr(append(path, "sec", field)...)
			if err != nil || v.Type != typ {
				t.Errorf("%s: %s is %v (%v), want %v", what, field, v.Type, err, typ)
			}
		}
		row, err := raw.LookupErr(append(path, "sec", "rows", "0")...)
		if err != nil {
			t.Fatalf("%s: no row: %v", what, err)
		}
		if k := row.Document().Lookup("k"); k.Type != bson.TypeInt64 {
			t.Errorf("%s: row k is %v", what, k.Type)
		}
		if on := row.Document().Lookup("on"); on.Type != bson.TypeDateTime || on.Time().Format(time.DateOnly) != "2026-10-31" {
			t.Errorf("%s: row on is %v %v", what, on.Type, on)
		}
	}
	raw, err := db.Collection("submissions").FindOne(ctx, bson.D{{Key: "_id", Value: sub.ID}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	check("submission", raw, "values")
	for _, id := range []string{sub.ID + ":1", sub.ID + ":2"} {
		raw, err := db.Collection("revisions").FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Raw()
		if err != nil {
			t.Fatalf("revision %s: %v", id, err)
		}
		if id == sub.ID+":2" {
			check("revision 2 state", raw, "state", "values")
			continue
		}
		check("revision 1", raw, "values")
	}

	got, err := s.Submission(ctx, sub.ID, "c")
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got.Values, values) {
		t.Fatalf("read back %#v, want %#v", got.Values, values)
	}
	revs, err := s.Revisions(ctx, got)
	if err != nil || len(revs) != 2 || !reflect.DeepEqual(revs[0].Values, values) {
		t.Fatalf("revisions %+v %v", revs, err)
	}
}
