package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/handlers"
	"github.com/tianbao-edu/tianbao/planning"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// steps reads GET /checklist as "key:state:count/of" per step, and the plan.
func steps(f *fixture, as string) (string, string) {
	f.t.Helper()
	res := f.do(as, http.MethodGet, "/api/v1/checklist", nil, nil)
	if res.status != 200 {
		f.t.Fatalf("checklist as %s: %d %s", as, res.status, res.body)
	}
	var c struct {
		Plan  string
		Done  int
		Steps []struct {
			Key, State string
			Count, Of  int
			Missing    []string
		}
	}
	must(f.t, json.Unmarshal(res.body, &c))
	var out []string
	done := 0
	for _, s := range c.Steps {
		out = append(out, fmt.Sprintf("%s:%s:%d/%d%s", s.Key, s.State, s.Count, s.Of, strings.Join(s.Missing, "+")))
		if s.State == "done" {
			done++
		}
	}
	if done != c.Done {
		f.t.Errorf("done = %d, the steps say %d", c.Done, done)
	}
	return strings.Join(out, " "), c.Plan
}

// TestChecklist: the admin's getting-started list follows the data, step
// by step: units, schools, schools with an account, this year's plan, the
// frequencies of its indicators without a schedule, reminder channels and
// drives; a district sees the steps of its own part.
func TestChecklist(t *testing.T) {
	f := newFixture(t)
	got, plan := steps(f, "admin")
	want := "bureau:done:1/0 units:done:2/0 schools:done:3/0 accounts:done:3/3 plan:done:1/0 schedules:done:1/1 channels:todo:0/0 drive:done:1/0"
	if got != want || plan != "plan-2026" {
		t.Errorf("admin's checklist:\n got %s (plan %s)\nwant %s", got, plan, want)
	}
	if got, _ := steps(f, "dist1"); got != "units:optional:0/0 schools:done:2/0 accounts:done:2/2 channels:todo:0/0 drive:done:1/0" {
		t.Errorf("district 1's checklist: %s", got)
	}

	ctx := context.Background()
	must(t, f.store.PutOrg(ctx, &store.Org{ID: "0100002002", Name: "二区中学", Kind: store.KindSchool, Parent: district2,
		Path: []string{city, district2, "0100002002"}, Stages: []string{forms.Junior}}))
	allowLoopbackHooks(f)
	rec := newReceiver(t)
	if res := f.do("admin", http.MethodPost, "/api/v1/webhooks", map[string]any{"org": city, "name": "校长群", "format": "generic", "url": rec.srv.URL}, nil); res.status != 201 {
		t.Fatalf("webhook: %d %s", res.status, res.body)
	}
	plan2026 := f.do("admin", http.MethodGet, "/api/v1/plans/plan-2026", nil, nil)
	revised := map[string]any{"name": "2026 工作要点", "year": 2026, "items": []map[string]any{{"indicator": "canteen"}, {"indicator": "myopia"}}}
	if res := f.do("admin", http.MethodPut, "/api/v1/plans/plan-2026", revised, map[string]string{"If-Match": plan2026.header.Get("ETag")}); res.status != 200 {
		t.Fatalf("plan: %d %s", res.status, res.body)
	}
	got, plan = steps(f, "admin")
	want = "bureau:done:1/0 units:done:2/0 schools:done:4/0 accounts:todo:3/4 plan:done:1/0 schedules:todo:1/2termly channels:done:1/0 drive:done:1/0"
	if got != want || plan != "plan-2026" {
		t.Errorf("after a new school, a channel and a new plan:\n got %s (plan %s)\nwant %s", got, plan, want)
	}
}

// TestChecklistOfAnEmptyBureau: right after the first run only the bureau
// is done; units are optional, since a county may keep its schools right
// below it.
func TestChecklistOfAnEmptyBureau(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	catalog, err := forms.Catalog()
	must(t, err)
	must(t, s.LoadBuiltins(ctx, catalog, shanghaiNow()))
	must(t, s.PutOrg(ctx, &store.Org{ID: "420222", Name: "阳新县教育局", Kind: store.KindCounty, Path: []string{"420222"}}))
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	must(t, s.InsertUser(ctx, &store.User{ID: "admin", Username: "admin", Name: "admin", Role: store.RoleAdmin, Org: "420222",
		OrgPath: []string{"420222"}, PasswordHash: hash}))
	d := drives.New(s, shanghaiNow, shanghai, slog.New(slog.DiscardHandler))
	a := auth.New(s, shanghaiNow)
	f := &fixture{t: t, store: s, drives: d, tokens: map[string]string{}}
	f.app = handlers.New(handlers.Deps{Store: s, Auth: a, Drives: d, Planning: &planning.Service{Store: s, Now: shanghaiNow}})
	f.tokens["admin"] = f.login("admin")
	got, _ := steps(f, "admin")
	want := "bureau:done:1/0 units:optional:0/0 schools:todo:0/0 accounts:todo:0/0 plan:todo:0/0 schedules:todo:0/0 channels:todo:0/0 drive:todo:0/0"
	if got != want {
		t.Errorf("an empty bureau:\n got %s\nwant %s", got, want)
	}
}

func shanghaiNow() time.Time { return time.Date(2026, 11, 5, 10, 0, 0, 0, shanghai) }
