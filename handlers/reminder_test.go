package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestFailedDeliveryRecord: when a robot answers an error status, an error
// code or a redirect, the reminder is recorded as failed with a fixed reason
// and the status or code; neither the stored record nor the answer holds the
// webhook's address, its key or what the robot wrote back.
func TestFailedDeliveryRecord(t *testing.T) {
	s, dbName := storetest.Open(t, storetest.URI())
	f := newFixtureOn(t, s)
	ctx := context.Background()
	const remote = "REMOTE-BODY-7f3a"
	landed := 0
	robot := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.Copy(io.Discard, r.Body)
		switch r.URL.Path {
		case "/down":
			http.Error(w, remote+" stack trace at /srv/robot", http.StatusInternalServerError)
		case "/errcode":
			io.WriteString(w, `{"errcode":93000,"errmsg":"`+remote+` invalid webhook url"}`)
		case "/moved":
			http.Redirect(w, r, "/landed", http.StatusFound)
		case "/landed":
			landed++
			io.WriteString(w, `{"errcode":0}`)
		}
	}))
	defer robot.Close()
	allowLoopbackHooks(f)
	hosts := map[string]string{}
	for _, path := range []string{"/down", "/errcode", "/moved"} {
		res := f.do("admin", http.MethodPost, "/api/v1/webhooks", map[string]any{"org": district1, "name": path, "format": "wecom",
			"url": robot.URL + path + "?key=ROBOTKEY-" + path[1:]}, nil)
		if res.status != 201 {
			t.Fatalf("webhook %s: %d %s", path, res.status, res.body)
		}
		hosts[res.json()["id"].(string)] = path
	}
	if res := f.do("admin", http.MethodPost, "/api/v1/drives/"+driveID+"/chase", nil, nil); res.status != 200 || res.json()["sent"] != 0.0 {
		t.Fatalf("chase: %d %s", res.status, res.body)
	}
	if landed != 0 {
		t.Errorf("the sender followed a redirect")
	}
	leaks := []string{remote, "ROBOTKEY", strings.TrimPrefix(robot.URL, "http://"), "stack trace", "invalid webhook url"}

	// What is stored.
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	must(t, err)
	defer client.Disconnect(ctx)
	cur, err := client.Database(dbName).Collection("reminders").Find(ctx, bson.D{})
	must(t, err)
	var docs []bson.M
	must(t, cur.All(ctx, &docs))
	if len(docs) != 3 {
		t.Fatalf("%d reminder records, want 3", len(docs))
	}
	for _, d := range docs {
		raw, _ := json.Marshal(d)
		for _, leak := range leaks {
			if strings.Contains(string(raw), leak) {
				t.Errorf("the stored record holds %q: %s", leak, raw)
			}
		}
	}

	// What is answered, in both languages.
	want := map[string]struct{ reason, zh, en string }{
		"/down":    {"http_status", "HTTP 500", "HTTP status 500"},
		"/errcode": {"robot_error", "93000", "error code 93000"},
		"/moved":   {"http_status", "HTTP 302", "HTTP status 302"},
	}
	for _, language := range []string{"zh", "en"} {
		res := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/reminders", nil, map[string]string{"Accept-Language": language})
		if res.status != 200 {
			t.Fatalf("reminders: %d %s", res.status, res.body)
		}
		for _, leak := range leaks {
			if strings.Contains(string(res.body), leak) {
				t.Errorf("the answer shows %q: %s", leak, res.body)
			}
		}
		var list struct {
			Reminders []struct {
				Webhook string `json:"webhook"`
				Status  string `json:"status"`
				Failure *struct {
					Reason  string `json:"reason"`
					Message string `json:"message"`
				} `json:"failure"`
			} `json:"reminders"`
		}
		must(t, json.Unmarshal(res.body, &list))
		if len(list.Reminders) != 3 {
			t.Fatalf("%d reminders answered, want 3: %s", len(list.Reminders), res.body)
		}
		for _, r := range list.Reminders {
			w := want[hosts[r.Webhook]]
			text := w.zh
			if language == "en" {
				text = w.en
			}
			if r.Status != "failed" || r.Failure == nil || r.Failure.Reason != w.reason || !strings.Contains(r.Failure.Message, text) {
				t.Errorf("%s in %s: %+v, want failed with %s and a message naming %q", hosts[r.Webhook], language, r, w.reason, text)
			}
		}
	}
}

// TestWebhookTargetRefused: a reminder channel may point only at the WeCom
// and DingTalk robots over https, or at hosts the city admin allows; the
// server's own network, odd spellings of addresses and credentials in the
// URL are refused with a message naming the allowed hosts, and so is an
// allowed name that resolves to an internal address.
func TestWebhookTargetRefused(t *testing.T) {
	f := newFixture(t)
	refused := []struct{ url, says string }{
		{"http://127.0.0.1:8080/hook", "qyapi.weixin.qq.com"},
		{"https://169.254.169.254/latest/meta-data/", "qyapi.weixin.qq.com"},
		{"http://0x7f000001/hook", "qyapi.weixin.qq.com"},
		{"http://2130706433/hook", "qyapi.weixin.qq.com"},
		{"http://0177.0.0.1/hook", "qyapi.weixin.qq.com"},
		{"http://[::1]:8080/hook", "oapi.dingtalk.com"},
		{"https://10.0.0.5/hook", "oapi.dingtalk.com"},
		{"https://localhost/hook", "oapi.dingtalk.com"},
		{"https://qyapi.weixin.qq.com.attacker.example/cgi-bin/webhook/send?key=k", "qyapi.weixin.qq.com"},
		{"https://attacker.example/?to=qyapi.weixin.qq.com", "qyapi.weixin.qq.com"},
		{"http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "https"},
		{"https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send?key=k", "qyapi.weixin.qq.com"},
		{"https://robot:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", "用户名"},
		{"https://qyapi.weixin.qq.com@127.0.0.1/cgi-bin/webhook/send?key=k", "用户名"},
	}
	post := func(as, url string) response {
		return f.do(as, http.MethodPost, "/api/v1/webhooks", map[string]any{"org": district1, "name": "群", "format": "wecom", "url": url}, nil)
	}
	for _, c := range refused {
		res := post("dist1", c.url)
		if res.status != 422 || !strings.Contains(res.header.Get("Content-Type"), "problem+json") ||
			!strings.Contains(string(res.body), `"field":"url"`) || !strings.Contains(string(res.body), c.says) {
			t.Errorf("%s: %d %s, want 422 on url naming %q", c.url, res.status, res.body, c.says)
		}
	}
	// An allowed name is still refused when it resolves to this machine.
	hosts := map[string]any{"hosts": []map[string]any{{"host": "localhost", "http": true}}}
	if res := f.do("admin", http.MethodPut, "/api/v1/settings/webhook-hosts", hosts, nil); res.status != 200 {
		t.Fatalf("allow localhost: %d %s", res.status, res.body)
	}
	if res := post("dist1", "http://localhost:8080/hook"); res.status != 422 || !strings.Contains(string(res.body), "内网") {
		t.Errorf("an allowed name resolving to loopback: %d %s", res.status, res.body)
	}
	if res := f.do("admin", http.MethodGet, "/api/v1/audit", nil, nil); !strings.Contains(string(res.body), "webhook-hosts") {
		t.Errorf("the allow-list change is not audited: %s", res.body)
	}
	// Allowed by the admin and reachable by the sender, it is saved, and
	// answered with its key masked.
	f.drives.Sender = loopbackSender()
	res := post("dist1", "http://localhost:8080/cgi-bin/webhook/send?key=693a91f6-7d3e-4bc4-97a0-0ec2b1faab12")
	if res.status != 201 || res.json()["url"] != "http://localhost:8080/cgi-bin/webhook/send?key=****ab12" {
		t.Errorf("an allowed webhook: %d %s", res.status, res.body)
	}
}

// TestWebhookListMasked: nobody reads a robot's key back, its creator
// included: keys, tokens and secret-looking path parts are masked to their
// last four characters, credentials dropped, and the signing secret never
// shown.
func TestWebhookListMasked(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hooks := []struct{ url, shown string }{
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7d3e-4bc4-97a0-0ec2b1faab12",
			"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****ab12"},
		{"https://oapi.dingtalk.com/robot/send?access_token=5d1c0a8e9f7b6a5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c",
			"https://oapi.dingtalk.com/robot/send?access_token=****2b1c"},
		{"https://hooks.example.org/services/T0123ABCD/B0456EFGH/Xy9kLmNoPqRsTuVw1234?token=short",
			"https://hooks.example.org/services/****/****/****1234?token=****"},
		{"https://robot:hunter2pass@hooks.example.org/notify", "https://hooks.example.org/notify"},
	}
	for i, h := range hooks {
		must(t, f.store.InsertWebhook(ctx, &store.Webhook{ID: fmt.Sprintf("wh-%d", i), Org: district1, OrgPath: []string{city, district1},
			Name: "群", Format: "generic", URL: h.url, Secret: "SEC-signing-secret", CreatedBy: "dist1"}))
	}
	for _, as := range []string{"admin", "dist1"} {
		res := f.do(as, http.MethodGet, "/api/v1/webhooks", nil, nil)
		if res.status != 200 {
			t.Fatalf("webhooks as %s: %d %s", as, res.status, res.body)
		}
		body := strings.ReplaceAll(string(res.body), `\u0026`, "&")
		for _, h := range hooks {
			if !strings.Contains(body, `"url":"`+h.shown+`"`) {
				t.Errorf("as %s: %s is not shown as %s: %s", as, h.url, h.shown, body)
			}
		}
		for _, secret := range []string{"693a91f6", "5d1c0a8e", "Xy9kLmNo", "T0123", "short", "hunter2", "SEC-signing"} {
			if strings.Contains(body, secret) {
				t.Errorf("as %s: the list shows %q: %s", as, secret, body)
			}
		}
	}
}

// TestStoredWebhookToLoopbackNotSent: webhooks stored before today's checks,
// or whose allowed name now resolves to this machine (DNS rebinding between
// saving and sending), get nothing: the schools' contacts never reach the
// server's own network.
func TestStoredWebhookToLoopbackNotSent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	rec := newReceiver(t)
	f.drives.Sender = notify.NewSender(shanghai)
	hosts := map[string]any{"hosts": []map[string]any{{"host": "localhost", "http": true}}}
	if res := f.do("admin", http.MethodPut, "/api/v1/settings/webhook-hosts", hosts, nil); res.status != 200 {
		t.Errorf("allow localhost: %d %s", res.status, res.body)
	}
	port := rec.srv.URL[strings.LastIndex(rec.srv.URL, ":"):]
	targets := map[string]string{"wh-direct": "http://127.0.0.1" + port + "/direct", "wh-named": "http://localhost" + port + "/named"}
	for id, url := range targets {
		must(t, f.store.InsertWebhook(ctx, &store.Webhook{ID: id, Org: district1, OrgPath: []string{city, district1},
			Name: id, Format: "generic", URL: url, CreatedBy: "dist1"}))
	}
	res := f.do("dist1", http.MethodPost, "/api/v1/drives/"+driveID+"/chase", nil, nil)
	if res.status != 200 || res.json()["sent"] != 0.0 || rec.count("/direct") != 0 || rec.count("/named") != 0 {
		t.Fatalf("chase: %d %s; loopback received %d and %d", res.status, res.body, rec.count("/direct"), rec.count("/named"))
	}
	list := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/reminders", nil, nil)
	for _, want := range []string{`"webhook":"wh-direct"`, `"reason":"refused_url"`, `"webhook":"wh-named"`, `"reason":"refused_address"`} {
		if !strings.Contains(string(list.body), want) {
			t.Errorf("reminders lack %s: %s", want, list.body)
		}
	}
}
