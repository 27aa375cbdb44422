package auth_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// clock is a settable time for lockout and expiry tests.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

func setup(t *testing.T) (*auth.Service, *clock) {
	s := storetest.New(t)
	c := &clock{now: time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)}
	a := auth.New(s, c.Now)
	a.BcryptCost = bcrypt.MinCost
	hash, err := a.HashPassword("right-password")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"13800000001", "other"} {
		if err := s.InsertUser(context.Background(), &store.User{ID: name, Username: name, Role: store.RoleSchool, Org: "x", OrgPath: []string{"x"}, PasswordHash: hash}); err != nil {
			t.Fatal(err)
		}
	}
	return a, c
}

func TestLoginAndTokens(t *testing.T) {
	a, c := setup(t)
	ctx := context.Background()
	token, u, err := a.Login(ctx, "13800000001", "right-password", "10.0.0.1")
	if err != nil || u.ID != "13800000001" {
		t.Fatalf("login: %v", err)
	}
	if len(token) < 43 { // 32 random bytes, base64
		t.Fatalf("token too short: %d", len(token))
	}
	if got, err := a.Authenticate(ctx, token); err != nil || got.ID != u.ID {
		t.Fatalf("authenticate: %v", err)
	}
	if _, err := a.Authenticate(ctx, token+"x"); !fail.Is(err, fail.Unauthorized) {
		t.Fatalf("tampered token: %v", err)
	}
	c.Add(13 * time.Hour)
	if _, err := a.Authenticate(ctx, token); !fail.Is(err, fail.Unauthorized) {
		t.Fatalf("expired token accepted: %v", err)
	}
	token, _, _ = a.Login(ctx, "13800000001", "right-password", "10.0.0.1")
	if err := a.Logout(ctx, token); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, token); !fail.Is(err, fail.Unauthorized) {
		t.Fatalf("token works after logout: %v", err)
	}
	if _, _, err := a.Login(ctx, "nobody", "x", "10.0.0.1"); !fail.Is(err, fail.Unauthorized) {
		t.Fatalf("unknown user: %v", err)
	}
}

func TestRateLimitPerAddress(t *testing.T) {
	a, c := setup(t)
	ctx := context.Background()
	for i := range 30 {
		if _, _, err := a.Login(ctx, fmt.Sprintf("nobody-%d", i), "x", "10.0.0.3"); !fail.Is(err, fail.Unauthorized) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
	}
	if _, _, err := a.Login(ctx, "13800000001", "right-password", "10.0.0.3"); !fail.Is(err, fail.TooMany) {
		t.Fatalf("31st attempt from one address: %v", err)
	}
	if _, _, err := a.Login(ctx, "13800000001", "right-password", "10.0.0.4"); err != nil {
		t.Fatalf("another address is limited too: %v", err)
	}
	c.Add(time.Minute)
	if _, _, err := a.Login(ctx, "13800000001", "right-password", "10.0.0.3"); err != nil {
		t.Fatalf("still limited after the window: %v", err)
	}
}

func asFail(err error, fe **fail.Error) bool {
	e, ok := err.(*fail.Error)
	*fe = e
	return ok
}

func TestPasswordChangeEndsOtherSessions(t *testing.T) {
	a, _ := setup(t)
	ctx := context.Background()
	phone, _, err := a.Login(ctx, "13800000001", "right-password", "10.0.0.5")
	if err != nil {
		t.Fatal(err)
	}
	laptop, u, _ := a.Login(ctx, "13800000001", "right-password", "10.0.0.5")
	// Both tokens are in use (and so remembered by this instance).
	for _, tok := range []string{phone, laptop} {
		if _, err := a.Authenticate(ctx, tok); err != nil {
			t.Fatal(err)
		}
	}
	if err := a.ChangePassword(ctx, u, laptop, "wrong", "a brand new password"); !fail.Is(err, fail.Invalid) {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := a.ChangePassword(ctx, u, laptop, "right-password", "short"); !fail.Is(err, fail.Invalid) {
		t.Fatalf("short new password: %v", err)
	}
	if err := a.ChangePassword(ctx, u, laptop, "right-password", "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Authenticate(ctx, phone); !fail.Is(err, fail.Unauthorized) {
		t.Fatalf("the other session survived the change: %v", err)
	}
	if _, err := a.Authenticate(ctx, laptop); err != nil {
		t.Fatalf("the changing session was ended: %v", err)
	}
	if _, _, err := a.Login(ctx, "13800000001", "right-password", "10.0.0.5"); !fail.Is(err, fail.Unauthorized) {
		t.Fatalf("old password still works: %v", err)
	}
	if _, _, err := a.Login(ctx, "13800000001", "a brand new password", "10.0.0.5"); err != nil {
		t.Fatalf("new password: %v", err)
	}
}
