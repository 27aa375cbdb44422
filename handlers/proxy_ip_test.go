package handlers_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/handlers"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestTrustedProxy: behind a trusted proxy the sign-in limit counts each
// phone's own address from X-Forwarded-For; from anyone else the header
// is ignored, so nobody escapes the limit by sending it.
func TestTrustedProxy(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trusted []string
		want    int // the answer to another address once the first is limited
	}{
		{"trusted proxy", []string{"0.0.0.0"}, 401}, // app.Test's requests come from 0.0.0.0
		{"no proxy configured", nil, 429},
		{"another proxy trusted", []string{"10.0.0.0/8"}, 429},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := storetest.New(t)
			app := handlers.New(handlers.Deps{Store: s, Auth: auth.New(s, nil), TrustedProxies: tc.trusted})
			login := func(from string) int {
				req := httptest.NewRequest(http.MethodPost, "/api/v1/auth/login", strings.NewReader(`{"username":"nobody","password":"wrong"}`))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("X-Forwarded-For", from)
				res, err := app.Test(req, 30_000)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				return res.StatusCode
			}
			for range 30 {
				login("203.0.113.1")
			}
			if got := login("203.0.113.1"); got != 429 {
				t.Fatalf("the 31st attempt from one phone: %d", got)
			}
			if got := login("203.0.113.2"); got != tc.want {
				t.Fatalf("another phone: %d, want %d", got, tc.want)
			}
		})
	}
}
