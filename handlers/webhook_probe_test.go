package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestWebhookProbe: the test message of a reminder channel reaches its
// group and names the unit it speaks for; a channel that refuses says why
// in the caller's language; another unit's channel is not found.
func TestWebhookProbe(t *testing.T) {
	f := newFixture(t)
	allowLoopbackHooks(f)
	rec := newReceiver(t)
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.Write([]byte(`{"errcode":93000}`)) }))
	defer robot.Close()
	add := func(as, org, url string) string {
		res := f.do(as, http.MethodPost, "/api/v1/webhooks", map[string]any{"org": org, "name": "一区群", "format": "generic", "url": url}, nil)
		if res.status != 201 {
			t.Fatalf("webhook %s: %d %s", url, res.status, res.body)
		}
		return res.json()["id"].(string)
	}
	ok, refusing := add("dist1", district1, rec.srv.URL+"/ok"), add("dist1", district1, robot.URL)
	res := f.do("dist1", http.MethodPost, "/api/v1/webhooks/"+ok+"/test", nil, nil)
	if res.status != 200 || res.json()["ok"] != true || res.json()["failure"] != nil {
		t.Fatalf("test message: %d %s", res.status, res.body)
	}
	rec.mu.Lock()
	got := rec.got["/ok"]
	rec.mu.Unlock()
	if len(got) != 1 || !strings.Contains(got[0]["text"].(string), "【测试消息】一区") {
		t.Errorf("the group got %v", got)
	}

	res = f.do("dist1", http.MethodPost, "/api/v1/webhooks/"+refusing+"/test", nil, map[string]string{"Accept-Language": "en"})
	failure, _ := res.json()["failure"].(map[string]any)
	if res.status != 200 || res.json()["ok"] != false || failure["reason"] != "robot_error" || failure["message"] != "the robot answered error code 93000" {
		t.Errorf("refused test message: %d %s", res.status, res.body)
	}
	for _, c := range []struct{ as, id string }{{"dist2", ok}, {"admin", "wh-none"}} {
		if res := f.do(c.as, http.MethodPost, "/api/v1/webhooks/"+c.id+"/test", nil, nil); res.status != 404 {
			t.Errorf("%s tests %s: %d %s, want 404", c.as, c.id, res.status, res.body)
		}
	}
}
