package auth_test

import (
	"context"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestPasswordChangeSeenByEveryInstance: a user with a one-time password
// changes it through one instance; another, which had the user in its
// cache, knows at once (a phone is not sent back to the change screen).
func TestPasswordChangeSeenByEveryInstance(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	one, other := auth.New(s, nil), auth.New(s, nil)
	one.BcryptCost, other.BcryptCost = bcrypt.MinCost, bcrypt.MinCost
	if err := s.PutOrg(ctx, &store.Org{ID: "420222", Name: "阳新县教育局", Kind: store.KindCounty, Path: []string{"420222"}}); err != nil {
		t.Fatal(err)
	}
	admin := &store.User{ID: "cli", Role: store.RoleAdmin, Org: "420222", OrgPath: []string{"420222"}}
	u, once, err := one.CreateUser(ctx, admin, auth.NewUser{Username: "yx-district", Name: "阳新", Role: store.RoleAdmin, Org: "420222"})
	if err != nil || !u.MustChangePassword || once == "" {
		t.Fatalf("created %+v, %q, %v", u, once, err)
	}
	token, _, err := one.Login(ctx, "yx-district", once, "10.0.0.1")
	if err != nil {
		t.Fatal(err)
	}
	if u, err := other.Authenticate(ctx, token); err != nil || !u.MustChangePassword {
		t.Fatalf("before the change: %+v, %v", u, err)
	}
	if err := one.ChangePassword(ctx, u, token, once, "a password of mine"); err != nil {
		t.Fatal(err)
	}
	if u, err := other.Authenticate(ctx, token); err != nil || u.MustChangePassword {
		t.Fatalf("the other instance after the change: %+v, %v", u, err)
	}
	if _, _, err := one.Login(ctx, "yx-district", once, "10.0.0.1"); !fail.Is(err, fail.Unauthorized) {
		t.Fatalf("the one-time password after the change: %v", err)
	}
}
