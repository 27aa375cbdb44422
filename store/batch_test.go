package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

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

// Inserts that arrive while a command is in flight go out together in the
// next one, and a duplicate among them fails alone.
func TestInsertsArrivingTogetherShareOneCommand(t *testing.T) {
	ctx := context.Background()
	var mu sync.Mutex
	commands := 0
	monitor := &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		if e.CommandName == "insert" {
			mu.Lock()
			commands++
			mu.Unlock()
		}
	}}
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()).SetMonitor(monitor))
	if err != nil {
		t.Fatal(err)
	}
	db := client.Database(fmt.Sprintf("grouped_%d", time.Now().UnixNano()))
	t.Cleanup(func() { _ = db.Drop(context.Background()); _ = client.Disconnect(context.Background()) })
	coll := db.Collection("docs")
	if _, err := coll.InsertOne(ctx, bson.D{{Key: "_id", Value: "doc-07"}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	commands = 0
	mu.Unlock()

	in := store.NewInserter(coll)
	in.Hold()
	const n = 40
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = in.Insert(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("doc-%02d", i)}}) })
	}
	for in.Queued() < n {
		time.Sleep(time.Millisecond)
	}
	in.Release()
	wg.Wait()

	mu.Lock()
	sent := commands
	mu.Unlock()
	if sent != 1 {
		t.Errorf("%d insert commands for %d documents queued together, want 1", sent, n)
	}
	for i, err := range errs {
		if dup := mongo.IsDuplicateKeyError(err); (i == 7) != dup || (i != 7 && err != nil) {
			t.Errorf("doc %d: %v", i, err)
		}
	}
	if stored, err := coll.CountDocuments(ctx, bson.D{}); err != nil || stored != n {
		t.Errorf("%d documents stored (%v), want %d", stored, err, n)
	}
}
