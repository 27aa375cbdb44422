package notify

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

var sh, _ = time.LoadLocation("Asia/Shanghai")

func sample() Reminder {
	return Reminder{Kind: "before_due", Drive: "monthly-2026-11", DriveName: "月度填报", Period: "2026-11", PeriodLabel: "2026年11月",
		DueAt: time.Date(2026, 12, 10, 16, 0, 0, 0, time.UTC), Org: "100001", OrgName: "一区教育局",
		Expected: 3, Submitted: 1, Missing: []School{
			{Code: "0100001002", Name: "一区幼儿园", Contact: "李老师", Phone: "13800000002"},
			{Code: "0100001003", Name: "一区中学", Contact: "赵老师"},
		}}
}

func TestText(t *testing.T) {
	text := sample().Text(sh)
	for _, want := range []string{"【填报提醒】2026年11月 月度填报 截止 2026年12月11日 00:00", "应报 3 所，已报 1 所，未报 2 所",
		"1. 一区幼儿园（0100001002）李老师 13800000002", "2. 一区中学（0100001003）赵老师"} {
		if !strings.Contains(text, want) {
			t.Errorf("text lacks %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "2026-11") {
		t.Errorf("the message shows the period's key:\n%s", text)
	}
}

func TestFormats(t *testing.T) {
	var got []map[string]any
	var queries []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		raw, _ := io.ReadAll(r.Body)
		var m map[string]any
		if err := json.Unmarshal(raw, &m); err != nil || r.Header.Get("Content-Type") != "application/json; charset=utf-8" {
			http.Error(w, "bad", 400)
			return
		}
		got = append(got, m)
		queries = append(queries, r.URL.RawQuery)
		io.WriteString(w, `{"errcode":0,"errmsg":"ok"}`)
	}))
	defer srv.Close()
	s := loopbackSender()
	s.Now = func() time.Time { return time.UnixMilli(1764000000000) }
	for _, f := range Formats {
		if err := s.Send(context.Background(), local, f, srv.URL+"/hook?access_token=abc", "SEC123", sample()); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
	}
	if len(got) != 3 {
		t.Fatalf("received %d messages", len(got))
	}
	wecom := got[1]["text"].(map[string]any)
	if got[1]["msgtype"] != "text" || !strings.Contains(wecom["content"].(string), "一区幼儿园") ||
		wecom["mentioned_mobile_list"].([]any)[0] != "13800000002" {
		t.Errorf("wecom: %v", got[1])
	}
	ding := got[2]
	if ding["msgtype"] != "text" || ding["at"].(map[string]any)["atMobiles"].([]any)[0] != "13800000002" {
		t.Errorf("dingtalk: %v", ding)
	}
	mac := hmac.New(sha256.New, []byte("SEC123"))
	mac.Write([]byte("1764000000000\nSEC123"))
	sign := base64.StdEncoding.EncodeToString(mac.Sum(nil))
	if !strings.Contains(queries[2], "timestamp=1764000000000") || !strings.Contains(queries[2], "access_token=abc") ||
		!strings.Contains(queries[2], "sign="+strings.NewReplacer("+", "%2B", "/", "%2F", "=", "%3D").Replace(sign)) {
		t.Errorf("dingtalk signature query: %s", queries[2])
	}
	if strings.Contains(queries[1], "sign=") {
		t.Errorf("wecom request was signed: %s", queries[1])
	}
	generic := got[0]
	if generic["event"] != "tianbao.reminder" || generic["reminder"].(map[string]any)["drive"] != "monthly-2026-11" {
		t.Errorf("generic: %v", generic)
	}
}

// TestSendErrors: a delivery that fails says why with a fixed reason and
// the status or error code, never with the address or the answer's text.
func TestSendErrors(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/500":
			http.Error(w, "REMOTE-BODY down", 500)
		case "/slow":
			<-release
		default:
			io.WriteString(w, `{"errcode":93000,"errmsg":"REMOTE-BODY invalid webhook url"}`)
		}
	}))
	defer srv.Close()
	defer close(release)
	s := loopbackSender()
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	ctx := context.Background()
	short, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	cases := []struct {
		name     string
		ctx      context.Context
		format   string
		url      string
		want     Failure
		wantText string
	}{
		{"a 500", ctx, Generic, srv.URL + "/500?key=KEY-0001", Failure{Reason: ReasonHTTPStatus, HTTPStatus: 500}, "HTTP 500"},
		{"an errcode", ctx, WeCom, srv.URL + "/x?key=KEY-0001", Failure{Reason: ReasonRobotError, ErrCode: 93000}, "错误码 93000"},
		{"an unknown format", ctx, "sms", srv.URL + "/x?key=KEY-0001", Failure{Reason: ReasonFormat}, "消息格式"},
		{"a closed port", ctx, Generic, closed.URL + "/x?key=KEY-0001", Failure{Reason: ReasonUnreachable}, "无法连接"},
		{"no answer in time", short, Generic, srv.URL + "/slow?key=KEY-0001", Failure{Reason: ReasonTimeout}, "没有应答"},
		{"a host not allowed", ctx, Generic, "https://hooks.example.org/x?key=KEY-0001", Failure{Reason: ReasonRefusedURL}, "网址不在允许的范围内"},
	}
	for _, c := range cases {
		err := s.Send(c.ctx, local, c.format, c.url, "", sample())
		var f *Failure
		if !errors.As(err, &f) || f.Reason != c.want.Reason || f.HTTPStatus != c.want.HTTPStatus || f.ErrCode != c.want.ErrCode {
			t.Errorf("%s: %v, want %+v", c.name, err, c.want)
			continue
		}
		for _, leak := range []string{"KEY-0001", "REMOTE-BODY", "/500", "/slow"} {
			if strings.Contains(err.Error(), leak) {
				t.Errorf("%s: the error names %q: %v", c.name, leak, err)
			}
		}
		if zh, en := Explain(f.Reason, f.HTTPStatus, f.ErrCode); !strings.Contains(zh, c.wantText) || en == "" {
			t.Errorf("%s: explained as %q / %q, want %q", c.name, zh, en, c.wantText)
		}
	}
}
