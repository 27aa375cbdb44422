package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/store"
)

// TestInterruptedWriteRolledForward: a write stopped after claiming its
// revision and before updating the submission (the revision is inserted
// straight into the store) is completed on the next read of the
// submission or by the next write (which is refused as stale), the
// drive's list and progress with it. (A write stopped so also leaves its
// note, which the scheduler finishes within a minute whoever reads: see
// store's TestMendFinishesInterruptedWrites.)
func TestInterruptedWriteRolledForward(t *testing.T) {
	for _, c := range []struct {
		name  string
		write bool
	}{
		{"read", false},
		{"write", true},
	} {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			ctx := context.Background()
			id := uuid.NewString()
			res := f.do("school1", http.MethodPost, "/api/v1/drives/"+driveID+"/submissions",
				map[string]any{"id": id, "values": validValues(1), "draft": true}, nil)
			if res.status != 201 {
				t.Fatalf("draft: %d %s", res.status, res.body)
			}
			sub, err := f.store.Submission(ctx, id, school1)
			must(t, err)
			next := *sub
			next.Version, next.Status, next.UpdatedAt = 2, store.StatusSubmitted, f.clock.Now().UTC().Truncate(time.Millisecond)
			next.SubmittedAt = next.UpdatedAt
			next.Values = map[string]map[string]any{"canteen": {}, "bullying": sub.Values["bullying"], "lighting": sub.Values["lighting"]}
			for k, v := range sub.Values["canteen"] {
				next.Values["canteen"][k] = v
			}
			next.Values["canteen"]["meal_days"] = 19.0
			must(t, f.store.InsertRevision(ctx, &store.Revision{ID: id + ":2", Submission: id, Version: 2, Action: "submit",
				Status: next.Status, By: "school1", At: next.UpdatedAt, Values: next.Values, State: &next}))

			if c.write {
				res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+id, map[string]any{"values": validValues(1)}, map[string]string{"If-Match": `"1"`})
				if res.status != http.StatusConflict {
					t.Fatalf("a write over the stopped one: %d %s", res.status, res.body)
				}
			}
			got := f.do("school1", http.MethodGet, "/api/v1/submissions/"+id, nil, nil)
			var read store.Submission
			must(t, json.Unmarshal(got.body, &read))
			if got.status != 200 || read.Version != 2 || read.Status != store.StatusSubmitted || read.Values["canteen"]["meal_days"] != 19.0 {
				t.Fatalf("read: %d %s", got.status, got.body)
			}
			if got.header.Get("ETag") != `"2"` {
				t.Fatalf("ETag %q", got.header.Get("ETag"))
			}
			list := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/submissions?values=1", nil, nil)
			var body struct {
				Submissions []struct {
					Version int
					Status  string
					Values  map[string]map[string]any
				}
			}
			must(t, json.Unmarshal(list.body, &body))
			if len(body.Submissions) != 1 || body.Submissions[0].Version != 2 || body.Submissions[0].Status != store.StatusSubmitted ||
				body.Submissions[0].Values["canteen"]["meal_days"] != 19.0 {
				t.Fatalf("listed: %d %s", list.status, list.body)
			}
			if p := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil).json()["total"].(map[string]any); p["submitted"] != 1.0 {
				t.Fatalf("progress: %v", p)
			}
			tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil)
			var tl struct{ Tasks []struct{ Version int } }
			must(t, json.Unmarshal(tasks.body, &tl))
			if len(tl.Tasks) != 1 || tl.Tasks[0].Version != 2 {
				t.Fatalf("tasks: %s", tasks.body)
			}
		})
	}
}
