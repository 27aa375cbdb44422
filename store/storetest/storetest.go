// Package storetest gives tests a real database: the embedded server,
// started once per test binary in a temporary directory, or MONGODB_URI.
package storetest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
)

var (
	uri  string
	base *store.Store
)

// Main runs a package's tests with a database server available; call it
// from TestMain.
func Main(m *testing.M) {
	os.Exit(run(m))
}

func run(m *testing.M) int {
	uri = os.Getenv("MONGODB_URI")
	if uri == "" {
		dir, err := os.MkdirTemp("", "tianbao-test-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		emb, err := store.StartEmbedded(dir, nil)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer emb.Stop(context.Background())
		uri = emb.URI
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	s, err := store.Open(ctx, uri, "tianbao_test_base")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	base = s
	defer s.Close(context.Background())
	return m.Run()
}

// URI returns the address of the test server.
func URI() string { return uri }

// New returns a store on a fresh database of its own, dropped when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	if base == nil {
		t.Fatal("storetest: call storetest.Main from TestMain")
	}
	s, err := base.Database(context.Background(), freshName())
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()) })
	return s
}

// Open connects to the test server through addr (a proxy in front of it,
// say) with a connection of its own, on a fresh database dropped when the
// test ends; it returns the store and the database's name.
func Open(t testing.TB, addr string) (*store.Store, string) {
	t.Helper()
	name := freshName()
	s, err := store.Open(context.Background(), addr, name)
	if err != nil {
		t.Fatalf("storetest: %v", err)
	}
	t.Cleanup(func() { _ = s.Drop(context.Background()); _ = s.Close(context.Background()) })
	return s, name
}

func freshName() string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "t_" + hex.EncodeToString(b)
}
