package auth

import (
	"context"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestSignInWaitsForAHashingSlot fills every bcrypt slot: a sign-in waits
// for one instead of hashing beside them, and goes through once one frees.
func TestSignInWaitsForAHashingSlot(t *testing.T) {
	s := storetest.New(t)
	a := New(s, nil)
	a.BcryptCost = bcrypt.MinCost
	hash, err := a.HashPassword("right-password")
	if err != nil {
		t.Fatal(err)
	}
	if err := s.InsertUser(context.Background(), &store.User{ID: "u1", Username: "u1", Role: store.RoleSchool,
		Org: "x", OrgPath: []string{"x"}, PasswordHash: hash}); err != nil {
		t.Fatal(err)
	}
	for range cap(a.hashing) {
		a.hashing <- struct{}{}
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := a.Login(context.Background(), "u1", "right-password", "10.0.0.1")
		done <- err
	}()
	select {
	case err := <-done:
		t.Fatalf("signed in (%v) while every hashing slot was taken", err)
	case <-time.After(300 * time.Millisecond):
	}
	<-a.hashing
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("sign-in after a slot freed: %v", err)
		}
	case <-time.After(time.Minute):
		t.Fatal("the sign-in never got a freed slot")
	}
}
