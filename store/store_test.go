package store_test

import (
	"context"
	"sync"
	"testing"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func TestOrgSubtree(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	orgs := []store.Org{
		{ID: "city", Kind: store.KindCity, Path: []string{"city"}},
		{ID: "d1", Kind: store.KindDistrict, Parent: "city", Path: []string{"city", "d1"}},
		{ID: "d2", Kind: store.KindDistrict, Parent: "city", Path: []string{"city", "d2"}},
		{ID: "0420000001", Kind: store.KindSchool, Parent: "d1", Path: []string{"city", "d1", "0420000001"}},
		{ID: "0420000002", Kind: store.KindSchool, Parent: "d2", Path: []string{"city", "d2", "0420000002"}, Closed: true},
	}
	for i := range orgs {
		if err := s.PutOrg(ctx, &orgs[i]); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.Orgs(ctx, store.OrgFilter{Under: "d1", Kind: store.KindSchool})
	if err != nil || len(got) != 1 || got[0].ID != "0420000001" {
		t.Fatalf("d1 schools = %+v, %v", got, err)
	}
	open, err := s.CountOrgs(ctx, store.OrgFilter{Under: "city", Kind: store.KindSchool, Open: true})
	if err != nil || open != 1 {
		t.Fatalf("open schools = %d, %v", open, err)
	}
	if _, err := s.Org(ctx, "missing"); !fail.Is(err, fail.NotFound) {
		t.Fatalf("missing org: %v", err)
	}
}

func TestUsernameUnique(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 10)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.InsertUser(ctx, &store.User{ID: "u" + string(rune('a'+i)), Username: "13800000000", Role: store.RoleSchool})
		}()
	}
	wg.Wait()
	ok, conflicts := 0, 0
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case fail.Is(err, fail.Conflict):
			conflicts++
		default:
			t.Fatal(err)
		}
	}
	if ok != 1 || conflicts != 9 {
		t.Fatalf("ok=%d conflicts=%d", ok, conflicts)
	}
}
