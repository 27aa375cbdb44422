package handlers_test

import (
	"net/http"
	"runtime"
	"sort"
	"sync"
	"testing"
	"time"
)

// TestTrendPeriodBound: a trend covers five years at most; the weekly
// range 2004-W01…9999-W52 is refused at once, without building anything
// (it took the server from 48 MB to 701 MB).
func TestTrendPeriodBound(t *testing.T) {
	f := newFixture(t)
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	res := f.do("admin", http.MethodGet, "/api/v1/reports/trend.xlsx?indicator=canteen&from=2004-W01&to=9999-W52", nil, nil)
	runtime.ReadMemStats(&after)
	if res.status != 422 {
		t.Fatalf("2004-W01…9999-W52: %d %s", res.status, res.body)
	}
	checkProblem(t, res.status, res.body, "to")
	if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 8 {
		t.Fatalf("a refused trend allocated %d MB", mb)
	}
	for _, c := range []struct {
		from, to string
		want     int
	}{
		{"2022-01", "2026-12", 200}, // sixty months
		{"2021-12", "2026-12", 422},
		{"2022-W01", "2026-W52", 200},
		{"2020-T1", "2024-T2", 200},
		{"2020-T1", "2025-T1", 422},
		{"2022", "2026", 200},
		{"2021", "2026", 422},
	} {
		res := f.do("admin", http.MethodGet, "/api/v1/reports/trend.xlsx?indicator=canteen&from="+c.from+"&to="+c.to, nil, nil)
		if res.status != c.want {
			t.Errorf("%s…%s: %d, want %d: %.200s", c.from, c.to, res.status, c.want, res.body)
		}
	}
}

// TestExportJobsAtOnce: twenty taps on "export" at once never build more
// than two workbooks of one user at a time; each tap gets a job (the
// running one) or 429 with a time to retry.
func TestExportJobsAtOnce(t *testing.T) {
	f := newFixture(t)
	f.addSchools(20)
	f.drives.Now = time.Now // the jobs' times tell which ran at once
	const n = 20
	var wg sync.WaitGroup
	answers := make([]response, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = f.do("admin", http.MethodPost, "/api/v1/drives/"+driveID+"/exports", nil, nil)
		}()
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, a := range answers {
		switch a.status {
		case http.StatusAccepted:
			ids[a.json()["id"].(string)] = true
		case http.StatusTooManyRequests:
			if a.header.Get("Retry-After") == "" {
				t.Errorf("429 without Retry-After")
			}
		default:
			t.Fatalf("export: %d %s", a.status, a.body)
		}
	}
	type span struct{ from, to time.Time }
	var spans []span
	for id := range ids {
		var job map[string]any
		for deadline := time.Now().Add(time.Minute); ; time.Sleep(20 * time.Millisecond) {
			job = f.do("admin", http.MethodGet, "/api/v1/exports/"+id, nil, nil).json()
			if job["status"] != "running" || time.Now().After(deadline) {
				break
			}
		}
		if job["status"] != "done" {
			t.Fatalf("job %s: %v", id, job)
		}
		from, _ := time.Parse(time.RFC3339Nano, job["createdAt"].(string))
		to, _ := time.Parse(time.RFC3339Nano, job["updatedAt"].(string))
		spans = append(spans, span{from, to})
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].from.Before(spans[j].from) })
	for i, s := range spans {
		running := 1
		for _, o := range spans[:i] {
			if o.to.After(s.from) {
				running++
			}
		}
		if running > 2 {
			t.Fatalf("%d jobs of one user built at once (%d jobs for %d taps)", running, len(spans), n)
		}
	}
	t.Logf("%d taps: %d jobs", n, len(spans))
}
