package store_test

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// contents reads every collection of db through the driver: each
// document in canonical extended JSON, sorted.
func contents(t *testing.T, db *mongo.Database) map[string][]string {
	t.Helper()
	ctx := context.Background()
	names, err := db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for _, n := range names {
		cur, err := db.Collection(n).Find(ctx, bson.D{})
		if err != nil {
			t.Fatal(err)
		}
		docs := []string{}
		for cur.Next(ctx) {
			b, err := bson.MarshalExtJSON(cur.Current, true, false)
			if err != nil {
				t.Fatal(err)
			}
			docs = append(docs, string(b))
		}
		if err := cur.Err(); err != nil {
			t.Fatal(err)
		}
		slices.Sort(docs)
		out[n] = docs
	}
	return out
}

// compare reports every collection whose documents differ.
func compare(t *testing.T, want, got map[string][]string) {
	t.Helper()
	for n, docs := range want {
		if !slices.Equal(docs, got[n]) {
			t.Errorf("collection %s: %d documents, restored %d (or they differ)", n, len(docs), len(got[n]))
		}
	}
	for n := range got {
		if _, ok := want[n]; !ok && len(got[n]) > 0 {
			t.Errorf("restored collection %s was not in the source", n)
		}
	}
}

// TestBackupRoundTrip backs up a database the release before wrote, as
// this release migrated it, and restores it into an empty one: every
// collection holds the same documents, with their exact types; the
// restored database works (indexes, lookups).
func TestBackupRoundTrip(t *testing.T) {
	ctx := context.Background()
	src := rawDB(t)
	loadFixture(t, src, "release-before")
	s, err := store.OpenMigrated(ctx, storetest.URI(), src.Name(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	var archive bytes.Buffer
	st, err := s.Backup(ctx, &archive)
	if err != nil || st.Schema != store.Latest(store.Migrations) || st.Counts["submissions"] != 1 || st.Counts["revisions"] != 3 || st.Dropped != 0 {
		t.Fatalf("backup: %+v, %v", st, err)
	}
	if checked, err := store.CheckArchive(bytes.NewReader(archive.Bytes())); err != nil || checked.Counts["orgs"] != st.Counts["orgs"] {
		t.Fatalf("check: %+v, %v", checked, err)
	}
	dst := rawDB(t)
	r, err := store.DialOnly(ctx, storetest.URI(), dst.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if _, err := r.Restore(ctx, bytes.NewReader(archive.Bytes()), false, nil); err != nil {
		t.Fatal(err)
	}
	compare(t, contents(t, src), contents(t, dst))
	if sub, err := r.SchoolSubmission(ctx, "monthly-2026-12", "0999901003"); err != nil || sub.Version != 3 {
		t.Fatalf("a restored submission: %+v, %v", sub, err)
	}
	if _, err := r.Restore(ctx, bytes.NewReader(archive.Bytes()), false, nil); !errors.Is(err, store.ErrNotEmpty) {
		t.Fatalf("restore into a database with data: %v", err)
	}
	if _, err := r.Restore(ctx, bytes.NewReader(archive.Bytes()), true, nil); err != nil {
		t.Fatalf("restore replacing: %v", err)
	}
	compare(t, contents(t, src), contents(t, dst))
}

// TestBackupLeavesOutWritesInFlight: what a backup may meet of writes in
// flight — a revision claimed before its submission's update, a key not
// yet stored, a key or revision of a submission stored after the
// submissions were read — never reaches the archive half: each submission
// comes with its history up to the archived version and its key.
func TestBackupLeavesOutWritesInFlight(t *testing.T) {
	ctx := context.Background()
	db := rawDB(t)
	at := time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
	sub := func(id, school string, version int) bson.D {
		return bson.D{{Key: "_id", Value: id}, {Key: "drive", Value: "monthly-2026-11"}, {Key: "school", Value: school},
			{Key: "orgPath", Value: bson.A{"city", "d1", school}}, {Key: "status", Value: "submitted"}, {Key: "version", Value: version},
			{Key: "values", Value: bson.D{}}, {Key: "createdAt", Value: at}, {Key: "updatedAt", Value: at}}
	}
	rev := func(id string, version int) bson.D {
		return bson.D{{Key: "_id", Value: id + ":" + string(rune('0'+version))}, {Key: "submission", Value: id},
			{Key: "version", Value: version}, {Key: "action", Value: "revise"}, {Key: "at", Value: at}}
	}
	key := func(school, id string) bson.D {
		return bson.D{{Key: "_id", Value: "monthly-2026-11|" + school}, {Key: "submission", Value: id}}
	}
	insert := func(coll string, docs ...any) {
		if _, err := db.Collection(coll).InsertMany(ctx, docs); err != nil {
			t.Fatal(err)
		}
	}
	insert("submissions", sub("s-a", "0000000001", 2), sub("s-b", "0000000002", 1))
	insert("revisions", rev("s-a", 1), rev("s-a", 2),
		rev("s-a", 3), // claimed; the submission's update still to come
		rev("s-c", 2)) // of a submission stored after the submissions were read
	insert("submissionKeys", key("0000000001", "s-a"),
		key("0000000003", "s-c")) // s-b's key is still to come
	s, err := store.DialOnly(ctx, storetest.URI(), db.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(ctx)
	var archive bytes.Buffer
	st, err := s.Backup(ctx, &archive)
	if err != nil || st.Dropped != 3 {
		t.Fatalf("backup: %+v, %v; want 3 left out", st, err)
	}
	docs := archiveLines(t, archive.Bytes())
	wantRevisions := []string{`"s-a:1"`, `"s-a:2"`}
	for i, w := range wantRevisions {
		if len(docs["revisions"]) != 2 || !strings.Contains(docs["revisions"][i], w) {
			t.Fatalf("revisions in the archive: %v", docs["revisions"])
		}
	}
	keys := strings.Join(docs["submissionKeys"], "\n")
	if len(docs["submissionKeys"]) != 2 || !strings.Contains(keys, `"s-a"`) || !strings.Contains(keys, `"monthly-2026-11|0000000002","submission":"s-b"`) {
		t.Fatalf("keys in the archive: %v", docs["submissionKeys"])
	}

	dst := rawDB(t)
	r, err := store.DialOnly(ctx, storetest.URI(), dst.Name())
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close(ctx)
	if _, err := r.Restore(ctx, &archive, false, nil); err != nil {
		t.Fatal(err)
	}
	a, err := r.SchoolSubmission(ctx, "monthly-2026-11", "0000000001")
	if err != nil || a.Version != 2 {
		t.Fatalf("s-a: %+v, %v", a, err)
	}
	if revs, err := r.Revisions(ctx, a); err != nil || len(revs) != 2 {
		t.Fatalf("s-a's history: %+v, %v", revs, err)
	}
	if b, err := r.SchoolSubmission(ctx, "monthly-2026-11", "0000000002"); err != nil || b.ID != "s-b" {
		t.Fatalf("s-b by its key: %+v, %v", b, err)
	}
}

// archiveLines reads an archive's documents by collection.
func archiveLines(t *testing.T, archive []byte) map[string][]string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(archive))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	coll := ""
	sc := bufio.NewScanner(zr)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		line := sc.Text()
		if name, ok := strings.CutPrefix(line, `{"$collection":"`); ok {
			coll = strings.TrimSuffix(name, `"}`)
			continue
		}
		if coll != "" && !strings.HasPrefix(line, `{"$`) {
			out[coll] = append(out[coll], line)
		}
	}
	return out
}

// TestRestoreRefuses: an archive newer than this release, a truncated one
// and one whose counts do not add up change nothing.
func TestRestoreRefuses(t *testing.T) {
	ctx := context.Background()
	src := storetest.New(t)
	if _, err := src.ClaimBureau(ctx, &store.Bureau{Org: "420222", Name: "阳新县教育局", Kind: store.KindCounty, Admin: "a"}); err != nil {
		t.Fatal(err)
	}
	var archive bytes.Buffer
	if _, err := src.Backup(ctx, &archive); err != nil {
		t.Fatal(err)
	}
	plain := gunzip(t, archive.Bytes())
	newer := strings.Replace(plain, `"schema":0`, `"schema":99`, 1)
	damaged := strings.Replace(plain, `"meta":1`, `"meta":2`, 1)
	for _, tc := range []struct {
		name, archive, want string
	}{
		{"newer", newer, "schema version 99"},
		{"truncated", plain[:len(plain)*3/4], "cut short"},
		{"damaged", damaged, "damaged"},
		{"not a backup", "hello\n", "not a Tianbao backup"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst := rawDB(t)
			r, err := store.DialOnly(ctx, storetest.URI(), dst.Name())
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close(ctx)
			if _, err := store.CheckArchive(bytes.NewReader(gz(t, tc.archive))); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("check: %v, want %q", err, tc.want)
			}
			_, err = r.Restore(ctx, bytes.NewReader(gz(t, tc.archive)), false, nil)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("restore: %v, want %q", err, tc.want)
			}
			if tc.name == "newer" {
				if names, _ := dst.ListCollectionNames(ctx, bson.D{}); len(names) != 0 {
					t.Fatalf("the refused restore wrote %v", names)
				}
			}
		})
	}
}

func gunzip(t *testing.T, b []byte) string {
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	if _, err := out.ReadFrom(zr); err != nil {
		t.Fatal(err)
	}
	return out.String()
}

func gz(t *testing.T, s string) []byte {
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write([]byte(s))
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
