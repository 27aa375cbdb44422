package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// rawDB is a database of its own on the test server reached through the
// driver alone, dropped when the test ends.
func rawDB(t *testing.T) *mongo.Database {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	if err != nil {
		t.Fatal(err)
	}
	db := client.Database(fmt.Sprintf("raw_%d", time.Now().UnixNano()))
	t.Cleanup(func() {
		_ = db.Drop(context.Background())
		_ = client.Disconnect(context.Background())
	})
	return db
}

// openRaw is a store on a database of its own and the same database
// reached through the driver alone, to write what the store would not.
func openRaw(t testing.TB) (*store.Store, *mongo.Database) {
	t.Helper()
	s, name := storetest.Open(t, storetest.URI())
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return s, client.Database(name)
}

// loadFixture writes the documents of testdata/NAME/*.json (one file per
// collection, canonical extended JSON) into db as they are.
func loadFixture(t *testing.T, db *mongo.Database, name string) map[string]int {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", name, "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixture %s: %v", name, err)
	}
	counts := map[string]int{}
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wrapper struct {
			Docs []bson.Raw `bson:"docs"`
		}
		if err := bson.UnmarshalExtJSON(append(append([]byte(`{"docs":`), raw...), '}'), true, &wrapper); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		docs := make([]any, len(wrapper.Docs))
		for i, d := range wrapper.Docs {
			docs[i] = d
		}
		coll := strings.TrimSuffix(filepath.Base(f), ".json")
		if _, err := db.Collection(coll).InsertMany(context.Background(), docs); err != nil {
			t.Fatalf("%s: %v", coll, err)
		}
		counts[coll] = len(docs)
	}
	return counts
}

// logBuffer collects a logger's lines.
func logBuffer() (*slog.Logger, *bytes.Buffer) {
	var buf bytes.Buffer
	return slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})), &buf
}

// TestMigrateReleaseBefore opens a database as the release before this one
// left it (documents in that release's shapes, no schema version): the
// steps run once, in order, logged; the root bureau is recorded; what was
// stored reads as before; a second start runs nothing.
func TestMigrateReleaseBefore(t *testing.T) {
	ctx := context.Background()
	db := rawDB(t)
	loadFixture(t, db, "release-before")
	log, buf := logBuffer()
	s, err := store.OpenMigrated(ctx, storetest.URI(), db.Name(), log)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	if v, err := s.SchemaVersion(ctx); err != nil || v != store.Latest(store.Migrations) {
		t.Fatalf("schema version %d, %v; want %d", v, err, store.Latest(store.Migrations))
	}
	for _, m := range store.Migrations {
		if !strings.Contains(buf.String(), fmt.Sprintf("msg=\"migration step done\" version=%d", m.Version)) {
			t.Errorf("step %d is not logged as done:\n%s", m.Version, buf)
		}
	}
	b, err := s.Bureau(ctx)
	if err != nil || b.Org != "999900" || b.Kind != store.KindCity || b.Admin != "admin" || b.Name != "清河市教育局" {
		t.Fatalf("bureau %+v, %v", b, err)
	}
	sub, err := s.SchoolSubmission(ctx, "monthly-2026-12", "0999901003")
	if err != nil || sub.Version != 3 || sub.Status != store.StatusSubmitted {
		t.Fatalf("the stored submission: %+v, %v", sub, err)
	}
	if revs, err := s.Revisions(ctx, sub); err != nil || len(revs) != 3 {
		t.Fatalf("its history: %d revisions, %v", len(revs), err)
	}
	if u, err := s.UserByName(ctx, "school-0999901003"); err != nil || u.Org != "0999901003" || len(u.PasswordHash) == 0 {
		t.Fatalf("a school's account: %+v, %v", u, err)
	}
	raw, err := db.Collection("submissions").FindOne(ctx, bson.D{{Key: "_id", Value: sub.ID}}).Raw()
	if err != nil {
		t.Fatal(err)
	}
	if v, err := raw.LookupErr("values", "canteen", "meal_days"); err != nil || v.Type != bson.TypeInt64 {
		t.Errorf("an integer answer is stored as %v (%v), want int64", v.Type, err)
	}
	if n, ok := sub.Values["canteen"]["meal_days"].(float64); !ok || n <= 0 {
		t.Errorf("read back as %#v, want a float64", sub.Values["canteen"]["meal_days"])
	}
	tree, err := s.Tree(ctx)
	if err != nil || tree.Org("0999901003") == nil || tree.Org("999900") == nil || len(tree.Schools("999900")) != 4 {
		t.Fatalf("the directory: %v", err)
	}
	d, err := s.Drive(ctx, "monthly-2026-12")
	if err != nil || d.Parts != 1 {
		t.Fatalf("the drive's sheet: %+v, %v", d, err)
	}
	sheet, err := s.Sheet(ctx, d)
	if err != nil || len(sheet) != 1 || sheet[0].School != "0999901003" || sheet[0].Version != 3 || !sheet[0].HandedIn() {
		t.Fatalf("its sheet: %+v, %v", sheet, err)
	}
	var answers []*store.Submission
	for a, err := range s.Answers(ctx, d.ID, []string{"0999901003", "0999901001"}) {
		if err != nil {
			t.Fatal(err)
		}
		answers = append(answers, a)
	}
	if len(answers) != 2 || answers[0] == nil || answers[0].Version != 3 || answers[1] != nil {
		t.Fatalf("its answers: %+v", answers)
	}

	buf.Reset()
	again, err := store.OpenMigrated(ctx, storetest.URI(), db.Name(), log)
	if err != nil {
		t.Fatal(err)
	}
	again.Close(ctx)
	if strings.Contains(buf.String(), "migration step") {
		t.Errorf("a second start ran steps again:\n%s", buf)
	}
}

// TestMigrateRefusesNewerData: a release refuses data a newer release
// wrote, says which versions, and leaves it alone.
func TestMigrateRefusesNewerData(t *testing.T) {
	ctx := context.Background()
	db := rawDB(t)
	newer := store.Latest(store.Migrations) + 1
	if _, err := db.Collection("meta").InsertOne(ctx, bson.D{{Key: "_id", Value: "schema"}, {Key: "version", Value: newer}}); err != nil {
		t.Fatal(err)
	}
	_, err := store.OpenMigrated(ctx, storetest.URI(), db.Name(), nil)
	if !errors.Is(err, store.ErrNewerData) || !strings.Contains(err.Error(), fmt.Sprintf("schema version %d", newer)) ||
		!strings.Contains(err.Error(), fmt.Sprintf("up to %d", newer-1)) {
		t.Fatalf("newer data: %v", err)
	}
	names, _ := db.ListCollectionNames(ctx, bson.D{})
	if len(names) != 1 {
		t.Errorf("the refused database was changed: collections %v", names)
	}
}

// counter is a migration step that counts its runs and fails while fail is set.
type counter struct {
	runs atomic.Int32
	fail atomic.Bool
}

func (c *counter) step(v int) store.Migration {
	return store.Migration{Version: v, Name: fmt.Sprintf("step %d", v), Func: func(context.Context, *store.Store, *slog.Logger) error {
		c.runs.Add(1)
		if c.fail.Load() {
			return errors.New("disk full")
		}
		return nil
	}}
}

// TestMigratorResumes: a failing step stops the run with the versions
// before it recorded; the next run starts at the failed step.
func TestMigratorResumes(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	var one, two, three counter
	steps := []store.Migration{one.step(1), two.step(2), three.step(3)}
	two.fail.Store(true)
	err := (&store.Migrator{Steps: steps}).Run(ctx, s)
	if err == nil || !strings.Contains(err.Error(), "migration 2 (step 2): disk full") {
		t.Fatalf("the failing run: %v", err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 1 || three.runs.Load() != 0 {
		t.Fatalf("after the failure: version %d, step 3 ran %d times", v, three.runs.Load())
	}
	two.fail.Store(false)
	if err := (&store.Migrator{Steps: steps}).Run(ctx, s); err != nil {
		t.Fatal(err)
	}
	if v, _ := s.SchemaVersion(ctx); v != 3 || one.runs.Load() != 1 || two.runs.Load() != 2 || three.runs.Load() != 1 {
		t.Fatalf("resumed: version %d, runs %d %d %d; want 3, runs 1 2 1", v, one.runs.Load(), two.runs.Load(), three.runs.Load())
	}
	bad := []store.Migration{one.step(2), two.step(2)}
	if err := (&store.Migrator{Steps: bad}).Run(ctx, s); err == nil {
		t.Error("steps with the same version were accepted")
	}
}

// TestMigratorOneAtATime starts four instances at once on old data: the
// steps run once each, never two at a time, and every instance returns
// only once the data is current.
func TestMigratorOneAtATime(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	var running, overlaps, runs atomic.Int32
	step := func(v int) store.Migration {
		return store.Migration{Version: v, Name: "slow", Func: func(ctx context.Context, s *store.Store, _ *slog.Logger) error {
			if running.Add(1) > 1 {
				overlaps.Add(1)
			}
			defer running.Add(-1)
			runs.Add(1)
			time.Sleep(50 * time.Millisecond) // widen the window for a second runner
			return nil
		}}
	}
	steps := []store.Migration{step(1), step(2), step(3)}
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			m := &store.Migrator{Steps: steps, Owner: fmt.Sprintf("instance-%d", i), Poll: 10 * time.Millisecond}
			if err := m.Run(ctx, s); err != nil {
				t.Errorf("instance %d: %v", i, err)
			}
			if v, _ := s.SchemaVersion(ctx); v != 3 {
				t.Errorf("instance %d returned at version %d", i, v)
			}
		})
	}
	wg.Wait()
	if runs.Load() != 3 || overlaps.Load() != 0 {
		t.Fatalf("%d step runs (want 3), %d overlapping", runs.Load(), overlaps.Load())
	}
}

// TestMigratorLock: an instance waits for a live lock (until its context
// ends) and takes over the lock of one whose lease ran out.
func TestMigratorLock(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		until   time.Duration
		wantErr string
	}{
		{"held by a live instance", time.Hour, "waiting for the migration lock held by other"},
		{"left by a stopped instance", -time.Minute, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			db := rawDB(t)
			lock := bson.D{{Key: "_id", Value: "migration-lock"}, {Key: "owner", Value: "other"}, {Key: "until", Value: time.Now().Add(tc.until)}}
			if _, err := db.Collection("meta").InsertOne(ctx, lock); err != nil {
				t.Fatal(err)
			}
			target, err := store.Open(ctx, storetest.URI(), db.Name())
			if err != nil {
				t.Fatal(err)
			}
			defer target.Close(ctx)
			var c counter
			wait, cancel := context.WithCancel(ctx)
			defer cancel()
			// The instance gives up waiting once it has said it waits.
			log := slog.New(cancelOn{"waiting for another instance", cancel, slog.DiscardHandler})
			err = (&store.Migrator{Steps: []store.Migration{c.step(1)}, Poll: 20 * time.Millisecond, Log: log}).Run(wait, target)
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) || c.runs.Load() != 0 {
					t.Fatalf("err %v, %d runs; want %q and none", err, c.runs.Load(), tc.wantErr)
				}
				return
			}
			if err != nil || c.runs.Load() != 1 {
				t.Fatalf("err %v, %d runs", err, c.runs.Load())
			}
			if n, _ := db.Collection("meta").CountDocuments(ctx, bson.D{{Key: "_id", Value: "migration-lock"}}); n != 0 {
				t.Error("the lock was not released")
			}
		})
	}
}

// cancelOn is a log handler that cancels a context when a message
// starting with msg is logged.
type cancelOn struct {
	msg    string
	cancel context.CancelFunc
	slog.Handler
}

func (h cancelOn) Enabled(context.Context, slog.Level) bool { return true }

func (h cancelOn) Handle(ctx context.Context, r slog.Record) error {
	if strings.HasPrefix(r.Message, h.msg) {
		h.cancel()
	}
	return nil
}
