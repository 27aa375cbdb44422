package store_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func TestAuditLog(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	t0 := time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	var entries []store.AuditEntry
	for i := range 600 { // more than one bulk insert
		entries = append(entries, store.AuditEntry{At: t0.Add(time.Duration(i) * time.Second), By: "admin",
			Action: "org.import.update", Object: fmt.Sprintf("%010d", i), Kind: store.KindSchool, Changes: []string{"students: 1 → 2"}})
	}
	if err := s.InsertAudit(ctx, entries...); err != nil {
		t.Fatal(err)
	}
	if err := s.InsertAudit(ctx, store.AuditEntry{ID: "fixed", At: t0.Add(time.Hour), By: "dist1", Action: "org.import.create", Object: "x"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Audit(ctx, 3)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || got[0].ID != "fixed" || got[1].Object != "0000000599" || got[2].Object != "0000000598" ||
		got[1].ID == "" || got[1].Changes[0] != "students: 1 → 2" || !got[1].At.Equal(t0.Add(599*time.Second)) {
		t.Fatalf("latest entries = %+v", got)
	}
	if all, err := s.Audit(ctx, 0); err != nil || len(all) != 100 {
		t.Fatalf("default limit: %d, %v", len(all), err)
	}
	if all, err := s.Audit(ctx, 5000); err != nil || len(all) != 601 {
		t.Fatalf("large limit: %d, %v", len(all), err)
	}
}

func TestOrgsInBulk(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	city := store.Org{ID: "330100", Name: "市", Kind: store.KindCity, Path: []string{"330100"}}
	if err := s.PutOrg(ctx, &city); err != nil {
		t.Fatal(err)
	}
	var schools []store.Org
	for i := range 700 {
		id := fmt.Sprintf("03301%05d", i)
		schools = append(schools, store.Org{ID: id, Name: "学校", Kind: store.KindSchool, Parent: "330100",
			Path: []string{"330100", id}, Students: i, Contact: "王老师"})
	}
	if taken, err := s.InsertOrgs(ctx, schools[:400]); err != nil || len(taken) != 0 {
		t.Fatalf("insert: %v, %v", taken, err)
	}
	// Taken ids are reported and left alone; the others are inserted.
	clash := slices.Clone(schools[390:700])
	clash[0].Name = "重复"
	taken, err := s.InsertOrgs(ctx, append(clash, store.Org{ID: "330100", Name: "假市", Kind: store.KindSchool}))
	if err != nil || len(taken) != 11 || taken[0] != schools[390].ID || taken[10] != "330100" {
		t.Fatalf("taken = %v, %v", taken, err)
	}
	all := map[string]store.Org{}
	for o, err := range s.AllOrgs(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		all[o.ID] = *o
	}
	if len(all) != 701 || all["0330100003"].Students != 3 || all["330100"].Kind != store.KindCity || all[schools[390].ID].Name != "学校" {
		t.Fatalf("read %d orgs, school 3 = %+v", len(all), all["0330100003"])
	}
	// Only the named fields change: a field another writer changed is kept,
	// an emptied one goes.
	changed := schools[5]
	changed.Students, changed.Contact, changed.Name = 999, "", "别名"
	changed.UpdatedAt = time.Date(2026, 11, 5, 0, 0, 0, 0, time.UTC)
	if err := s.UpdateOrgs(ctx, []store.OrgUpdate{{Org: changed, Fields: []string{"students", "contact"}}}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Org(ctx, changed.ID)
	if err != nil || got.Students != 999 || got.Contact != "" || got.Name != "学校" || !got.UpdatedAt.Equal(changed.UpdatedAt) {
		t.Fatalf("updated = %+v, %v", got, err)
	}
	cities, err := s.OrgsOfKind(ctx, store.KindCity)
	if err != nil || len(cities) != 1 || cities[0].ID != "330100" {
		t.Fatalf("cities = %+v, %v", cities, err)
	}
}
