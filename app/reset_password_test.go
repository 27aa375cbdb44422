package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestResetPasswordCommand gives the top admin, whom no account may
// manage, a new password from the command line: it is printed once, the
// old one and the admin's sessions stop working, the delays its wrong
// passwords earned are forgotten, and the audit log says who did it.
func TestResetPasswordCommand(t *testing.T) {
	ctx := context.Background()
	s, db := storetest.Open(t, storetest.URI())
	a := auth.New(s, nil)
	a.BcryptCost = bcrypt.MinCost
	hash, err := a.HashPassword("old-password")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InsertUser(ctx, &store.User{ID: "admin", Username: "admin", Name: "管理员", Role: store.RoleAdmin,
		Org: "330100", OrgPath: []string{"330100"}, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	token, _, err := a.Login(ctx, "admin", "old-password", "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	for range 6 {
		_, _, err = a.Login(ctx, "admin", "wrong", "10.0.0.1")
	}
	if !fail.Is(err, fail.TooMany) {
		t.Fatalf("six wrong passwords: %v", err)
	}

	var out bytes.Buffer
	args := []string{"reset-password", "-mongodb-uri", storetest.URI(), "-db", db, "-log-level", "error"}
	if err := run(ctx, append(args, "admin"), &out); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	password := lines[len(lines)-1]
	if len(password) != 12 || strings.Contains(password, " ") {
		t.Fatalf("no new password printed:\n%s", out.String())
	}
	if _, err := a.Authenticate(ctx, token); !fail.Is(err, fail.Unauthorized) {
		t.Errorf("the admin's session survived: %v", err)
	}
	if _, _, err := a.Login(ctx, "admin", password, "10.0.0.1"); err != nil {
		t.Errorf("the new password from the address that had to wait: %v", err)
	}
	if _, _, err := a.Login(ctx, "admin", "old-password", "10.0.0.2"); !fail.Is(err, fail.Unauthorized) {
		t.Errorf("the old password: %v", err)
	}
	entries, err := s.Audit(ctx, 10)
	if err != nil || len(entries) != 1 || entries[0].By != "cli" || entries[0].Action != "user.reset_password" || entries[0].Object != "admin" {
		t.Errorf("audit: %+v, %v", entries, err)
	}
	if err := run(ctx, append(args, "nobody"), &out); err == nil || !strings.Contains(err.Error(), "no user") {
		t.Errorf("an unknown user: %v", err)
	}
}
