package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
)

// TestLoadtestRetriesWithTheSameID puts a flaky link between the phones and
// the server: of every three submissions one reaches the server but its
// answer is lost (502), one is cut before it gets there. The phones retry
// with the same id, and every submission is stored once.
func TestLoadtestRetriesWithTheSameID(t *testing.T) {
	const password = "load-test-password"
	base, db := startServer(t, password)
	target, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	server := httputil.NewSingleHostReverseProxy(target)
	var posts, lost, cut atomic.Int64
	flaky := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/submissions") {
			switch posts.Add(1) % 3 {
			case 1:
				server.ServeHTTP(httptest.NewRecorder(), r)
				lost.Add(1)
				http.Error(w, "bad gateway", http.StatusBadGateway)
				return
			case 2:
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					cut.Add(1)
					conn.Close()
				}
				return
			}
		}
		server.ServeHTTP(w, r)
	}))
	defer flaky.Close()

	var out bytes.Buffer
	err = runLoadtest(t.Context(), []string{"-url", flaky.URL, "-phones", "3", "-per-phone", "2", "-password", password,
		"-retries", "8", "-spread", "1", "-timeout", "3m"}, &out)
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	report := out.String()
	t.Log("\n" + report)
	if lost.Load() == 0 || cut.Load() == 0 {
		t.Fatalf("the link lost %d answers and cut %d requests: the retries went untested", lost.Load(), cut.Load())
	}
	for _, want := range []string{"submissions: 6 ok, 0 failed", "502=", "errors: none"} {
		if !strings.Contains(report, want) {
			t.Errorf("report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "retries: 0\n") {
		t.Errorf("no retry reported:\n%s", report)
	}
	checkStoredOnce(t, db, 2, 6, report)
}
