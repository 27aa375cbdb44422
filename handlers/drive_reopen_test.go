package handlers_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
	"time"
)

// TestReopenedListScoped: after two districts each reopen a closed drive
// for one of their schools, every answer that carries the drive names
// only the reopened schools of the caller's scope.
func TestReopenedListScoped(t *testing.T) {
	f := newFixture(t)
	f.at(time.Date(2026, 12, 22, 9, 0, 0, 0, shanghai)) // the November drive is locked
	reopen := func(as, school string) []string {
		res := f.do(as, http.MethodPost, "/api/v1/drives/"+driveID+"/reopen", map[string]any{"school": school}, nil)
		if res.status != 200 {
			t.Fatalf("%s reopening %s: %d %s", as, school, res.status, res.body)
		}
		var d struct{ Reopened []string }
		must(t, json.Unmarshal(res.body, &d))
		return d.Reopened
	}
	reopen("dist1", school1)
	if got := reopen("dist2", school3); !slices.Equal(got, []string{school3}) {
		t.Fatalf("district 2's reopen answer lists %v", got)
	}
	listed := func(as, path, key string) []string {
		res := f.do(as, http.MethodGet, path, nil, nil)
		if res.status != 200 {
			t.Fatalf("%s %s: %d %s", as, path, res.status, res.body)
		}
		var body map[string][]struct {
			ID       string
			Reopened []string
			Drive    struct {
				ID       string
				Reopened []string
			}
		}
		must(t, json.Unmarshal(res.body, &body))
		for _, d := range body[key] {
			if d.ID == driveID {
				return d.Reopened
			}
			if d.Drive.ID == driveID {
				return d.Drive.Reopened
			}
		}
		t.Fatalf("%s %s: no drive %s in %s", as, path, driveID, res.body)
		return nil
	}
	for _, c := range []struct {
		as, path, key string
		want          []string
	}{
		{"admin", "/api/v1/drives", "drives", []string{school1, school3}},
		{"dist1", "/api/v1/drives", "drives", []string{school1}},
		{"dist2", "/api/v1/drives", "drives", []string{school3}},
		{"viewer1", "/api/v1/drives", "drives", []string{school1}},
		{"school1", "/api/v1/tasks", "tasks", []string{school1}},
		{"school3", "/api/v1/tasks", "tasks", []string{school3}},
		{"school2", "/api/v1/tasks", "tasks", nil},
	} {
		if got := listed(c.as, c.path, c.key); !slices.Equal(got, c.want) {
			t.Errorf("%s %s: reopened %v, want %v", c.as, c.path, got, c.want)
		}
	}
}
