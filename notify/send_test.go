package notify

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"testing"
)

// loopbackSender is a sender allowed to reach this machine's test servers.
func loopbackSender() *Sender {
	s := NewSender(sh)
	s.Dialable = func(a netip.Addr) bool { return a.IsLoopback() }
	return s
}

// TestDefaultSenderRefusesInternal: the default sender never connects to
// loopback, link-local (the cloud metadata address) or odd spellings of
// them, nor sends credentials, even when the admin's list names the host:
// the address is checked after resolving, on every connection.
func TestDefaultSenderRefusesInternal(t *testing.T) {
	hits := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits++
		io.WriteString(w, `{"errcode":0}`)
	}))
	defer srv.Close()
	port := srv.URL[len("http://127.0.0.1"):]
	allowed := []Host{{Name: "127.0.0.1", HTTP: true}, {Name: "localhost", HTTP: true}, {Name: "::1", HTTP: true},
		{Name: "169.254.169.254", HTTP: true}, {Name: "10.0.0.1", HTTP: true}}
	cases := []struct{ url, reason string }{
		{srv.URL + "/hook", ReasonRefusedAddress},
		{"http://localhost" + port + "/hook", ReasonRefusedAddress},
		{"http://[::1]" + port + "/hook", ReasonRefusedAddress},
		{"http://169.254.169.254/latest/meta-data/", ReasonRefusedAddress},
		{"http://10.0.0.1/hook", ReasonRefusedAddress},
		{"http://0x7f000001" + port + "/hook", ReasonRefusedURL},
		{"http://2130706433" + port + "/hook", ReasonRefusedURL},
		{"http://user:pw@127.0.0.1" + port + "/hook", ReasonRefusedURL},
	}
	s := NewSender(sh)
	for _, c := range cases {
		err := s.Send(context.Background(), allowed, Generic, c.url, "", sample())
		var f *Failure
		if !errors.As(err, &f) || f.Reason != c.reason {
			t.Errorf("%s: %v, want %s", c.url, err, c.reason)
		}
	}
	if hits != 0 {
		t.Errorf("the default sender reached loopback %d times", hits)
	}
	// The same sender allowed loopback delivers: the refusals above come
	// from the address, not from the server.
	if err := loopbackSender().Send(context.Background(), allowed, Generic, srv.URL+"/hook", "", sample()); err != nil || hits != 1 {
		t.Errorf("loopback sender: %v, %d hits", err, hits)
	}
}

// TestNoRedirect: a redirect is a failed delivery, never followed, so a
// robot address cannot bounce the message into the server's own network.
func TestNoRedirect(t *testing.T) {
	landed := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/landed" {
			landed++
			return
		}
		http.Redirect(w, r, "/landed", http.StatusTemporaryRedirect)
	}))
	defer srv.Close()
	err := loopbackSender().Send(context.Background(), local, Generic, srv.URL+"/hook", "", sample())
	var f *Failure
	if !errors.As(err, &f) || f.Reason != ReasonHTTPStatus || f.HTTPStatus != http.StatusTemporaryRedirect || landed != 0 {
		t.Errorf("redirect: %v, followed %d times", err, landed)
	}
}

// TestCheckTarget: saving a webhook resolves its host and refuses internal
// addresses with the sender's own rule.
func TestCheckTarget(t *testing.T) {
	allowed := []Host{{Name: "localhost", HTTP: true}, {Name: "127.0.0.1", HTTP: true}, {Name: "no-such-host.invalid"}}
	ctx := context.Background()
	for raw, want := range map[string]string{
		"http://localhost:8080/hook":         BadAddress,
		"http://127.0.0.1:8080/hook":         BadAddress,
		"https://no-such-host.invalid/hook":  Unresolved,
		"https://hooks.example.org/hook":     BadHost,
		"https://u:p@localhost:8080/hook":    BadUser,
		"ftp://localhost/hook":               BadURL,
		"http://localhost:8080/hook?key=abc": BadAddress,
	} {
		var ue *URLError
		if err := NewSender(sh).CheckTarget(ctx, raw, allowed); !errors.As(err, &ue) || ue.Reason != want {
			t.Errorf("%s: %v, want %s", raw, err, want)
		}
	}
	if err := loopbackSender().CheckTarget(ctx, "http://localhost:8080/hook", allowed); err != nil {
		t.Errorf("a sender allowed loopback refused it: %v", err)
	}
}

// TestPublic names the address classes the default sender refuses.
func TestPublic(t *testing.T) {
	for _, a := range []string{"127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1",
		"100.100.100.200", "0.0.0.0", "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fc00::1", "fd00:ec2::254",
		"ff02::1", "::ffff:127.0.0.1", "64:ff9b::a00:1", "2002:7f00:1::1", "192.0.0.8", "198.18.0.1"} {
		if Public(netip.MustParseAddr(a)) {
			t.Errorf("%s counted as public", a)
		}
	}
	for _, a := range []string{"101.226.103.106", "203.205.254.157", "2402:4e00::1"} {
		if !Public(netip.MustParseAddr(a)) {
			t.Errorf("%s counted as internal", a)
		}
	}
}
