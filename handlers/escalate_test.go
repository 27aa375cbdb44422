package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/store"
)

// TestEscalation climbs the tree on a settable clock: right after the due
// time the late school's own channel, a day later its district's naming
// its late schools, another day later the city's naming the late
// districts; each step once, each school named only while it is late.
func TestEscalation(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := newReceiver(t)
	allowLoopbackHooks(f)
	must(t, f.store.InsertSchedule(ctx, &store.Schedule{ID: "escalating", Name: "升级催报月报", Plan: "plan-2026",
		Frequency: "monthly", DueDay: 10, CloseDay: 20, Scope: store.Scope{Org: city}, TZ: "Asia/Shanghai", Active: true,
		Escalation: &store.Escalation{After: 1, Delay: 24}, CreatedAt: time.Date(2026, 10, 20, 0, 0, 0, 0, shanghai)}))
	for _, hook := range []struct{ org, path string }{{school1, "/s1"}, {district1, "/d1"}, {district2, "/d2"}, {city, "/city"}} {
		if res := f.do("admin", http.MethodPost, "/api/v1/webhooks", map[string]any{"org": hook.org, "name": hook.path,
			"format": "generic", "url": rec.srv.URL + hook.path}, nil); res.status != 201 {
			t.Fatalf("webhook %s: %d %s", hook.path, res.status, res.body)
		}
	}
	f.clock.Set(time.Date(2026, 11, 1, 0, 5, 0, 0, shanghai))
	_, err := f.drives.Tick(ctx)
	must(t, err)
	drive := "escalating-2026-11"
	d, err := f.store.Drive(ctx, drive)
	must(t, err)
	submit := func(as string, values any) {
		res := f.do(as, http.MethodPost, "/api/v1/drives/"+drive+"/submissions", map[string]any{"id": uuid.NewString(), "values": values}, nil)
		if res.status != 201 {
			t.Fatalf("%s submits: %d %s", as, res.status, res.body)
		}
	}
	step := func(hours int, wantSent int, counts map[string]int) {
		t.Helper()
		f.at(d.DueAt.Add(time.Duration(hours) * time.Hour))
		sent, err := f.drives.Escalate(ctx)
		must(t, err)
		for path, n := range counts {
			if rec.count(path) != n {
				t.Fatalf("%dh: %s got %d, want %d", hours, path, rec.count(path), n)
			}
		}
		if sent != wantSent {
			t.Fatalf("%dh: sent %d, want %d", hours, sent, wantSent)
		}
	}
	step(0, 0, map[string]int{"/s1": 0, "/d1": 0, "/d2": 0, "/city": 0})
	step(1, 1, map[string]int{"/s1": 1, "/d1": 0, "/d2": 0, "/city": 0})
	step(2, 0, map[string]int{"/s1": 1, "/d1": 0, "/d2": 0, "/city": 0})
	submit("school2", map[string]any{"canteen": validValues(0)["canteen"]})
	step(25, 2, map[string]int{"/s1": 1, "/d1": 1, "/d2": 1, "/city": 0})
	if txt := rec.text("/d1", 0); !strings.Contains(txt, "一区实验小学") || strings.Contains(txt, "一区幼儿园") {
		t.Fatalf("the district's step names: %s", txt)
	}
	submit("school3", validValues(1))
	step(49, 1, map[string]int{"/s1": 1, "/d1": 1, "/d2": 1, "/city": 1})
	if txt := rec.text("/city", 0); !strings.Contains(txt, "一区：1 所未报") || strings.Contains(txt, "二区") {
		t.Fatalf("the city's step names: %s", txt)
	}
	step(73, 0, map[string]int{"/s1": 1, "/d1": 1, "/d2": 1, "/city": 1})
	res := f.do("admin", http.MethodGet, "/api/v1/drives/"+drive+"/reminders", nil, nil)
	for _, want := range []string{"escalate0:" + school1, "escalate1:" + school1, "escalate1:" + school3, "escalate2:" + school1} {
		if strings.Count(string(res.body), `"occasion":"`+want+`"`) != 1 {
			t.Fatalf("the drive's reminders lack %s once: %s", want, res.body)
		}
	}
	if strings.Count(string(res.body), `"occasion":"escalate`) != 4 {
		t.Fatalf("more escalation records than steps: %s", res.body)
	}
}
