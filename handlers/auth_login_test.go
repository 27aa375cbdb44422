package handlers_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"
)

// answer is a response without what differs between any two requests (the
// request id in header and body, the date).
func (r response) answer() string {
	var body map[string]any
	_ = json.Unmarshal(r.body, &body)
	delete(body, "requestId")
	var b strings.Builder
	fmt.Fprintf(&b, "%d ", r.status)
	raw, _ := json.Marshal(body)
	b.Write(raw)
	var names []string
	for k := range r.header {
		if k != "X-Request-Id" && k != "Date" {
			names = append(names, k)
		}
	}
	slices.Sort(names)
	for _, k := range names {
		fmt.Fprintf(&b, "\n%s: %s", k, strings.Join(r.header[k], ", "))
	}
	return b.String()
}

// TestSignInAnswersAlikeForUnknownNames walks a guesser's sequence (wrong
// passwords until asked to wait, a wait that passes, more wrong passwords,
// an over-long password) against a real name and an unknown one: every
// answer has the same status, body and headers, so none tells whether the
// name exists, and a 429 names its wait in Retry-After.
func TestSignInAnswersAlikeForUnknownNames(t *testing.T) {
	f := newFixture(t)
	sequence := func(name string) []string {
		var out []string
		send := func(pw string) response {
			res := f.do("", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": name, "password": pw}, nil)
			out = append(out, res.answer())
			return res
		}
		for range 6 {
			send("wrong")
		}
		res := send(password)
		wait, err := time.ParseDuration(res.header.Get("Retry-After") + "s")
		if res.status != http.StatusTooManyRequests || err != nil {
			t.Fatalf("%s: the right password after six wrong ones: %d, Retry-After %q", name, res.status, res.header.Get("Retry-After"))
		}
		f.clock.Add(wait)
		send("wrong")
		send("wrong")
		send(strings.Repeat("密", 25))
		return out
	}
	real, unknown := sequence("school1"), sequence("no-such-user")
	for i := range real {
		if real[i] != unknown[i] {
			t.Fatalf("answer %d differs:\nreal name:    %s\nunknown name: %s", i+1, real[i], unknown[i])
		}
	}
	if !strings.Contains(real[len(real)-1], `"code":"too_long","field":"password"`) {
		t.Fatalf("an over-long password: %s", real[len(real)-1])
	}
}

// TestStrangerDoesNotLockOwnerOut signs in over real connections from two
// loopback addresses: wrong passwords for the district's account from one
// leave the owner free to sign in from the other.
func TestStrangerDoesNotLockOwnerOut(t *testing.T) {
	f := newFixture(t)
	base := f.serve()
	from := func(ip string) *http.Client {
		d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
		return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: d.DialContext}}
	}
	login := func(c *http.Client, pw string) int {
		body, _ := json.Marshal(map[string]string{"username": "dist1", "password": pw})
		res, err := c.Post(base+"/api/v1/auth/login", "application/json", bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	stranger, owner := from("127.0.0.2"), from("127.0.0.3")
	var got []int
	for range 8 {
		got = append(got, login(stranger, "wrong"))
	}
	if !slices.Equal(got, []int{401, 401, 401, 401, 401, 429, 429, 429}) {
		t.Fatalf("the stranger's answers: %v", got)
	}
	if status := login(owner, password); status != http.StatusOK {
		t.Fatalf("the owner from another address: %d", status)
	}
}

// TestPasswordChangeIsThrottled: wrong current passwords sent to change
// one's password are counted; past five the caller waits, told how long by
// Retry-After, even with the right one.
func TestPasswordChangeIsThrottled(t *testing.T) {
	f := newFixture(t)
	change := func(old string) response {
		return f.do("school1", http.MethodPost, "/api/v1/me/password", map[string]string{"old": old, "new": "a brand new password"}, nil)
	}
	for i := range 5 {
		if res := change("wrong"); res.status != http.StatusUnprocessableEntity {
			t.Fatalf("wrong current password %d: %d %s", i+1, res.status, res.body)
		}
	}
	res := change(password)
	if res.status != http.StatusTooManyRequests || res.header.Get("Retry-After") == "" {
		t.Fatalf("sixth try: %d, Retry-After %q: %s", res.status, res.header.Get("Retry-After"), res.body)
	}
}

// TestSignInRateBeforeDecoding: an address over its sign-in rate is
// refused before its body is read: malformed JSON then gets 429, not 400.
func TestSignInRateBeforeDecoding(t *testing.T) {
	f := newFixture(t)
	for i := range 40 {
		res := f.do("", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": fmt.Sprintf("nobody-%d", i), "password": "x"}, nil)
		if res.status == http.StatusTooManyRequests {
			break
		}
	}
	res := f.do("", http.MethodPost, "/api/v1/auth/login", `{"username":`, nil)
	if res.status != http.StatusTooManyRequests {
		t.Fatalf("malformed sign-in over the rate: %d %s", res.status, res.body)
	}
}
