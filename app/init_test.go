package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestInitCommand: flags left out are asked for on a terminal, refused
// without one; a bad value names its flag; on a MongoDB given by URI.
func TestInitCommand(t *testing.T) {
	ctx := context.Background()
	db := fmt.Sprintf("init_%d", time.Now().UnixNano())
	common := []string{"-mongodb-uri", storetest.URI(), "-db", db, "-log-level", "error"}
	defer func() {
		if s, err := store.Open(ctx, storetest.URI(), db); err == nil {
			_ = s.Drop(ctx)
			_ = s.Close(ctx)
		}
	}()
	savedIn, savedTerminal := stdin, terminal
	t.Cleanup(func() { stdin, terminal = savedIn, savedTerminal })
	for _, tc := range []struct {
		name     string
		args     []string
		terminal bool
		answers  string
		want     string // in the output, or in the error when it starts with "error: "
	}{
		{"bad code", []string{"-code", "4202", "-name", "阳新县教育局", "-level", "county", "-admin", "yx-admin"}, false, "", "error: -code"},
		{"bad level", []string{"-code", "420222", "-name", "阳新县教育局", "-level", "town", "-admin", "yx-admin"}, false, "", "error: -level"},
		{"missing flags, no terminal", []string{"-code", "420222"}, false, "", "error: usage: tianbao init"},
		{"missing flags asked for", []string{"-code", "420222"}, true, "\n阳新县教育局\ncounty\nyx-admin\n", "420222 阳新县教育局 (county)"},
		{"run again", []string{"-code", "420222", "-name", "x", "-level", "city", "-admin", "other"}, false, "", "nothing changed: 420222 阳新县教育局 (county), admin yx-admin"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			stdin, terminal = strings.NewReader(tc.answers), func() bool { return tc.terminal }
			var out bytes.Buffer
			err := run(ctx, append(append([]string{"init"}, common...), tc.args...), &out)
			if want, ok := strings.CutPrefix(tc.want, "error: "); ok {
				if err == nil || !strings.Contains(err.Error(), want) {
					t.Fatalf("err %v, want %q\n%s", err, want, out.String())
				}
				return
			}
			if err != nil || !strings.Contains(out.String(), tc.want) {
				t.Fatalf("err %v, output:\n%s\nwant %q", err, out.String(), tc.want)
			}
		})
	}
	err := run(ctx, append([]string{"seed-demo", "-demo-password", "demo-pass-1"}, common...), &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "belongs to 420222 阳新县教育局") {
		t.Fatalf("demo data into the county's database: %v", err)
	}
}

var setupTokenLine = regexp.MustCompile(`setup token ([0-9a-f]{32})`)

// TestServeOffersSetup: a server started on an empty database without
// demo data prints a setup token; the web's first run takes it once; a
// restart offers nothing.
func TestServeOffersSetup(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-mongodb-uri", "", "-data", dir, "-no-demo"}
	base, out, stop := start(t, args...)
	m := setupTokenLine.FindStringSubmatch(out.String())
	if m == nil {
		stop()
		t.Fatalf("no setup token printed:\n%s", out)
	}
	c := &client{t: t, base: base}
	req := map[string]string{"token": m[1], "code": "420000", "name": "湖北省教育厅", "level": "province", "admin": "hb-admin"}
	status, body, _ := c.call(http.MethodPost, "/api/v1/setup", req)
	if status != 201 || !strings.Contains(string(body), `"password":"`) {
		t.Fatalf("setup: %d %s", status, body)
	}
	if status, _, _ := c.call(http.MethodPost, "/api/v1/setup", req); status != 409 {
		t.Fatalf("the token again: %d", status)
	}
	stop()
	_, out, stop = start(t, args...)
	defer stop()
	if strings.Contains(out.String(), "setup token") {
		t.Fatalf("a restart offered the first run again:\n%s", out)
	}
}
