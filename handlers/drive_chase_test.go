package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/google/uuid"
)

type chaseAnswer struct {
	Sent     int `json:"sent"`
	Channels []struct {
		ID      string `json:"id"`
		Name    string `json:"name"`
		Format  string `json:"format"`
		OrgName string `json:"orgName"`
		Missing int    `json:"missing"`
		Outcome string `json:"outcome"`
		Failure *struct {
			Reason  string `json:"reason"`
			Message string `json:"message"`
		} `json:"failure"`
	} `json:"channels"`
}

func chase(f *fixture, as string) chaseAnswer {
	f.t.Helper()
	res := f.do(as, http.MethodPost, "/api/v1/drives/"+driveID+"/chase", nil, nil)
	if res.status != 200 {
		f.t.Fatalf("chase as %s: %d %s", as, res.status, res.body)
	}
	var a chaseAnswer
	must(f.t, json.Unmarshal(res.body, &a))
	return a
}

// TestChaseSaysWhomThroughWhich: 一键催报 answers every reminder channel
// in the caller's scope with the unit it speaks for, how many of that
// unit's schools are missing and what became of the message — sent, failed
// and why, or already sent this minute — and no channel at all when none is
// configured, so the page can say so instead of "0 sent".
func TestChaseSaysWhomThroughWhich(t *testing.T) {
	f := newFixture(t)
	allowLoopbackHooks(f)
	if a := chase(f, "admin"); a.Sent != 0 || a.Channels == nil || len(a.Channels) != 0 {
		t.Fatalf("no channel: %+v, want sent 0 and an empty list", a)
	}
	rec := newReceiver(t)
	down := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusBadGateway) }))
	defer down.Close()
	hooks := []map[string]any{
		{"org": district1, "name": "一区校长群", "format": "wecom", "url": rec.srv.URL + "/one"},
		{"org": district2, "name": "二区校长群", "format": "generic", "url": down.URL + "/two"},
	}
	for _, h := range hooks {
		if res := f.do("admin", http.MethodPost, "/api/v1/webhooks", h, nil); res.status != 201 {
			t.Fatalf("webhook %v: %d %s", h["name"], res.status, res.body)
		}
	}
	if res := create(f, "school2", uuid.NewString(), map[string]any{}, true); res.status != 201 {
		t.Fatalf("draft: %d %s", res.status, res.body)
	}

	a := chase(f, "admin")
	if a.Sent != 1 || len(a.Channels) != 2 {
		t.Fatalf("admin's chase: %+v", a)
	}
	one, two := a.Channels[0], a.Channels[1] // by channel id
	if one.Name != "一区校长群" {
		one, two = two, one
	}
	if one.Name != "一区校长群" || one.Format != "wecom" || one.OrgName != "一区" || one.Missing != 2 || one.Outcome != "sent" || one.Failure != nil {
		t.Errorf("district 1's channel: %+v", one)
	}
	if two.Name != "二区校长群" || two.OrgName != "二区" || two.Missing != 1 || two.Outcome != "failed" ||
		two.Failure == nil || two.Failure.Reason != "http_status" || two.Failure.Message != "对方应答 HTTP 502" {
		t.Errorf("district 2's channel: %+v (failure %+v)", two, two.Failure)
	}
	if rec.count("/one") != 1 {
		t.Errorf("district 1's group got %d messages, want 1", rec.count("/one"))
	}
	again := chase(f, "admin")
	for _, ch := range again.Channels {
		if ch.Name == "一区校长群" && ch.Outcome != "already_sent" {
			t.Errorf("a second tap in the same minute: %+v", again)
		}
	}

	f.clock.Add(2 * time.Minute)
	mine := chase(f, "dist1")
	if len(mine.Channels) != 1 || mine.Channels[0].Name != "一区校长群" || mine.Channels[0].Outcome != "sent" {
		t.Errorf("district 1 sees and chases only its own channel: %+v", mine)
	}
}
