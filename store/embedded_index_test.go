package store_test

import (
	"context"
	"database/sql"
	"log/slog"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	_ "modernc.org/sqlite"

	"github.com/tianbao-edu/tianbao/store"
)

// sqlLog keeps the SQL statements the embedded server logs at debug level.
type sqlLog struct {
	mu    sync.Mutex
	stmts []string
}

func (l *sqlLog) Enabled(context.Context, slog.Level) bool { return true }
func (l *sqlLog) WithAttrs([]slog.Attr) slog.Handler       { return l }
func (l *sqlLog) WithGroup(string) slog.Handler            { return l }
func (l *sqlLog) Handle(_ context.Context, r slog.Record) error {
	if q, ok := strings.CutPrefix(r.Message, ">>> "); ok {
		l.mu.Lock()
		l.stmts = append(l.stmts, q)
		l.mu.Unlock()
	}
	return nil
}

// TestEmbeddedIDLookupsUseTheIndex: finding, updating and deleting a
// document by _id on the embedded server searches the _id index instead
// of reading the whole table (third_party/ferretdb/PATCH.md). SQLite's
// own query plan of the statements the server ran says which.
func TestEmbeddedIDLookupsUseTheIndex(t *testing.T) {
	dir := t.TempDir()
	log := &sqlLog{}
	emb, err := store.StartEmbedded(dir, slog.New(log))
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Stop(context.Background())
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(emb.URI))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	c := client.Database("idx").Collection("probe")
	if _, err := c.InsertMany(ctx, []any{bson.M{"_id": "a", "n": 1}, bson.M{"_id": "b", "n": 2}}); err != nil {
		t.Fatal(err)
	}
	log.mu.Lock()
	log.stmts = nil
	log.mu.Unlock()
	if err := c.FindOne(ctx, bson.M{"_id": "b"}).Err(); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateOne(ctx, bson.M{"_id": "b"}, bson.M{"$set": bson.M{"n": 3}}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UpdateOne(ctx, bson.M{"_id": "b", "n": 3}, bson.M{"$set": bson.M{"n": 4}}); err != nil {
		t.Fatal(err) // an _id equality narrows a filter that says more
	}
	cur, err := c.Find(ctx, bson.M{"_id": bson.M{"$in": bson.A{"a", "b"}}})
	if err != nil {
		t.Fatal(err)
	}
	var found []bson.M
	if err := cur.All(ctx, &found); err != nil || len(found) != 2 {
		t.Fatalf("$in found %v, %v", found, err)
	}
	if _, err := c.DeleteOne(ctx, bson.M{"_id": "a"}); err != nil {
		t.Fatal(err)
	}

	db, err := sql.Open("sqlite", "file:"+filepath.Join(dir, "idx.sqlite")+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	byID := regexp.MustCompile(`(?s)^(SELECT|UPDATE|DELETE).* WHERE .*_ferretdb_sjson->.*_id.* (= \?|IN \()`)
	byIDs := regexp.MustCompile(`^SELECT .* WHERE .*_id.* IN \(\?, \?\)`)
	checked := map[string]bool{}
	log.mu.Lock()
	stmts := append([]string(nil), log.stmts...)
	log.mu.Unlock()
	for _, q := range stmts {
		m := byID.FindStringSubmatch(q)
		if m == nil {
			continue
		}
		args := make([]any, strings.Count(q, "?"))
		for i := range args {
			args[i] = `"b"`
		}
		rows, err := db.Query("EXPLAIN QUERY PLAN "+q, args...)
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if p := strings.Join(plan, "; "); !strings.Contains(p, "USING INDEX") && !strings.Contains(p, "USING COVERING INDEX") {
			t.Errorf("%s reads the whole table: %s", q, p)
		}
		checked[m[1]] = true
		if byIDs.MatchString(q) {
			checked["SELECT IN"] = true
		}
	}
	for _, verb := range []string{"SELECT", "UPDATE", "DELETE", "SELECT IN"} {
		if !checked[verb] {
			t.Errorf("no %s by _id was logged among %q", verb, stmts)
		}
	}
}
