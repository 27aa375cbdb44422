package auth

import (
	"runtime"

	"golang.org/x/crypto/bcrypt"
)

// hashGate runs bcrypt, the costliest work of any request, a few at a time.
// A burst of sign-ins gets through no faster with every hash at once; it
// only starves the requests around it (submissions, and the database
// connections the sign-ins themselves wait for) until they time out.
// Callers waiting their turn take no core.
type hashGate chan struct{}

func newHashGate() hashGate { return make(hashGate, runtime.GOMAXPROCS(0)) }

// compare checks a password against its hash; nil means they match.
func (g hashGate) compare(hash []byte, password string) error {
	g <- struct{}{}
	defer func() { <-g }()
	return bcrypt.CompareHashAndPassword(hash, []byte(password))
}

// generate hashes a password at cost.
func (g hashGate) generate(password string, cost int) ([]byte, error) {
	g <- struct{}{}
	defer func() { <-g }()
	return bcrypt.GenerateFromPassword([]byte(password), cost)
}
