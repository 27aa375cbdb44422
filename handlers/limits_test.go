package handlers_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// rawPost sends a request with its whole body over a new connection, as a
// client that does not wait for 100-continue, and returns the status and
// problem title it reads back. It reads while it writes.
func rawPost(t *testing.T, addr, path, token string, body []byte) (int, string, error) {
	return post(addr, path, token, body, false)
}

// post sends as rawPost does; sequential writes the whole body before
// reading the answer, as simple clients do.
func post(addr, path, token string, body []byte, sequential bool) (int, string, error) {
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		return 0, "", err
	}
	defer conn.Close()
	auth := ""
	if token != "" {
		auth = "Authorization: Bearer " + token + "\r\n"
	}
	send := func() error {
		fmt.Fprintf(conn, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nAccept-Language: en\r\n%sContent-Length: %d\r\n\r\n", path, auth, len(body))
		_, err := conn.Write(body)
		return err
	}
	if sequential {
		if err := send(); err != nil {
			return 0, "", err
		}
	} else {
		go func() { _ = send() }() // the server may stop reading: its answer is what counts
	}
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, string(b), err
}

// TestLoginBodyLimitMemory: sign-in bodies of almost 4 MB, fifty at once,
// are refused by the few-KB limit of the sign-in route before they are
// read, so the server allocates next to nothing for them (all fifty read
// whole took 200 MB; 250 took the server to 3 GB).
func TestLoginBodyLimitMemory(t *testing.T) {
	f := newFixture(t)
	addr := strings.TrimPrefix(f.serve(), "http://")
	body := []byte(`{"username":"admin","password":"` + strings.Repeat("x", 3900<<10) + `"}`)
	const n = 50

	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	statuses := make([]int, n)
	titles := make([]string, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var err error
			statuses[i], titles[i], err = rawPost(t, addr, "/api/v1/auth/login", "", body)
			if err != nil {
				t.Errorf("request %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	runtime.ReadMemStats(&after)
	for i := range n {
		if statuses[i] != 413 || !strings.Contains(titles[i], "larger than 8 KB") {
			t.Fatalf("request %d: %d %s", i, statuses[i], titles[i])
		}
	}
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("%d sign-ins of %d KB: %.1f MB allocated", n, len(body)>>10, float64(allocated)/(1<<20))
	if limit := uint64(n * len(body) / 4); allocated > limit {
		t.Fatalf("%d MB allocated for refused bodies, want under %d MB", allocated>>20, limit>>20)
	}
}

// TestBodyOverLimitSentWhole: a body over the limit sent whole, without
// waiting for 100-continue, gets its 413 rather than a reset connection:
// the server reads and drops the rest before it closes.
func TestBodyOverLimitSentWhole(t *testing.T) {
	f := newFixture(t)
	addr := strings.TrimPrefix(f.serve(), "http://")
	body := []byte(`{"id":"` + strings.Repeat("x", 5<<20) + `"}`)
	for i := range 5 {
		status, title, err := post(addr, "/api/v1/drives/"+driveID+"/submissions", f.tokens["school1"], body, true)
		if err != nil {
			t.Fatalf("attempt %d: %v", i, err)
		}
		if status != 413 || !strings.Contains(title, "larger than 4 MB") {
			t.Fatalf("attempt %d: %d %s", i, status, title)
		}
	}
}

// TestBodyLimitsByRoute: each route's limit is named in its 413; a body
// under the limit of a large route passes to the handler.
func TestBodyLimitsByRoute(t *testing.T) {
	f := newFixture(t)
	addr := strings.TrimPrefix(f.serve(), "http://")
	cases := []struct {
		path  string
		size  int
		want  int
		limit string
	}{
		{"/api/v1/auth/login", 9 << 10, 413, "8 KB"},
		{"/API/V1/AUTH/LOGIN/", 9 << 10, 413, "8 KB"},
		{"/api/v1/auth/login?x=/api/v1/plans", 9 << 10, 413, "8 KB"},
		{"/api/v1/me/password", 9 << 10, 413, "8 KB"},
		{"/api/v1/drives/" + driveID + "/chase", 65 << 10, 413, "64 KB"},
		{"/api/v1/users", 65 << 10, 413, "64 KB"},
		{"/api/v1/drives/" + driveID + "/submissions", 65 << 10, 422, ""},
		{"/api/v1/plans/extract", 65 << 10, 403, ""}, // a school may not: the body was read, the route answered
	}
	for _, c := range cases {
		body := []byte(`{"id":"` + strings.Repeat("x", c.size) + `"}`)
		status, title, err := rawPost(t, addr, c.path, f.tokens["school1"], body)
		if err != nil {
			t.Fatalf("%s: %v", c.path, err)
		}
		if status != c.want || c.limit != "" && !strings.Contains(title, "larger than "+c.limit) {
			t.Errorf("%s with %d KB: %d %s", c.path, c.size>>10, status, title)
		}
	}
}
