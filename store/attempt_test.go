package store_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestClaimAttemptIsAtomic: 20 concurrent claims on one key, through two
// connections to one database (two app instances), under a rule that
// allows five get exactly attempts 1 to 5; once the user's attempts are
// cleared five get through again; once the latest settles without failures
// the next gets through; the sweep removes them.
func TestClaimAttemptIsAtomic(t *testing.T) {
	ctx := context.Background()
	s, name := storetest.Open(t, storetest.URI())
	other, err := store.Open(ctx, storetest.URI(), name)
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close(ctx)
	instances := []*store.Store{s, other}
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	five := func(last *store.Attempt) (int, time.Duration) {
		if last == nil {
			return 1, 0
		}
		if last.Fails >= 5 {
			return 0, time.Minute
		}
		return last.Fails + 1, 0
	}
	claimAll := func(n int) (got []int64, refused int) {
		var mu sync.Mutex
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				a, wait, err := instances[i%2].ClaimAttempt(ctx, "k", "u", now, five)
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Error(err)
				case wait > 0:
					refused++
				default:
					got = append(got, a.N)
				}
			})
		}
		wg.Wait()
		slices.Sort(got)
		return got, refused
	}
	got, refused := claimAll(20)
	if !slices.Equal(got, []int64{1, 2, 3, 4, 5}) || refused != 15 {
		t.Fatalf("20 claims at once: attempts %v, %d refused; want 1–5 and 15", got, refused)
	}
	if err := s.ClearAttempts(ctx, "u"); err != nil {
		t.Fatal(err)
	}
	got, refused = claimAll(20)
	if !slices.Equal(got, []int64{1, 2, 3, 4, 5}) || refused != 15 {
		t.Fatalf("after clearing: attempts %v, %d refused; want 1–5 and 15", got, refused)
	}
	a, wait, err := s.ClaimAttempt(ctx, "k", "u", now, five)
	if err != nil || a != nil || wait == 0 {
		t.Fatalf("a sixth claim: %v, %v, %v; want a wait", a, wait, err)
	}
	last := &store.Attempt{ID: "k/5", Key: "k", N: 5}
	if err := s.SettleAttempt(ctx, last, 0); err != nil {
		t.Fatal(err)
	}
	if a, _, err = s.ClaimAttempt(ctx, "k", "u", now, five); err != nil || a == nil || a.N != 6 || a.Fails != 1 {
		t.Fatalf("once the latest attempt settled: %+v, %v; want attempt 6 carrying 1 failure", a, err)
	}
	n, err := s.SweepAttempts(ctx, now.Add(time.Second))
	if err != nil || n != 5 {
		t.Fatalf("sweep: %d, %v", n, err)
	}
}
