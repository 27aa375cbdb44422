package auth_test

import (
	"context"
	"fmt"
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// BenchmarkLogin is one sign-in against the embedded database, bcrypt at
// its minimum cost so that the database work shows. "ok" signs one user in
// again and again, alone in its collection and then among 1,000 (a city's
// schools: finding the user costs more); "wrong" sends a wrong password
// for a different user each time (run it with a fixed -benchtime such as
// 300x: every iteration has a user of its own, created before the clock
// starts). Each iteration comes from an address of its own, as phones do.
func BenchmarkLogin(b *testing.B) {
	ctx := context.Background()
	newService := func(b *testing.B, users int) *auth.Service {
		s := storetest.New(b)
		a := auth.New(s, nil)
		a.BcryptCost = bcrypt.MinCost
		hash, err := a.HashPassword("right-password")
		if err != nil {
			b.Fatal(err)
		}
		for i := range users {
			name := fmt.Sprintf("user%05d", i)
			if err := s.InsertUser(ctx, &store.User{ID: name, Username: name, Role: store.RoleSchool, Org: "x",
				OrgPath: []string{"x"}, PasswordHash: hash}); err != nil {
				b.Fatal(err)
			}
		}
		return a
	}
	addr := func(i int) string { return fmt.Sprintf("10.%d.%d.%d", i>>16&255, i>>8&255, i&255) }
	for _, users := range []int{1, 1000} {
		b.Run(fmt.Sprintf("ok/users=%d", users), func(b *testing.B) {
			a := newService(b, users)
			name := fmt.Sprintf("user%05d", users/2)
			b.ResetTimer()
			for i := range b.N {
				if _, _, err := a.Login(ctx, name, "right-password", addr(i)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	b.Run("wrong", func(b *testing.B) {
		a := newService(b, b.N)
		b.ResetTimer()
		for i := range b.N {
			if _, _, err := a.Login(ctx, fmt.Sprintf("user%05d", i), "wrong-password", addr(i)); !fail.Is(err, fail.Unauthorized) {
				b.Fatal(err)
			}
		}
	})
}
