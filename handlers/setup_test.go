package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/handlers"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// firstRun is a server on an empty database, as a bureau's first start.
type firstRun struct {
	t     *testing.T
	store *store.Store
	auth  *auth.Service
	app   *fiber.App
}

func newFirstRun(t *testing.T) *firstRun {
	s := storetest.New(t)
	a := auth.New(s, nil)
	a.BcryptCost = bcrypt.MinCost
	return &firstRun{t: t, store: s, auth: a, app: handlers.New(handlers.Deps{Store: s, Auth: a})}
}

func (r *firstRun) do(method, path, token string, body any) response {
	r.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := r.app.Test(req, 30_000)
	if err != nil {
		r.t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: raw}
}

func (r *firstRun) token() string {
	tok, err := r.auth.IssueSetupToken(context.Background())
	if err != nil {
		r.t.Fatal(err)
	}
	return tok
}

func bureauRequest(token string) map[string]any {
	return map[string]any{"token": token, "code": "420222", "name": "阳新县教育局", "level": "county", "admin": "yx-admin"}
}

// TestSetupFromTheWeb: on an empty database the page is offered; a wrong
// token or a bad field changes nothing; the right token creates the county
// bureau and its admin and answers the one-time password once; then the
// page is gone and every token useless.
func TestSetupFromTheWeb(t *testing.T) {
	r := newFirstRun(t)
	ctx := context.Background()
	if res := r.do(http.MethodGet, "/api/v1/setup", "", nil); res.status != 200 || res.json()["needed"] != true {
		t.Fatalf("GET /setup on an empty database: %d %s", res.status, res.body)
	}
	token := r.token()
	for _, tc := range []struct {
		name   string
		body   map[string]any
		status int
		field  string
	}{
		{"wrong token", bureauRequest("0123456789abcdef0123456789abcdef"), 403, "token"},
		{"no token", bureauRequest(""), 403, "token"},
		{"token with a space", bureauRequest(" " + token[1:]), 403, "token"},
		{"bad code", func() map[string]any { b := bureauRequest(token); b["code"] = "42022"; return b }(), 422, "code"},
		{"bad level", func() map[string]any { b := bureauRequest(token); b["level"] = "district"; return b }(), 422, "level"},
		{"bad admin", func() map[string]any { b := bureauRequest(token); b["admin"] = "x"; return b }(), 422, "admin"},
		{"name with an override", func() map[string]any { b := bureauRequest(token); b["name"] = "阳新\u202e县"; return b }(), 422, "name"},
	} {
		res := r.do(http.MethodPost, "/api/v1/setup", "", tc.body)
		if res.status != tc.status || !strings.Contains(string(res.body), `"field":"`+tc.field+`"`) {
			t.Errorf("%s: %d %s; want %d on %s", tc.name, res.status, res.body, tc.status, tc.field)
		}
	}
	if n, _ := r.store.CountUsers(ctx); n != 0 {
		t.Fatalf("refused setups created %d users", n)
	}
	res := r.do(http.MethodPost, "/api/v1/setup", "", bureauRequest(token))
	password, _ := res.json()["password"].(string)
	if res.status != 201 || len(password) != 12 || res.header.Get("Cache-Control") != "no-store" {
		t.Fatalf("setup: %d %s %v", res.status, res.body, res.header)
	}
	root, err := r.store.Org(ctx, "420222")
	if err != nil || root.Kind != store.KindCounty || len(root.Path) != 1 || root.Name != "阳新县教育局" {
		t.Fatalf("root org %+v, %v", root, err)
	}
	if res := r.do(http.MethodGet, "/api/v1/setup", "", nil); res.json()["needed"] != false {
		t.Fatalf("GET /setup after setup: %s", res.body)
	}
	again := bureauRequest(token)
	again["code"] = "420281"
	if res := r.do(http.MethodPost, "/api/v1/setup", "", again); res.status != 409 || !strings.Contains(string(res.body), "阳新县教育局") {
		t.Fatalf("the used token again: %d %s", res.status, res.body)
	}
	if roots, _ := r.store.RootOrgs(ctx); len(roots) != 1 {
		t.Fatalf("%d roots after a second setup", len(roots))
	}

	// The admin signs in with the one-time password: nothing but changing it is allowed.
	login := r.do(http.MethodPost, "/api/v1/auth/login", "", map[string]string{"username": "yx-admin", "password": password})
	tok, _ := login.json()["token"].(string)
	if login.status != 200 || login.json()["user"].(map[string]any)["mustChangePassword"] != true {
		t.Fatalf("login: %d %s", login.status, login.body)
	}
	for _, path := range []string{"/api/v1/users", "/api/v1/orgs", "/api/v1/drives"} {
		res := r.do(http.MethodGet, path, tok, nil)
		if res.status != 403 || res.json()["code"] != "password_change_required" {
			t.Errorf("GET %s before the change: %d %s", path, res.status, res.body)
		}
	}
	if res := r.do(http.MethodGet, "/api/v1/me", tok, nil); res.status != 200 {
		t.Fatalf("GET /me: %d %s", res.status, res.body)
	}
	if res := r.do(http.MethodPost, "/api/v1/me/password", tok, map[string]string{"old": password, "new": password}); res.status != 422 {
		t.Fatalf("the same password again: %d %s", res.status, res.body)
	}
	if res := r.do(http.MethodPost, "/api/v1/me/password", tok, map[string]string{"old": password, "new": "阳新 county 2027"}); res.status != 204 {
		t.Fatalf("change: %d %s", res.status, res.body)
	}
	if res := r.do(http.MethodGet, "/api/v1/users", tok, nil); res.status != 200 {
		t.Fatalf("GET /users after the change: %d %s", res.status, res.body)
	}
}

// TestSetupOnce: two first runs at once, each with a valid token: one
// bureau, one admin, one password.
func TestSetupOnce(t *testing.T) {
	r := newFirstRun(t)
	tokens := []string{r.token(), r.token()} // two instances started
	codes := []string{"420222", "420281"}
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i := range 2 {
		wg.Go(func() {
			b := bureauRequest(tokens[i])
			b["code"], b["admin"] = codes[i], "admin-"+codes[i]
			statuses[i] = r.do(http.MethodPost, "/api/v1/setup", "", b).status
		})
	}
	wg.Wait()
	if statuses[0]+statuses[1] != 201+409 {
		t.Fatalf("statuses %v, want one 201 and one 409", statuses)
	}
	roots, _ := r.store.RootOrgs(context.Background())
	users, _ := r.store.CountUsers(context.Background())
	if len(roots) != 1 || users != 1 {
		t.Fatalf("%d roots and %d users", len(roots), users)
	}
}

// TestSetupWrongTokensLimited: an address that sent ten wrong tokens
// waits, even with the right one.
func TestSetupWrongTokensLimited(t *testing.T) {
	r := newFirstRun(t)
	token := r.token()
	for i := range 10 {
		if res := r.do(http.MethodPost, "/api/v1/setup", "", bureauRequest(strings.Repeat("0", 32))); res.status != 403 {
			t.Fatalf("wrong token %d: %d", i, res.status)
		}
	}
	res := r.do(http.MethodPost, "/api/v1/setup", "", bureauRequest(token))
	if res.status != 429 || res.header.Get("Retry-After") == "" {
		t.Fatalf("after ten wrong tokens: %d %v %s", res.status, res.header, res.body)
	}
}
