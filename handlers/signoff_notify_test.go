package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestReturnsReachTheirUnits: a district's return of a submission reaches
// the district's channel naming the school, the drive's period and the
// comment with a link to the form, once, and the school's task list; the
// city's return of the district's sign-off reaches the district's channel.
// Both are listed with the drive's reminders.
func TestReturnsReachTheirUnits(t *testing.T) {
	f := newFixture(t)
	l := levels{f, t}
	rec := newReceiver(t)
	allowLoopbackHooks(f)
	f.drives.PublicURL = "https://tianbao.example.edu.cn"
	for org, path := range map[string]string{district1: "/d1", city: "/city"} {
		if res := f.do("admin", http.MethodPost, "/api/v1/webhooks", map[string]any{"org": org, "name": path, "format": "wecom", "url": rec.srv.URL + path}, nil); res.status != 201 {
			t.Fatalf("webhook: %d %s", res.status, res.body)
		}
	}
	id := uuid.NewString()
	if res := create(f, "school1", id, validValues(1), false); res.status != 201 {
		t.Fatalf("submit: %d %s", res.status, res.body)
	}
	if res := f.do("dist1", http.MethodPost, "/api/v1/submissions/"+id+"/review", map[string]any{"action": "return", "comment": "照度请复测"}, nil); res.status != 200 {
		t.Fatalf("return: %d %s", res.status, res.body)
	}
	if rec.count("/d1") != 1 || rec.count("/city") != 0 {
		t.Fatalf("the return went to d1 %d times, the city %d", rec.count("/d1"), rec.count("/city"))
	}
	msg := rec.text("/d1", 0)
	for _, want := range []string{"填报退回", "一区实验小学", "2026年11月", "照度请复测", "https://tianbao.example.edu.cn/#/form/" + driveID} {
		if !strings.Contains(msg, want) {
			t.Fatalf("the message lacks %q: %s", want, msg)
		}
	}
	if tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil); !strings.Contains(string(tasks.body), "照度请复测") {
		t.Fatalf("the task list lacks the return: %s", tasks.body)
	}
	if res := l.revise("school1", id, validValues(1)); res.status != 200 {
		t.Fatalf("resubmit: %d %s", res.status, res.body)
	}
	if res := l.approve("dist1", map[string]any{"all": true}); res.status != 200 {
		t.Fatalf("approve: %d %s", res.status, res.body)
	}
	if res := l.step("dist1", district1, map[string]any{"action": "signoff", "gaps": []string{school2}, "comment": "幼儿园本月停课"}); res.status != 200 {
		t.Fatalf("sign off: %d %s", res.status, res.body)
	}
	if res := l.step("admin", district1, map[string]any{"action": "return", "comment": "幼儿园也须填报"}); res.status != 200 {
		t.Fatalf("the city returns: %d %s", res.status, res.body)
	}
	if rec.count("/d1") != 2 || rec.count("/city") != 0 {
		t.Fatalf("the unit's return went to d1 %d times in all, the city %d", rec.count("/d1"), rec.count("/city"))
	}
	for _, want := range []string{"签收退回", "一区", "幼儿园也须填报", "#/drive/" + driveID} {
		if msg := rec.text("/d1", 1); !strings.Contains(msg, want) {
			t.Fatalf("the message lacks %q: %s", want, msg)
		}
	}
	if res := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/reminders", nil, nil); strings.Count(string(res.body), `"occasion":"return:`) != 2 {
		t.Fatalf("the returns are not listed: %s", res.body)
	}
}
