package notify

import (
	"errors"
	"testing"
)

// local allows this machine's test servers by name: only a sender whose
// Dialable allows loopback reaches them.
var local = []Host{{Name: "127.0.0.1", HTTP: true}}

func TestCheckURL(t *testing.T) {
	hosts := []Host{{Name: "hooks.example.org"}, {Name: "chat.example.org", HTTP: true}, {Name: "2001:4860::8888"}}
	cases := []struct {
		url, want string // "" allowed
	}{
		{"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7d3e", ""},
		{"https://oapi.dingtalk.com/robot/send?access_token=abc", ""},
		{"https://QYAPI.weixin.qq.com:443/cgi-bin/webhook/send?key=k", ""},
		{"https://hooks.example.org:8443/tianbao", ""},
		{"http://chat.example.org/hooks/1", ""},
		{"https://[2001:4860::8888]/hook", ""},
		{"http://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=k", BadScheme},
		{"http://hooks.example.org/tianbao", BadScheme},
		{"https://qyapi.weixin.qq.com:8443/cgi-bin/webhook/send", BadHost},
		{"https://robot:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send", BadUser},
		{"https://qyapi.weixin.qq.com@127.0.0.1/cgi-bin/webhook/send", BadUser},
		{"https://qyapi.weixin.qq.com.attacker.example/", BadHost},
		{"https://attacker.example/?to=qyapi.weixin.qq.com", BadHost},
		{"http://127.0.0.1:8080/", BadHost},
		{"http://localhost/", BadHost},
		{"http://169.254.169.254/latest/meta-data/", BadHost},
		{"http://0x7f000001/", BadHost},
		{"http://2130706433/", BadHost},
		{"http://0177.0.0.1/", BadHost},
		{"http://127.1/", BadHost},
		{"http://[::1]/", BadHost},
		{"http://[::ffff:127.0.0.1]/", BadHost},
		{"http://[fe80::1%25eth0]/", BadHost},
		{"https://qyapi.weixin.qq.com./cgi-bin/webhook/send", BadHost},
		{"ftp://qyapi.weixin.qq.com/", BadURL},
		{"javascript:alert(1)", BadURL},
		{"file:///etc/passwd", BadURL},
		{"http://", BadURL},
		{"not a url", BadURL},
		{"/cgi-bin/webhook/send", BadURL},
	}
	for _, c := range cases {
		err := CheckURL(c.url, hosts)
		var ue *URLError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s refused: %v", c.url, err)
		case c.want != "" && (!errors.As(err, &ue) || ue.Reason != c.want):
			t.Errorf("%s: %v, want refused for %s", c.url, err, c.want)
		}
	}
}

func TestCanonicalHost(t *testing.T) {
	for in, want := range map[string]string{
		"Hooks.Example.org": "hooks.example.org", "localhost": "localhost", "127.0.0.1": "127.0.0.1",
		"[::1]": "::1", "2001:DB8::1": "2001:db8::1", "xn--fiqs8s.example": "xn--fiqs8s.example",
	} {
		if got, err := CanonicalHost(in); err != nil || got != want {
			t.Errorf("CanonicalHost(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "0x7f000001", "2130706433", "0177.0.0.1", "127.1", "127.0.0.1.", "a..b", "-a.example",
		"a_b.example", "hooks.example.org/x", "user@host.example", "fe80::1%eth0", "例子.测试", "host.example:8080"} {
		if got, err := CanonicalHost(bad); err == nil {
			t.Errorf("CanonicalHost(%q) = %q, want an error", bad, got)
		}
	}
}

func TestMaskURL(t *testing.T) {
	for in, want := range map[string]string{
		"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7d3e-4bc4-97a0-0ec2b1faab12": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=****ab12",
		"https://oapi.dingtalk.com/robot/send?access_token=abc&x=1":                                 "https://oapi.dingtalk.com/robot/send?access_token=****&x=****",
		"https://open.feishu.cn/open-apis/bot/v2/hook/2f9e7c1a-5b3d-4e6f-8a9b-0c1d2e3f4a5b":         "https://open.feishu.cn/open-apis/bot/v2/hook/****4a5b",
		"https://u:secret@hooks.example.org/a#frag":                                                 "https://hooks.example.org/a",
		"not a url": "****",
	} {
		if got := MaskURL(in); got != want {
			t.Errorf("MaskURL(%q) = %q, want %q", in, got, want)
		}
	}
}
