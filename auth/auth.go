// Package auth signs users in and out: bcrypt passwords, opaque random
// tokens stored only as hashes, growing delays after wrong passwords (per
// account and address, and per account) and a per-address limit.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"
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
	BcryptCost int
	limiter    *limiter
	setupLimit *limiter // wrong first-run tokens per address
	hashing    hashGate
	users      *store.Cache[*store.User] // by token hash

	dummyOnce sync.Once
	dummyHash []byte // checked for unknown names, at BcryptCost
}

// userTTL is how long a resolved token is trusted without asking the
// database: a sign-out or disabling on another instance takes this long to
// reach this one.
const userTTL = 10 * time.Second

// New returns a service with the defaults: 12-hour tokens, bcrypt's default
// cost, 30 login attempts per minute per address, and the delays after
// wrong passwords of throttle.go.
func New(s *store.Store, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	return &Service{
		Store: s, Now: now, TokenTTL: 12 * time.Hour,
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

// maxPassword is the longest password in bytes: bcrypt reads no further, so
// a longer one would sign in with any ending.
const maxPassword = 72

func tooLong(field string) error {
	return fail.Field(field, "too_long", "密码最长 72 字节（约 24 个汉字）", "the password is at most 72 bytes long")
}

// dummy is a hash to check the password of an unknown name against, so that
// it costs what checking a real user's does.
func (a *Service) dummy() []byte {
	a.dummyOnce.Do(func() {
		a.dummyHash, _ = a.hashing.generate(RandomPassword(), a.BcryptCost)
	})
	return a.dummyHash
}

// Admit refuses an address over its sign-in rate before anything of its
// request is read (Login counts the attempt).
func (a *Service) Admit(ip string) error {
	if wait := a.limiter.waiting(ip); wait > 0 {
		return tooMany(wait, "登录尝试过于频繁，请稍后再试", "Too many login attempts, try again later")
	}
	return nil
}

// Login checks a username and password from a client address and returns
// a new token. An unknown name goes the same way as a known one with a
// wrong password (the same counting, answers and bcrypt work), so the
// answers tell nobody which names exist.
func (a *Service) Login(ctx context.Context, username, password, ip string) (string, *store.User, error) {
	if wait := a.limiter.take(ip); wait > 0 {
		return "", nil, tooMany(wait, "登录尝试过于频繁，请稍后再试", "Too many login attempts, try again later")
	}
	if len(password) > maxPassword {
		return "", nil, tooLong("password")
	}
	claims, err := a.claim(ctx, a.Now(), username, signInCounters(username, ip)...)
	if err != nil {
		return "", nil, err
	}
	u, err := a.Store.UserByName(ctx, username)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return "", nil, err
	}
	hash := a.dummy() // made on the first sign-in of any name, known or not
	if u != nil {
		hash = u.PasswordHash
	}
	if a.hashing.compare(hash, password) != nil || u == nil {
		return "", nil, badLogin
	}
	if err := a.forgive(ctx, claims); err != nil {
		return "", nil, err
	}
	if u.Disabled {
		return "", nil, fail.New(fail.Unauthorized, "账号已停用", "This account is disabled")
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
