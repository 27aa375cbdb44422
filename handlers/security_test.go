package handlers_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/tianbao-edu/tianbao/handlers"
	"github.com/tianbao-edu/tianbao/web"
)

// TestSecurityHeaders: API answers, error answers (those Fiber gives before
// routing included) and the phone client's page all carry a
// Content-Security-Policy that forbids framing and inline scripts, nosniff
// and a Referrer-Policy that keeps paths to this site.
func TestSecurityHeaders(t *testing.T) {
	f, tooLarge := overLimit(t)

	withWeb := handlers.New(handlers.Deps{Store: f.store, Drives: f.drives, Web: web.FS})
	index, err := withWeb.Test(httptest.NewRequest(http.MethodGet, "/", nil))
	must(t, err)
	page, _ := io.ReadAll(index.Body)
	index.Body.Close()
	if !strings.Contains(string(page), "<script") {
		t.Fatalf("not the phone client's page: %.200s", page)
	}

	me := f.do("admin", http.MethodGet, "/api/v1/me", nil, nil)
	signedOut := f.do("", http.MethodGet, "/api/v1/me", nil, nil)
	nowhere := f.do("admin", http.MethodGet, "/api/v1/nowhere", nil, nil)
	answers := []struct {
		name      string
		got, want int
		header    http.Header
	}{
		{"API answer", me.status, 200, me.header},
		{"signed out", signedOut.status, 401, signedOut.header},
		{"unknown address", nowhere.status, 404, nowhere.header},
		{"body over the limit", tooLarge.StatusCode, 413, tooLarge.Header},
		{"phone client", index.StatusCode, 200, index.Header},
	}
	for _, a := range answers {
		t.Run(a.name, func(t *testing.T) {
			if a.got != a.want {
				t.Fatalf("status %d, want %d", a.got, a.want)
			}
			csp := directives(a.header.Get("Content-Security-Policy"))
			if csp["frame-ancestors"] != "'none'" {
				t.Errorf("frame-ancestors %q", csp["frame-ancestors"])
			}
			script, ok := csp["script-src"]
			if !ok {
				script, ok = csp["default-src"]
			}
			if !ok || script == "" || strings.Contains(script, "'unsafe-inline'") || strings.Contains(script, "*") {
				t.Errorf("script-src %q", script)
			}
			if got := a.header.Get("X-Content-Type-Options"); got != "nosniff" {
				t.Errorf("X-Content-Type-Options %q", got)
			}
			switch got := a.header.Get("Referrer-Policy"); got {
			case "no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin":
			default:
				t.Errorf("Referrer-Policy %q", got)
			}
		})
	}
}

// directives splits a Content-Security-Policy into its directives.
func directives(policy string) map[string]string {
	out := map[string]string{}
	for _, d := range strings.Split(policy, ";") {
		name, value, _ := strings.Cut(strings.TrimSpace(d), " ")
		if name != "" {
			out[strings.ToLower(name)] = strings.TrimSpace(value)
		}
	}
	return out
}
