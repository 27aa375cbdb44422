package main

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// writer is a phone that submits its report and then revises it again and
// again, retrying what goes unanswered; it notes when each version was
// acknowledged.
type writer struct {
	base, token, drive, id string
	values                 map[string]any
	version                int
	acks                   []ack
	acked                  atomic.Int32 // len(acks), for other goroutines
	finished               atomic.Bool
}

type ack struct {
	version int
	at      time.Time
}

func (w *writer) send(method, path string, body any, header ...string) (int, map[string]any, error) {
	raw, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, w.base+path, bytes.NewReader(raw))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+w.token)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	var out map[string]any
	_ = json.NewDecoder(res.Body).Decode(&out)
	return res.StatusCode, out, nil
}

// run writes until stop is closed.
func (w *writer) run(stop <-chan struct{}) error {
	defer w.finished.Store(true)
	for n := 0; ; n++ {
		select {
		case <-stop:
			return nil
		default:
		}
		w.values["activity"].(map[string]any)["daily_minutes"] = 120 + n%30
		var status int
		var res map[string]any
		var err error
		if w.version == 0 {
			status, res, err = w.send(http.MethodPost, "/api/v1/drives/"+w.drive+"/submissions", map[string]any{"id": w.id, "values": w.values, "explanations": demoExplanations})
		} else {
			status, res, err = w.send(http.MethodPut, "/api/v1/submissions/"+w.id, map[string]any{"values": w.values, "explanations": demoExplanations}, "If-Match", fmt.Sprintf(`"%d"`, w.version))
		}
		switch {
		case err != nil, status >= 500:
			continue // unanswered: sent again
		case status == 200 || status == 201:
			w.version = int(res["version"].(float64))
			w.acks = append(w.acks, ack{w.version, time.Now()})
			w.acked.Add(1)
		case status == 409:
			if _, cur, err := w.send(http.MethodGet, "/api/v1/submissions/"+w.id, nil); err == nil && cur["version"] != nil {
				w.version = int(cur["version"].(float64))
			}
		default:
			return fmt.Errorf("%s: HTTP %d %v", w.id, status, res)
		}
	}
}

// dbContents reads every collection of a database through the driver,
// each document in canonical extended JSON, sorted.
func dbContents(t *testing.T, uri, name string) map[string][]string {
	t.Helper()
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(uri))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	db := client.Database(name)
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
			b, _ := bson.MarshalExtJSON(cur.Current, true, false)
			docs = append(docs, string(b))
		}
		slices.Sort(docs)
		out[n] = docs
	}
	return out
}

// dirContents reads the database of a data directory no server runs on.
func dirContents(t *testing.T, dir string) map[string][]string {
	t.Helper()
	emb, err := store.StartEmbedded(dir, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer emb.Stop(context.Background())
	return dbContents(t, emb.URI, "tianbao")
}

// archiveContents reads an archive's documents by collection, sorted.
func archiveContents(t *testing.T, file string) map[string][]string {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
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
			out[coll] = []string{}
		} else if !strings.HasPrefix(line, `{"$`) {
			out[coll] = append(out[coll], line)
		}
	}
	for _, docs := range out {
		slices.Sort(docs)
	}
	return out
}

// sameContents compares the records of two databases; the collections
// derived from them are compared with the copy's records instead.
func sameContents(t *testing.T, what string, want, got map[string][]string) {
	t.Helper()
	for _, n := range store.Derived() {
		delete(want, n)
	}
	derivedAgree(t, what, got)
	for _, n := range store.Derived() {
		delete(got, n)
	}
	for n, docs := range want {
		if !slices.Equal(docs, got[n]) {
			t.Errorf("%s: collection %s has %d documents, the copy %d (or they differ)", what, n, len(docs), len(got[n]))
		}
	}
	for n, docs := range got {
		if _, ok := want[n]; !ok && len(docs) > 0 {
			t.Errorf("%s: the copy has a collection %s the original lacks", what, n)
		}
	}
}

// derivedAgree checks that a restored copy's sheets and answers hold every
// submission it holds.
func derivedAgree(t *testing.T, what string, got map[string][]string) {
	t.Helper()
	var sheets strings.Builder
	for _, part := range decodeAll(t, got["sheets"]) {
		if b, ok := part["entries"].(bson.Binary); ok {
			sheets.Write(b.Data) // the entries' JSON
		}
	}
	answers := strings.Join(got["answers"], "\n")
	for _, sub := range decodeAll(t, got["submissions"]) {
		id, key := fmt.Sprint(sub["_id"]), fmt.Sprintf("%v|%v", sub["drive"], sub["school"])
		if !strings.Contains(sheets.String(), id) || !strings.Contains(answers, key) {
			t.Errorf("%s: submission %s is missing from the copy's sheet or answers", what, id)
		}
	}
}

// doc is a document of the archive, decoded.
func decodeAll(t *testing.T, docs []string) []bson.M {
	t.Helper()
	var out []bson.M
	for _, d := range docs {
		var m bson.M
		if err := bson.UnmarshalExtJSON([]byte(d), true, &m); err != nil {
			t.Fatal(err)
		}
		out = append(out, m)
	}
	return out
}

// TestBackupUnderLoad archives the embedded database of a running server
// while 21 schools keep submitting and revising: the command reaches the
// server's database; the archive restored into an empty data directory
// holds exactly what the archive does, every version acknowledged before
// the backup began, and no half of a write (every revision and key with
// its submission, every submission with its key and whole history). Once
// the phones stop, a second backup restores to a copy equal to the source
// in every collection.
func TestBackupUnderLoad(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	const pw = "backup-load-1"
	base, _, stop := start(t, "-mongodb-uri", "", "-data", filepath.Join(dir, "data"), "-demo-password", pw)
	defer stop()
	drive := "monthly-" + time.Now().In(shanghaiLoc(t)).Format("2006-01")
	var writers []*writer
	for d := 1; d <= 3; d++ {
		for s := 3; s <= 9; s++ {
			c := login(t, base, fmt.Sprintf("school-0%d%03d", 999900+d, s), pw)
			_, form, _ := c.call(http.MethodGet, "/api/v1/drives/"+drive+"/form", nil)
			writers = append(writers, &writer{base: base, token: c.token, drive: drive, id: uuid.NewString(), values: demoValues(t, form)})
		}
	}
	halt := make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, len(writers))
	for _, w := range writers {
		wg.Go(func() { errs <- w.run(halt) })
	}
	// Some history first: every phone has its report and two revisions of
	// it acknowledged, however fast this machine is.
	for _, w := range writers {
		for w.acked.Load() < 3 && !w.finished.Load() {
			time.Sleep(20 * time.Millisecond)
		}
	}
	common := []string{"-mongodb-uri", "", "-log-level", "error"}
	underLoad := filepath.Join(dir, "under-load.gz")
	var out bytes.Buffer
	began := time.Now()
	err := run(ctx, append(append([]string{"backup"}, common...), "-data", filepath.Join(dir, "data"), underLoad), &out)
	ended := time.Now()
	time.Sleep(200 * time.Millisecond)
	close(halt)
	wg.Wait()
	close(errs)
	for e := range errs {
		if e != nil {
			t.Error(e)
		}
	}
	if err != nil {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	during := 0
	for _, w := range writers {
		for _, a := range w.acks {
			if a.at.After(began) && a.at.Before(ended) {
				during++
			}
		}
	}
	if during == 0 {
		t.Fatal("no write was answered while the backup ran: the test proves nothing")
	}
	t.Logf("%s%d writes answered during the backup (%v)", out.String(), during, ended.Sub(began).Round(time.Millisecond))

	restored := filepath.Join(dir, "restored")
	out.Reset()
	if err := run(ctx, append(append([]string{"restore"}, common...), "-data", restored, underLoad), &out); err != nil {
		t.Fatalf("restore: %v\n%s", err, out.String())
	}
	archive := archiveContents(t, underLoad)
	got := dirContents(t, restored)
	sameContents(t, "archive restored", archive, got)

	subs := map[string]bson.M{}
	for _, s := range decodeAll(t, got["submissions"]) {
		subs[s["_id"].(string)] = s
	}
	version := func(m bson.M) int {
		switch v := m["version"].(type) {
		case int32:
			return int(v)
		case int64:
			return int(v)
		}
		return -1
	}
	revs := map[string]bool{}
	for _, r := range decodeAll(t, got["revisions"]) {
		s, ok := subs[r["submission"].(string)]
		if !ok || version(r) > version(s) {
			t.Errorf("revision %v is ahead of its submission (%v)", r["_id"], ok)
		}
		revs[r["_id"].(string)] = true
	}
	keys := map[string]string{}
	for _, k := range decodeAll(t, got["submissionKeys"]) {
		keys[k["_id"].(string)] = k["submission"].(string)
	}
	for id, s := range subs {
		if keys[s["drive"].(string)+"|"+s["school"].(string)] != id {
			t.Errorf("submission %s has no key", id)
		}
		for v := 1; v <= version(s) && version(s) > 1; v++ {
			if !revs[fmt.Sprintf("%s:%d", id, v)] {
				t.Errorf("submission %s at version %d lacks revision %d", id, version(s), v)
			}
		}
	}
	if len(keys) != len(subs) {
		t.Errorf("%d keys for %d submissions", len(keys), len(subs))
	}
	for _, w := range writers {
		before := 0
		for _, a := range w.acks {
			if a.at.Before(began) {
				before = a.version
			}
		}
		if s, ok := subs[w.id]; before > 0 && (!ok || version(s) < before) {
			t.Errorf("%s: version %d was acknowledged before the backup began; the archive has %v", w.id, before, s["version"])
		}
	}

	// At rest, a backup and its restore equal the source.
	quiet := filepath.Join(dir, "quiet.gz")
	if err := run(ctx, append(append([]string{"backup"}, common...), "-data", filepath.Join(dir, "data"), quiet), io.Discard); err != nil {
		t.Fatal(err)
	}
	copyDir := filepath.Join(dir, "copy")
	if err := run(ctx, append(append([]string{"restore"}, common...), "-data", copyDir, quiet), io.Discard); err != nil {
		t.Fatal(err)
	}
	uri, err := os.ReadFile(filepath.Join(dir, "data", "embedded.uri"))
	if err != nil {
		t.Fatal(err)
	}
	source := dbContents(t, strings.TrimSpace(string(uri)), "tianbao")
	sameContents(t, "quiet round trip", source, dirContents(t, copyDir))
	if len(source["submissions"]) != len(writers) || len(source["revisions"]) < 2*len(writers) {
		t.Fatalf("the source holds %d submissions and %d revisions", len(source["submissions"]), len(source["revisions"]))
	}
	if err := run(ctx, append(append([]string{"restore"}, common...), "-data", filepath.Join(dir, "data"), quiet), io.Discard); err == nil ||
		!strings.Contains(err.Error(), "in use by a running Tianbao") {
		t.Fatalf("restore under the running server: %v", err)
	}
}

// TestBackupCommandOnURI backs up a MongoDB given by URI and restores it
// into another database of the same server: every collection equal.
func TestBackupCommandOnURI(t *testing.T) {
	ctx := context.Background()
	src, dst := fmt.Sprintf("bsrc_%d", time.Now().UnixNano()), fmt.Sprintf("bdst_%d", time.Now().UnixNano())
	defer dropDB(t, src)
	defer dropDB(t, dst)
	uri := storetest.URI()
	if err := run(ctx, []string{"seed-demo", "-mongodb-uri", uri, "-db", src, "-demo-password", "uri-backup-1"}, io.Discard); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "tianbao.gz")
	var out bytes.Buffer
	if err := run(ctx, []string{"backup", "-mongodb-uri", uri, "-db", src, file}, &out); err != nil || !strings.Contains(out.String(), "users 31") {
		t.Fatalf("backup: %v\n%s", err, out.String())
	}
	if err := run(ctx, []string{"backup", "-mongodb-uri", uri, "-db", src, file}, &out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("backup over a file: %v", err)
	}
	if err := run(ctx, []string{"restore", "-mongodb-uri", uri, "-db", dst, file}, &out); err != nil {
		t.Fatal(err)
	}
	sameContents(t, "round trip by URI", dbContents(t, uri, src), dbContents(t, uri, dst))
	if err := run(ctx, []string{"restore", "-mongodb-uri", uri, "-db", dst, file}, &out); err == nil || !strings.Contains(err.Error(), "-replace") {
		t.Fatalf("restore over data: %v", err)
	}
	if err := run(ctx, []string{"restore", "-replace", "-mongodb-uri", uri, "-db", dst, file}, &out); err != nil {
		t.Fatalf("restore -replace: %v", err)
	}
}

func dropDB(t *testing.T, name string) {
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(context.Background())
	_ = client.Database(name).Drop(context.Background())
}
