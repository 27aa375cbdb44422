package handlers_test

import (
	"bytes"
	"context"
	"math/rand/v2"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
)

// storeExport records a job of user and, when done, a file of n bytes for it.
func (f *fixture) storeExport(id, user, status string, n int) []byte {
	f.t.Helper()
	ctx := context.Background()
	now := f.clock.Now().UTC()
	j := &store.ExportJob{ID: id, Drive: driveID, User: user, FileName: "2026年11月月度填报.xlsx", Status: status,
		CreatedAt: now, UpdatedAt: now}
	data := make([]byte, n)
	rng := rand.New(rand.NewPCG(7, uint64(n)))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	if status == store.ExportDone {
		w := f.store.ExportWriter(ctx, id)
		_, err := w.Write(data)
		must(f.t, err)
		j.Size, err = w.Close()
		must(f.t, err)
	}
	must(f.t, f.store.InsertExportJob(ctx, j))
	return data
}

// TestExportDownloadSendsStoredFile: a file stored in several pieces is
// downloaded byte for byte, with its length, type and name.
func TestExportDownloadSendsStoredFile(t *testing.T) {
	f := newFixture(t)
	want := f.storeExport("ex-big", "admin", store.ExportDone, 2<<20+12345)
	res := f.do("admin", http.MethodGet, "/api/v1/exports/ex-big/download", nil, nil)
	if res.status != 200 {
		t.Fatalf("download: %d %s", res.status, res.body)
	}
	if !bytes.Equal(res.body, want) {
		t.Fatalf("downloaded %d bytes, not the %d stored", len(res.body), len(want))
	}
	if got := res.header.Get("Content-Length"); got != strconv.Itoa(len(want)) {
		t.Errorf("Content-Length %q, want %d", got, len(want))
	}
	if got := res.header.Get("Content-Type"); !strings.Contains(got, "spreadsheetml") {
		t.Errorf("Content-Type %q", got)
	}
	if got := res.header.Get("Content-Disposition"); !strings.Contains(got, "filename*=UTF-8''") {
		t.Errorf("Content-Disposition %q", got)
	}
}

// TestExportDownloadProblems: a download that cannot be sent answers a
// problem before any byte of a file.
func TestExportDownloadProblems(t *testing.T) {
	f := newFixture(t)
	f.storeExport("ex-running", "admin", store.ExportRunning, 0)
	f.storeExport("ex-mine", "dist1", store.ExportDone, 100)
	now := f.clock.Now().UTC()
	must(t, f.store.InsertExportJob(context.Background(), &store.ExportJob{ID: "ex-gone", Drive: driveID, User: "admin",
		FileName: "x.xlsx", Status: store.ExportDone, Size: 100, CreatedAt: now, UpdatedAt: now}))
	tests := []struct {
		name, job string
		status    int
	}{
		{"not finished", "ex-running", http.StatusConflict},
		{"another user's", "ex-mine", http.StatusNotFound},
		{"no such job", "ex-none", http.StatusNotFound},
		{"file gone", "ex-gone", http.StatusNotFound},
	}
	for _, tt := range tests {
		res := f.do("admin", http.MethodGet, "/api/v1/exports/"+tt.job+"/download", nil, nil)
		if res.status != tt.status || res.header.Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s: %d %s %q", tt.name, res.status, res.header.Get("Content-Type"), res.body)
		}
	}
}

// TestExportStartReusesRunningJob: asking again for a large export while the
// caller's job for that drive is running answers that job; another user, or
// a job gone stale, gets a job of its own.
func TestExportStartReusesRunningJob(t *testing.T) {
	f := newFixture(t)
	f.drives.ExportLimit = 1
	f.storeExport("ex-running", "admin", store.ExportRunning, 0)
	start := func(as, method, path string) string {
		t.Helper()
		res := f.do(as, method, path, nil, nil)
		if res.status != http.StatusAccepted {
			t.Fatalf("%s %s as %s: %d %s", method, path, as, res.status, res.body)
		}
		return res.header.Get("Location")
	}
	running := "/api/v1/exports/ex-running"
	if got := start("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx"); got != running {
		t.Errorf("export.xlsx with a job running: %s, want %s", got, running)
	}
	if got := start("admin", http.MethodPost, "/api/v1/drives/"+driveID+"/exports"); got != running {
		t.Errorf("POST exports with a job running: %s, want %s", got, running)
	}
	if got := start("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx"); got == running || got == "" {
		t.Errorf("another user was given %q", got)
	}
	f.clock.Add(3 * time.Minute)
	if got := start("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx"); got == running || got == "" {
		t.Errorf("with the running job stale: %q", got)
	}
}
