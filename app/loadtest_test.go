package main

import (
	"bufio"
	"bytes"
	"context"
	crand "crypto/rand"
	"encoding/hex"
	"io"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

var listening = regexp.MustCompile(`listening on (http://127\.0\.0\.1:\d+)`)

// startServer seeds the demo data into a fresh database and serves it on
// 127.0.0.1:0 in-process; it returns the base URL and the database name.
func startServer(t *testing.T, password string) (string, string) {
	t.Helper()
	b := make([]byte, 5)
	_, _ = crand.Read(b)
	db := "lt_" + hex.EncodeToString(b)
	common := []string{"-mongodb-uri", storetest.URI(), "-db", db, "-demo-password", password, "-log-level", "error"}
	if err := run(t.Context(), append([]string{"seed-demo"}, common...), io.Discard); err != nil {
		t.Fatal(err)
	}
	ctx, stop := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var serveErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		serveErr = run(ctx, append([]string{"serve", "-addr", "127.0.0.1:0", "-no-demo"}, common...), pw)
		pw.Close()
	}()
	t.Cleanup(func() {
		stop()
		<-done
		if serveErr != nil {
			t.Errorf("serve: %v", serveErr)
		}
		if s, err := store.Open(context.Background(), storetest.URI(), db); err == nil {
			_ = s.Drop(context.Background())
			_ = s.Close(context.Background())
		}
	})
	lines := bufio.NewScanner(pr)
	for lines.Scan() {
		if m := listening.FindStringSubmatch(lines.Text()); m != nil {
			go func() { _, _ = io.Copy(io.Discard, pr) }()
			return m[1], db
		}
	}
	<-done
	t.Fatal("the server did not start")
	return "", ""
}

// TestLoadtestSubmitsEachOnce runs 4 phones × 3 submissions against a
// server started here and checks every submission is stored exactly once.
func TestLoadtestSubmitsEachOnce(t *testing.T) {
	const password = "load-test-password"
	base, db := startServer(t, password)
	var out bytes.Buffer
	err := runLoadtest(t.Context(), []string{"-url", base, "-phones", "4", "-per-phone", "3", "-password", password,
		"-baseline-uri", storetest.URI(), "-db", db, "-timeout", "3m"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	t.Log("\n" + report)
	for _, want := range []string{"submissions: 12 ok, 0 failed", "throughput: ", "submit latency: p50 ", " p95 ", " p99 ",
		"errors: none", "retries: ", "baseline: 12 raw inserts", "ratio HTTP ingest / raw insert: "} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}

	checkStoredOnce(t, db, 3, 12, report)
}

// checkStoredOnce checks the load test's one-off drives in db hold each of
// its submissions once, with one revision.
func checkStoredOnce(t *testing.T, db string, wantDrives, wantSubs int, report string) {
	t.Helper()
	s, err := store.Open(t.Context(), storetest.URI(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close(context.Background())
	drives, err := s.Drives(t.Context(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	oneOff := 0
	for _, d := range drives {
		if !strings.HasPrefix(d.ID, "adhoc-") {
			continue
		}
		oneOff++
		for sub, err := range s.Submissions(t.Context(), store.SubmissionFilter{Drive: d.ID, Under: []string{demoCity}}) {
			if err != nil {
				t.Fatal(err)
			}
			if ids[sub.ID] || sub.Status != store.StatusSubmitted || sub.Version != 1 {
				t.Errorf("submission %s: seen twice, or status %s version %d", sub.ID, sub.Status, sub.Version)
			}
			ids[sub.ID] = true
			revs, err := s.Revisions(t.Context(), sub)
			if err != nil || len(revs) != 1 {
				t.Errorf("submission %s: %d revisions (%v), want 1", sub.ID, len(revs), err)
			}
		}
	}
	if oneOff != wantDrives || len(ids) != wantSubs {
		t.Errorf("%d one-off drives with %d submissions, want %d with %d\n%s", oneOff, len(ids), wantDrives, wantSubs, report)
	}
}

func TestLoadtestRefusesRemoteServers(t *testing.T) {
	for _, args := range [][]string{
		{"-url", "http://192.0.2.1:8080", "-password", "x"},
		{"-url", "http://127.0.0.1:8080", "-password", "x", "-baseline-uri", "mongodb://192.0.2.1:27017/"},
		{"-setup", "3", "-mongodb-uri", "mongodb+srv://cluster.example.com/"},
	} {
		if _, err := parseLoadtest(args); err == nil {
			t.Errorf("%v: accepted", args)
		}
	}
	for _, args := range [][]string{
		{"-url", "http://localhost:8080", "-password", "x", "-baseline-uri", "mongodb://%2Ftmp%2Ftb1%2Fm.sock/"},
		{"-setup", "3", "-mongodb-uri", "mongodb://127.0.0.1:27017/"},
	} {
		if _, err := parseLoadtest(args); err != nil {
			t.Errorf("%v: %v", args, err)
		}
	}
}
