package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

// TestBenchScale builds a small city with two months of history, times
// every request over HTTP and leaves a data directory the server starts on.
func TestBenchScale(t *testing.T) {
	dir := t.TempDir()
	t.Setenv("TIANBAO_DEMO_PASSWORD", "bench-password-1")
	var out bytes.Buffer
	err := run(context.Background(), []string{"bench-scale", "-schools", "12", "-months", "2", "-runs", "1", "-idle", "0",
		"-mongodb-uri", "", "-data", dir}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, row := range []string{"sign-in (admin)", "tasks (last school)", "progress (city)", "progress (one district)",
		"submissions, first page (city)", "export (city, job)", "trend, 12 months (city)", "submit (a school not handed in yet)",
		"12 schools: built in"} {
		if !strings.Contains(out.String(), row) {
			t.Errorf("no %q in:\n%s", row, out.String())
		}
	}
	if err := run(context.Background(), []string{"bench-scale", "-schools", "12", "-mongodb-uri", "", "-data", dir}, &out); err == nil ||
		!strings.Contains(err.Error(), "already holds data") {
		t.Fatalf("a second build into the same directory: %v", err)
	}
	out.Reset()
	if err := run(context.Background(), []string{"bench-scale", "-reuse", "-schools", "12", "-runs", "1", "-idle", "0", "-mongodb-uri", "", "-data", dir}, &out); err != nil ||
		!strings.Contains(out.String(), "progress (city)") {
		t.Fatalf("timing the city again: %v\n%s", err, out.String())
	}
	base, _, stop := start(t, "-mongodb-uri", "", "-data", dir, "-no-demo")
	defer stop()
	admin := login(t, base, "admin", "bench-password-1")
	if status, body, _ := admin.call("GET", "/api/v1/drives", nil); status != 200 || !strings.Contains(string(body), "monthly-") {
		t.Fatalf("the server started on the built city: %d %.300s", status, body)
	}
}
