package auth_test

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// outcome is what a sign-in answered, as a client sees it.
type outcome struct {
	code  fail.Code
	wait  time.Duration
	title string
}

func (o outcome) String() string { return fmt.Sprintf("%s %s %q", o.code, o.wait, o.title) }

func outcomeOf(err error) outcome {
	if err == nil {
		return outcome{code: "ok"}
	}
	var fe *fail.Error
	if !asFail(err, &fe) {
		return outcome{code: fail.Internal, title: err.Error()}
	}
	o := outcome{code: fe.Code, wait: fe.RetryAfter, title: fe.Message.En}
	for _, f := range fe.Fields {
		o.title += " " + f.Field + ":" + f.Code
	}
	return o
}

// burst sends the sign-ins at once, each through the service of its index
// (several services are several app instances on one database), and
// returns how many were answered with each code.
func burst(services []*auth.Service, logins []login) map[fail.Code]int {
	var mu sync.Mutex
	got := map[fail.Code]int{}
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i, l := range logins {
		wg.Go(func() {
			<-start
			_, _, err := services[i%len(services)].Login(context.Background(), l.user, l.password, l.ip)
			mu.Lock()
			got[outcomeOf(err).code]++
			mu.Unlock()
		})
	}
	close(start)
	wg.Wait()
	return got
}

type login struct{ user, password, ip string }

func repeat(n int, l login) []login {
	out := make([]login, n)
	for i := range out {
		out[i] = l
	}
	return out
}

// TestConcurrentGuessesStopAtTheLimit sends wrong passwords for one account
// from one address all at once, through two app instances: no more are
// checked (answered 401) than the five the address may try, the rest are
// refused unchecked, and the right password sent in a later burst is
// refused too instead of slipping through among the guesses.
func TestConcurrentGuessesStopAtTheLimit(t *testing.T) {
	a, c := setup(t)
	other := auth.New(a.Store, c.Now)
	other.BcryptCost = bcrypt.MinCost
	instances := []*auth.Service{a, other}

	got := burst(instances, repeat(20, login{"13800000001", "wrong", "10.0.1.1"}))
	if got[fail.Unauthorized] != 5 || got[fail.TooMany] != 15 {
		t.Fatalf("20 guesses at once: %v; want 5 checked (401) and 15 refused (429)", got)
	}
	got = burst(instances, append(repeat(9, login{"13800000001", "wrong", "10.0.1.1"}), login{"13800000001", "right-password", "10.0.1.1"}))
	if got[fail.TooMany] != 10 {
		t.Fatalf("guesses and the right password after the limit: %v; want all 10 refused", got)
	}
}

// TestDistributedGuessesStopAtTheAccountCeiling sends wrong passwords for
// one account from 60 addresses at once: the account as a whole lets only
// its ceiling of 50 be checked, and the owner waits a delay, not a lock.
func TestDistributedGuessesStopAtTheAccountCeiling(t *testing.T) {
	a, c := setup(t)
	var guesses []login
	for i := range 60 {
		guesses = append(guesses, login{"13800000001", "wrong", fmt.Sprintf("10.0.2.%d", i)})
	}
	got := burst([]*auth.Service{a}, guesses)
	if got[fail.Unauthorized] != 50 || got[fail.TooMany] != 10 {
		t.Fatalf("60 guesses from 60 addresses: %v; want 50 checked and 10 refused", got)
	}
	_, _, err := a.Login(context.Background(), "13800000001", "right-password", "10.0.3.1")
	o := outcomeOf(err)
	if o.code != fail.TooMany || o.wait <= 0 || o.wait > time.Hour {
		t.Fatalf("owner after the ceiling: %v; want a bounded wait", o)
	}
	c.Add(o.wait)
	if _, _, err := a.Login(context.Background(), "13800000001", "right-password", "10.0.3.1"); err != nil {
		t.Fatalf("owner after waiting %s: %v", o.wait, err)
	}
}

// TestStrangerSlowsOnlyItself: a stranger's wrong passwords from address A
// get a delay that doubles with each further failure, while the owner signs
// in from address B; an unknown name goes through the same sequence with
// the same answers as a real one.
func TestStrangerSlowsOnlyItself(t *testing.T) {
	a, c := setup(t)
	ctx := context.Background()
	// The stranger's script: five free guesses, then a guess each time the
	// wait has passed, asked too early once in between.
	script := func(user string, afterFree func()) []outcome {
		var out []outcome
		try := func() outcome {
			_, _, err := a.Login(ctx, user, "wrong", "10.0.4.1")
			o := outcomeOf(err)
			out = append(out, o)
			return o
		}
		for range 5 {
			try()
		}
		afterFree()
		for range 4 {
			o := try()
			c.Add(o.wait)
			try()
		}
		return out
	}
	real := script("13800000001", func() {
		if _, _, err := a.Login(ctx, "13800000001", "right-password", "10.0.5.1"); err != nil {
			t.Fatalf("the owner from another address: %v", err)
		}
	})
	unknown := script("no-such-user", func() {})
	if fmt.Sprint(real) != fmt.Sprint(unknown) {
		t.Fatalf("a real and an unknown name answered differently:\nreal:    %v\nunknown: %v", real, unknown)
	}
	var waits []time.Duration
	for i, o := range real {
		want := fail.Unauthorized
		if i >= 5 && (i-5)%2 == 0 {
			want = fail.TooMany
			waits = append(waits, o.wait)
		}
		if o.code != want {
			t.Fatalf("answer %d: %v, want %s (all: %v)", i+1, o, want, real)
		}
	}
	for i := 1; i < len(waits); i++ {
		if waits[i] <= waits[i-1] {
			t.Fatalf("the delay does not grow: %v", waits)
		}
	}
	// The owner, from the stranger's address once its wait has passed,
	// signs in, which forgets that address's failures.
	_, _, err := a.Login(ctx, "13800000001", "wrong", "10.0.4.1")
	c.Add(outcomeOf(err).wait)
	if _, _, err := a.Login(ctx, "13800000001", "right-password", "10.0.4.1"); err != nil {
		t.Fatalf("the right password once the wait passed: %v", err)
	}
	for i := range 5 {
		if _, _, err := a.Login(ctx, "13800000001", "wrong", "10.0.4.1"); !fail.Is(err, fail.Unauthorized) {
			t.Fatalf("failure %d after a success: %v", i+1, err)
		}
	}
}

// TestOverlongPasswordsAreRefused: bcrypt reads 72 bytes, so a stored
// 72-byte password followed by anything would sign in; longer passwords
// are refused as such, for real and unknown names alike, and when changing
// a password.
func TestOverlongPasswordsAreRefused(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	pw := strings.Repeat("密", 24) // 72 bytes
	hash, err := a.HashPassword(pw)
	if err != nil {
		t.Fatal(err)
	}
	must(t, a.Store.InsertUser(ctx, &store.User{ID: "long", Username: "long", Role: store.RoleSchool, Org: "x",
		OrgPath: []string{"x"}, PasswordHash: hash}))
	if _, _, err := a.Login(ctx, "long", pw, "10.0.6.1"); err != nil {
		t.Fatalf("the 72-byte password: %v", err)
	}
	for _, user := range []string{"long", "no-such-user"} {
		o := outcomeOf(func() error { _, _, err := a.Login(ctx, user, pw+"x", "10.0.6.1"); return err }())
		if o.code != fail.Invalid || !strings.HasSuffix(o.title, "password:too_long") {
			t.Errorf("%s with 73 bytes: %v, want a too_long error on password", user, o)
		}
	}
	u, err := a.Store.User(ctx, "long")
	must(t, err)
	o := outcomeOf(a.ChangePassword(ctx, u, "", pw+"anything", "a brand new password"))
	if o.code != fail.Invalid || !strings.HasSuffix(o.title, "old:too_long") {
		t.Errorf("changing with an over-long current password: %v", o)
	}
}

// TestPasswordChangeGuessesAreLimited: checking the current password when
// changing it is counted like signing in: after five wrong ones the caller
// waits a delay that grows, the right one included, and is told how long.
func TestPasswordChangeGuessesAreLimited(t *testing.T) {
	a, c := setup(t)
	ctx := context.Background()
	token, u, err := a.Login(ctx, "13800000001", "right-password", "10.0.7.1")
	must(t, err)
	change := func(old string) outcome {
		return outcomeOf(a.ChangePassword(ctx, u, token, old, "a brand new password"))
	}
	for i := range 5 {
		if o := change("wrong"); o.code != fail.Invalid {
			t.Fatalf("wrong current password %d: %v", i+1, o)
		}
	}
	first := change("right-password")
	if first.code != fail.TooMany || first.wait <= 0 {
		t.Fatalf("sixth try: %v, want a wait", first)
	}
	c.Add(first.wait)
	if o := change("wrong"); o.code != fail.Invalid {
		t.Fatalf("after the wait: %v", o)
	}
	second := change("wrong")
	if second.code != fail.TooMany || second.wait <= first.wait {
		t.Fatalf("the wait does not grow: %v then %v", first, second)
	}
	c.Add(second.wait)
	if o := change("right-password"); o.code != "ok" {
		t.Fatalf("the right password once the wait passed: %v", o)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
