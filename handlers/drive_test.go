package handlers_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// receiver is a local webhook endpoint that keeps what it is sent.
type receiver struct {
	mu   sync.Mutex
	got  map[string][]map[string]any // by path
	srv  *httptest.Server
	fail bool
}

func newReceiver(t *testing.T) *receiver {
	r := &receiver{got: map[string][]map[string]any{}}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		raw, _ := io.ReadAll(req.Body)
		var m map[string]any
		_ = json.Unmarshal(raw, &m)
		r.mu.Lock()
		defer r.mu.Unlock()
		r.got[req.URL.Path] = append(r.got[req.URL.Path], m)
		io.WriteString(w, `{"errcode":0}`)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

// loopbackSender is a sender allowed to reach webhook receivers on this
// machine; the server's own sender reaches public addresses only.
func loopbackSender() *notify.Sender {
	s := notify.NewSender(shanghai)
	s.Dialable = func(a netip.Addr) bool { return a.IsLoopback() }
	return s
}

// allowLoopbackHooks lets the fixture's reminders reach receivers on this
// machine: its sender may dial loopback and the admin allows 127.0.0.1 over
// plain http.
func allowLoopbackHooks(f *fixture) {
	f.t.Helper()
	f.drives.Sender = loopbackSender()
	hosts := map[string]any{"hosts": []map[string]any{{"host": "127.0.0.1", "http": true}}}
	if res := f.do("admin", http.MethodPut, "/api/v1/settings/webhook-hosts", hosts, nil); res.status != 200 {
		f.t.Fatalf("allow 127.0.0.1: %d %s", res.status, res.body)
	}
}

func (r *receiver) count(path string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.got[path])
}

func (r *receiver) text(path string, i int) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	b, _ := json.Marshal(r.got[path][i])
	return string(b)
}

// TestWholeMonth runs November 2026 on a settable clock: the drive opens,
// schools save drafts and submit (one late), reminders go out before and
// after the due date in all three formats and never twice, the drive locks,
// a locked school is refused until the bureau reopens the drive for it.
func TestWholeMonth(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := newReceiver(t)
	allowLoopbackHooks(f)
	_, err := f.store.Schedules(ctx, true)
	must(t, err)
	// Reminders 3 days and 1 day before the due time and 1 day after.
	must(t, f.store.InsertSchedule(ctx, &store.Schedule{ID: "reminded", Name: "带提醒的月报", Plan: "plan-2026",
		Frequency: "monthly", DueDay: 10, CloseDay: 20, Scope: store.Scope{Org: city}, TZ: "Asia/Shanghai", Active: true,
		Reminders: []int{-72, -24, 24}, CreatedAt: time.Date(2026, 10, 20, 0, 0, 0, 0, shanghai)}))
	for _, hook := range []struct{ org, format, path string }{
		{city, "generic", "/city"}, {district1, "wecom", "/d1"}, {district2, "dingtalk", "/d2"},
	} {
		res := f.do("admin", http.MethodPost, "/api/v1/webhooks", map[string]any{"org": hook.org, "name": hook.path,
			"format": hook.format, "url": rec.srv.URL + hook.path}, nil)
		if res.status != 201 {
			t.Fatalf("webhook: %d %s", res.status, res.body)
		}
	}
	// 1 November: the scheduler catches up October and opens November.
	f.clock.Set(time.Date(2026, 11, 1, 0, 5, 0, 0, shanghai))
	n, err := f.drives.Tick(ctx)
	must(t, err)
	if n != 2 {
		t.Fatalf("tick created %d drives, want October and November", n)
	}
	drive := "reminded-2026-11"
	sub := func(as, id string, draft bool) response {
		return f.do(as, http.MethodPost, "/api/v1/drives/"+drive+"/submissions", map[string]any{"id": id, "values": validValues(1), "draft": draft}, nil)
	}
	// A draft is not a submission.
	d1 := uuid.NewString()
	if res := sub("school1", d1, true); res.status != 201 || res.json()["status"] != "draft" {
		t.Fatalf("draft: %d %s", res.status, res.body)
	}
	progress := func(as string) map[string]any {
		res := f.do(as, http.MethodGet, "/api/v1/drives/"+drive+"/progress", nil, nil)
		if res.status != 200 {
			t.Fatalf("progress: %d %s", res.status, res.body)
		}
		return res.json()["total"].(map[string]any)
	}
	if p := progress("admin"); p["expected"] != 3.0 || p["submitted"] != 0.0 || p["drafts"] != 1.0 {
		t.Fatalf("after a draft: %v", p)
	}
	// 7 December, 3 days before the due time: the first reminder.
	f.at(time.Date(2026, 12, 8, 9, 0, 0, 0, shanghai))
	sent, err := f.drives.Remind(ctx)
	must(t, err)
	if sent != 3 || rec.count("/city") != 1 || rec.count("/d1") != 1 || rec.count("/d2") != 1 {
		t.Fatalf("first reminder: sent %d", sent)
	}
	if txt := rec.text("/d1", 0); !strings.Contains(txt, "一区实验小学") || strings.Contains(txt, "二区小学") || !strings.Contains(txt, "mentioned_mobile_list") {
		t.Fatalf("district 1's WeCom message: %s", txt)
	}
	if txt := rec.text("/d2", 0); !strings.Contains(txt, "二区小学") || !strings.Contains(txt, "atMobiles") {
		t.Fatalf("district 2's DingTalk message: %s", txt)
	}
	// A second instance (or a restart) sends nothing again.
	again := drives.New(f.store, f.clock.Now, shanghai, nil)
	again.Sender = loopbackSender()
	if sent, err := again.Remind(ctx); err != nil || sent != 0 {
		t.Fatalf("second instance sent %d, %v", sent, err)
	}
	// School 1 submits its draft on time; district 2 submits.
	if res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+d1, map[string]any{"values": validValues(1)}, map[string]string{"If-Match": `"1"`}); res.status != 200 || res.json()["late"] != false {
		t.Fatalf("submit the draft: %d %s", res.status, res.body)
	}
	if res := sub("school3", uuid.NewString(), false); res.status != 201 {
		t.Fatalf("school3: %d %s", res.status, res.body)
	}
	// 10 December: the one-day reminder goes only where schools are missing.
	f.at(time.Date(2026, 12, 10, 1, 0, 0, 0, shanghai))
	sent, err = f.drives.Remind(ctx)
	must(t, err)
	if sent != 2 || rec.count("/d2") != 1 || rec.count("/d1") != 2 {
		t.Fatalf("second reminder: sent %d, d1 %d, d2 %d", sent, rec.count("/d1"), rec.count("/d2"))
	}
	// 12 December: overdue reminder; the kindergarten submits late.
	f.at(time.Date(2026, 12, 12, 8, 0, 0, 0, shanghai))
	if sent, err = f.drives.Remind(ctx); err != nil || sent != 2 {
		t.Fatalf("overdue reminder: %d %v", sent, err)
	}
	kinder := map[string]any{"canteen": validValues(0)["canteen"]}
	res := f.do("school2", http.MethodPost, "/api/v1/drives/"+drive+"/submissions", map[string]any{"id": uuid.NewString(), "values": kinder}, nil)
	if res.status != 201 || res.json()["late"] != true {
		t.Fatalf("late submission: %d %s", res.status, res.body)
	}
	if p := progress("admin"); p["submitted"] != 3.0 || p["late"] != 1.0 || p["onTime"] != 2.0 || p["missing"] != 0.0 {
		t.Fatalf("after the due date: %v", p)
	}
	// 21 December: the drive is locked.
	f.at(time.Date(2026, 12, 21, 8, 0, 0, 0, shanghai))
	if res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+d1, map[string]any{"values": validValues(2)}, map[string]string{"If-Match": `"2"`}); res.status != http.StatusLocked {
		t.Fatalf("revision after close: %d %s", res.status, res.body)
	}
	tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil)
	if !strings.Contains(string(tasks.body), `"state":"closed"`) {
		t.Fatalf("tasks after close: %s", tasks.body)
	}
	if res := f.do("dist2", http.MethodPost, "/api/v1/drives/"+drive+"/reopen", map[string]any{"school": school1}, nil); res.status != 404 {
		t.Fatalf("district 2 reopening district 1's school: %d", res.status)
	}
	if res := f.do("dist1", http.MethodPost, "/api/v1/drives/"+drive+"/reopen", map[string]any{"school": school1}, nil); res.status != 200 {
		t.Fatalf("reopen: %d %s", res.status, res.body)
	}
	if res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+d1, map[string]any{"values": validValues(2)}, map[string]string{"If-Match": `"2"`}); res.status != 200 {
		t.Fatalf("revision after reopening: %d %s", res.status, res.body)
	}
	if res := f.do("school3", http.MethodGet, "/api/v1/tasks", nil, nil); !strings.Contains(string(res.body), `"state":"closed"`) {
		t.Fatalf("reopening one school opened others: %s", res.body)
	}
	// No reminder after the drive closed.
	if sent, err := f.drives.Remind(ctx); err != nil || sent != 0 {
		t.Fatalf("reminders after close: %d %v", sent, err)
	}
}

// TestTwoSchedulers: instances ticking together create each drive once.
func TestTwoSchedulers(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	must(t, f.store.InsertSchedule(ctx, &store.Schedule{ID: "weekly", Name: "周报", Plan: "plan-2026", Frequency: "weekly",
		DueDay: 2, CloseDay: 5, Scope: store.Scope{Org: city}, TZ: "Asia/Shanghai", Active: true,
		CreatedAt: time.Date(2026, 9, 1, 0, 0, 0, 0, shanghai)}))
	var wg sync.WaitGroup
	counts := make([]int, 4)
	for i := range counts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := drives.New(f.store, f.clock.Now, shanghai, nil)
			n, err := s.Tick(ctx)
			if err != nil {
				t.Error(err)
			}
			counts[i] = n
		}()
	}
	wg.Wait()
	total := 0
	for _, n := range counts {
		total += n
	}
	all, err := f.store.Drives(ctx, time.Time{})
	must(t, err)
	weekly := 0
	for _, d := range all {
		if d.Schedule == "weekly" {
			weekly++
		}
	}
	// 1 September to 5 November 2026: ISO weeks 36 to 45.
	if weekly != 10 || total != 10 {
		t.Fatalf("weekly drives %d, created %d across instances %v", weekly, total, counts)
	}
}

// TestReviewRoundTrip: a returned submission reaches the school with the
// comment, resubmitting puts it back to submitted, approval locks it.
func TestReviewRoundTrip(t *testing.T) {
	f := newFixture(t)
	id := uuid.NewString()
	if res := create(f, "school1", id, validValues(1), false); res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	review := func(as, action, comment string) response {
		return f.do(as, http.MethodPost, "/api/v1/submissions/"+id+"/review", map[string]any{"action": action, "comment": comment}, nil)
	}
	if res := review("dist2", "return", "x"); res.status != 404 {
		t.Fatalf("sibling district review: %d", res.status)
	}
	if res := review("school1", "approve", ""); res.status != 403 {
		t.Fatalf("school reviewing: %d", res.status)
	}
	if res := review("dist1", "return", ""); res.status != 422 {
		t.Fatalf("return without a comment: %d", res.status)
	}
	if res := review("dist1", "return", "第二间教室照度请复测"); res.status != 200 || res.json()["status"] != "returned" {
		t.Fatalf("return: %d %s", res.status, res.body)
	}
	tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil)
	if !strings.Contains(string(tasks.body), `"status":"returned"`) || !strings.Contains(string(tasks.body), "第二间教室照度请复测") {
		t.Fatalf("the school does not see the return: %s", tasks.body)
	}
	if res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+id, map[string]any{"values": validValues(2)}, map[string]string{"If-Match": `"2"`}); res.status != 200 || res.json()["status"] != "submitted" {
		t.Fatalf("resubmit: %d %s", res.status, res.body)
	}
	if res := review("dist1", "approve", "ok"); res.status != 200 || res.json()["status"] != "approved" {
		t.Fatalf("approve: %d %s", res.status, res.body)
	}
	if res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+id, map[string]any{"values": validValues(1)}, map[string]string{"If-Match": `"4"`}); res.status != http.StatusLocked {
		t.Fatalf("revising an approved submission: %d %s", res.status, res.body)
	}
	revs := f.do("dist1", http.MethodGet, "/api/v1/submissions/"+id+"/revisions", nil, nil)
	for _, want := range []string{`"action":"create"`, `"action":"return"`, `"action":"submit"`, `"action":"approve"`, "第二间教室照度请复测"} {
		if !strings.Contains(string(revs.body), want) {
			t.Fatalf("history lacks %s: %s", want, revs.body)
		}
	}
}
