package store_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// twoInstances is two Stores on one fresh database, as two app instances
// on one MongoDB.
func twoInstances(t *testing.T) (a, b *store.Store) {
	t.Helper()
	a, name := storetest.Open(t, storetest.URI())
	b, err := store.Open(context.Background(), storetest.URI(), name)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close(context.Background()) })
	return a, b
}

// TestTreeSeesOtherInstances: a Store keeps the directory parts it read,
// and reads a part again as soon as another Store (another instance) has
// written it; unchanged, the tree is the one built before.
func TestTreeSeesOtherInstances(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	root := &store.Org{ID: "330100", Name: "市教育局", Kind: store.KindCity, Path: []string{"330100"}}
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(a.PutOrg(ctx, root))
	for i := range 2500 / 500 {
		var batch []store.Org
		for j := range 500 {
			code := fmt.Sprintf("%010d", 330100000+i*500+j)
			batch = append(batch, store.Org{ID: code, Name: "学校", Kind: store.KindSchool, Parent: root.ID, Path: []string{root.ID, code}})
		}
		if _, err := a.InsertOrgs(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	first, err := b.Tree(ctx)
	must(err)
	if first.Len() != 2501 {
		t.Fatalf("b sees %d orgs, want 2501", first.Len())
	}
	again, err := b.Tree(ctx)
	must(err)
	if again != first {
		t.Error("an unchanged directory was built again")
	}
	renamed := *first.Org("0330100123")
	renamed.Name = "改名后的学校"
	must(a.ReplaceOrg(ctx, &renamed))
	after, err := b.Tree(ctx)
	must(err)
	if o := after.Org("0330100123"); o == nil || o.Name != "改名后的学校" {
		t.Fatalf("b reads %+v after a renamed it", o)
	}
	if first.Org("0330100123").Name != "学校" {
		t.Error("a tree handed out before changed under its reader")
	}
}

// TestSheetSeesOtherInstances: a Store keeps the sheet parts it read and
// reads a part again once another Store has written an entry into it.
func TestSheetSeesOtherInstances(t *testing.T) {
	ctx := context.Background()
	a, b := twoInstances(t)
	d := &store.Drive{ID: "monthly-2026-11", Scope: store.Scope{Org: "c"}, Parts: 3}
	if _, err := a.CreateDrive(ctx, d); err != nil {
		t.Fatal(err)
	}
	submit := func(i int, status string) {
		t.Helper()
		sub := &store.Submission{ID: fmt.Sprintf("00000000-0000-4000-8000-%012d", i), Drive: d.ID, School: fmt.Sprintf("s%03d", i),
			OrgPath: []string{"c"}, Status: status, Version: 1}
		if err := a.InsertSubmission(ctx, sub); err != nil {
			t.Fatal(err)
		}
	}
	for i := range 30 {
		submit(i, store.StatusSubmitted)
	}
	first, err := b.Sheet(ctx, d)
	if err != nil || len(first) != 30 {
		t.Fatalf("b reads %d entries, %v", len(first), err)
	}
	if again, _ := b.Sheet(ctx, d); &again[0] != &first[0] {
		t.Error("an unchanged sheet was read again")
	}
	submit(30, store.StatusDraft)
	after, err := b.Sheet(ctx, d)
	if err != nil || len(after) != 31 || after[30].Status != store.StatusDraft {
		t.Fatalf("b reads %d entries after a wrote one more, %v", len(after), err)
	}
}
