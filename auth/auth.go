// Package auth signs users in and out: bcrypt passwords, opaque random
// tokens stored only as hashes, account lockout and a per-address limit.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// Service signs users in and resolves tokens.
type Service struct {
	Store      *store.Store
	Now        func() time.Time
	TokenTTL   time.Duration
	MaxFails   int           // failed logins before an account locks
	LockFor    time.Duration // how long it stays locked
	BcryptCost int
	limiter    *limiter
	setupLimit *limiter // wrong first-run tokens per address
	hashing    hashGate
	users      *store.Cache[*store.User] // by token hash
}

// userTTL is how long a resolved token is trusted without asking the
// database: a sign-out or disabling on another instance takes this long to
// reach this one.
const userTTL = 10 * time.Second

// New returns a service with the defaults: 12-hour tokens, 5 failures lock
// an account for 15 minutes, 30 login attempts per minute per address.
func New(s *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{
		Store: s, Now: now, TokenTTL: 12 * time.Hour, MaxFails: 5, LockFor: 15 * time.Minute,
		BcryptCost: bcrypt.DefaultCost, limiter: newLimiter(30, time.Minute, now),
		setupLimit: newLimiter(setupAttempts, setupWindow, now),
		hashing:    newHashGate(),
		users:      store.NewCache[*store.User](userTTL, 50000, now),
	}
}

// HashPassword hashes a password with bcrypt at the service's cost.
func (a *Service) HashPassword(pw string) ([]byte, error) {
	return a.hashing.generate(pw, a.BcryptCost)
}

var badLogin = fail.New(fail.Unauthorized, "用户名或密码错误", "Wrong username or password")

// dummyHash makes a login for an unknown user cost as much as a real one.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("tianbao-dummy"), bcrypt.DefaultCost)

// Login checks a username and password from a client address and returns
// a new token.
func (a *Service) Login(ctx context.Context, username, password, ip string) (string, *store.User, error) {
	if wait := a.limiter.take(ip); wait > 0 {
		return "", nil, tooMany(wait, "登录尝试过于频繁，请稍后再试", "Too many login attempts, try again later")
	}
	u, err := a.Store.UserByName(ctx, username)
	if fail.Is(err, fail.NotFound) {
		_ = a.hashing.compare(dummyHash, password)
		return "", nil, badLogin
	}
	if err != nil {
		return "", nil, err
	}
	now := a.Now()
	if now.Before(u.LockedUntil) {
		return "", nil, tooMany(u.LockedUntil.Sub(now), "密码错误次数过多，账号已临时锁定", "Too many failed logins; the account is locked for a while")
	}
	if a.hashing.compare(u.PasswordHash, password) != nil {
		if err := a.Store.RecordLogin(ctx, u.ID, false, a.MaxFails, now.Add(a.LockFor)); err != nil {
			return "", nil, err
		}
		return "", nil, badLogin
	}
	if u.Disabled {
		return "", nil, fail.New(fail.Unauthorized, "账号已停用", "This account is disabled")
	}
	if u.FailedLogins > 0 || !u.LockedUntil.IsZero() {
		if err := a.Store.RecordLogin(ctx, u.ID, true, a.MaxFails, time.Time{}); err != nil {
			return "", nil, err
		}
	}
	token, err := a.issue(ctx, u.ID)
	return token, u, err
}

func (a *Service) issue(ctx context.Context, user string) (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	token := base64.RawURLEncoding.EncodeToString(b)
	now := a.Now()
	err := a.Store.InsertSession(ctx, &store.Session{Hash: Hash(token), User: user, CreatedAt: now, ExpiresAt: now.Add(a.TokenTTL)})
	return token, err
}

// Hash is the stored form of a token.
func Hash(token string) string {
	h := sha256.Sum256([]byte(token))
	return hex.EncodeToString(h[:])
}

var unauthenticated = fail.New(fail.Unauthorized, "请先登录", "Please sign in")

// Authenticate resolves a token to its user.
func (a *Service) Authenticate(ctx context.Context, token string) (*store.User, error) {
	if token == "" || len(token) > 100 {
		return nil, unauthenticated
	}
	hash := Hash(token)
	// A user who must change the password is read afresh: the change may
	// have been made through another instance a moment ago.
	if u, ok := a.users.Get(hash); ok && !u.MustChangePassword {
		return u, nil
	}
	sess, err := a.Store.Session(ctx, hash, a.Now())
	if fail.Is(err, fail.NotFound) {
		return nil, unauthenticated
	}
	if err != nil {
		return nil, err
	}
	u, err := a.Store.User(ctx, sess.User)
	if fail.Is(err, fail.NotFound) || (err == nil && u.Disabled) {
		return nil, unauthenticated
	}
	if err != nil {
		return nil, err
	}
	if sess.ExpiresAt.Sub(a.Now()) > userTTL {
		a.users.Put(hash, u)
	}
	return u, nil
}

// Logout ends the session of a token.
func (a *Service) Logout(ctx context.Context, token string) error {
	a.users.Forget(Hash(token))
	return a.Store.DeleteSession(ctx, Hash(token))
}

func tooMany(wait time.Duration, zh, en string) error {
	e := fail.New(fail.TooMany, zh, en)
	e.RetryAfter = wait
	return e
}
