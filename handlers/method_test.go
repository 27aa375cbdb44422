package handlers_test

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
)

// TestMethodNotAllowed: a method a path does not take, known to the
// server (PATCH) or not (PROPFIND, made-up ones), gets 405 problem+json
// with the methods the path takes.
func TestMethodNotAllowed(t *testing.T) {
	f := newFixture(t)
	addr := strings.TrimPrefix(f.serve(), "http://")
	for _, c := range []struct{ method, path, allow string }{
		{"PATCH", "/api/v1/me", "GET"},
		{"PROPFIND", "/api/v1/me", "GET"},
		{"FOO", "/api/v1/drives", "GET, POST"},
		{"DELETE", "/api/v1/auth/login", "POST"},
		{"PATCH", "/api/v1/submissions/x", "GET, PUT"},
	} {
		conn, err := net.Dial("tcp", addr)
		must(t, err)
		defer conn.Close()
		fmt.Fprintf(conn, "%s %s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\nContent-Length: 0\r\n\r\n", c.method, c.path, f.tokens["admin"])
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		must(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != c.allow {
			t.Errorf("%s %s: %d, Allow %q: %s", c.method, c.path, res.StatusCode, res.Header.Get("Allow"), body)
			continue
		}
		checkProblem(t, res.StatusCode, body, "-")
	}
}

// TestConflictingContentLength: two different Content-Length headers get
// 400 problem+json and the connection is closed; the same length twice
// is read as one.
func TestConflictingContentLength(t *testing.T) {
	addr := strings.TrimPrefix(newFixture(t).serve(), "http://")
	for _, c := range []struct {
		lengths []int
		want    int
		field   string
	}{
		{[]int{2, 40}, 400, "-"},
		{[]int{40, 2}, 400, "-"},
		{[]int{2, 2}, 422, "username"}, // read as one: the sign-in lacks its username
	} {
		conn, err := net.Dial("tcp", addr)
		must(t, err)
		defer conn.Close()
		fmt.Fprint(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\n")
		for _, n := range c.lengths {
			fmt.Fprintf(conn, "Content-Length: %d\r\n", n)
		}
		fmt.Fprintf(conn, "Content-Type: application/json\r\n\r\n{}%s", strings.Repeat(" ", 38))
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		must(t, err)
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != c.want || c.want == 400 && !res.Close {
			t.Errorf("%v: %d, close %v: %s", c.lengths, res.StatusCode, res.Close, body)
			continue
		}
		checkProblem(t, res.StatusCode, body, c.field)
	}
}
