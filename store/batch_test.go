package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// Concurrent inserts go out grouped, yet each keeps its own outcome: of
// several writers of the same submission exactly one succeeds, every other
// one is told it exists, and nothing else is refused with them.
func TestGroupedInsertsKeepTheirOwnOutcome(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	const docs, writers = 40, 3
	errs := make([][]error, docs)
	var wg sync.WaitGroup
	for i := range docs {
		errs[i] = make([]error, writers)
		for w := range writers {
			wg.Go(func() {
				school := fmt.Sprintf("s%03d", i)
				errs[i][w] = s.InsertSubmission(ctx, &store.Submission{ID: fmt.Sprintf("sub-%03d", i), Drive: "d",
					School: school, OrgPath: []string{"city", school}, Version: 1, UpdatedBy: fmt.Sprintf("writer-%d", w)})
			})
		}
	}
	wg.Wait()
	for i := range docs {
		won := 0
		for w, err := range errs[i] {
			switch {
			case err == nil:
				won++
			case !fail.Is(err, fail.Conflict):
				t.Errorf("submission %d writer %d: %v", i, w, err)
			}
		}
		if won != 1 {
			t.Errorf("submission %d: %d writers were told they stored it", i, won)
		}
		sub, err := s.SchoolSubmission(ctx, "d", fmt.Sprintf("s%03d", i))
		if err != nil || sub.ID != fmt.Sprintf("sub-%03d", i) {
			t.Errorf("submission %d: not found by its school (%v)", i, err)
		}
	}
	n := 0
	for _, err := range s.Submissions(ctx, store.SubmissionFilter{Drive: "d", Under: []string{"city"}}) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != docs {
		t.Fatalf("%d submissions stored, want %d", n, docs)
	}
}
