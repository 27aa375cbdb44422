package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// sheetRows reads the account sheet of a bulk answer: its title and the
// rows under the header.
func sheetRows(t *testing.T, res response) (string, [][]string) {
	t.Helper()
	if ct := res.header.Get("Content-Type"); !strings.HasPrefix(ct, "application/vnd.openxmlformats") {
		t.Fatalf("bulk answer %d %s: %s", res.status, ct, res.body)
	}
	x, err := excelize.OpenReader(bytes.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("账号分发表")
	if err != nil || len(rows) < 3 {
		t.Fatalf("sheet rows %v, %v", rows, err)
	}
	if got := strings.Join(rows[2], ","); got != "学校代码,学校名称,用户名,初始密码,备注" {
		t.Fatalf("header %q", got)
	}
	return rows[0][0], rows[3:]
}

// TestBulkAccounts: one action gives every school in the caller's scope
// that has none an account, with a one-time password in the sheet only;
// running it again creates nothing; a district gets only its own; units
// on request; a lost sheet is issued again for accounts never used.
func TestBulkAccounts(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	res := f.do("admin", http.MethodPost, "/api/v1/users/bulk", nil, nil)
	title, rows := sheetRows(t, res)
	if res.status != 201 || res.header.Get("X-Accounts-Created") != "3" || res.header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(res.header.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("bulk: %d %v", res.status, res.header)
	}
	if !strings.Contains(title, "市教育局") || !strings.Contains(title, "账号分发表") || len(rows) != 3 {
		t.Fatalf("title %q, rows %v", title, rows)
	}
	passwords := map[string]string{}
	for _, r := range rows {
		if len(r) != 5 || r[2] != "school-"+r[0] || len(r[3]) != 12 || !strings.Contains(r[4], "修改密码") {
			t.Fatalf("row %q", r)
		}
		passwords[r[2]] = r[3]
		u, err := f.store.UserByName(ctx, r[2])
		if err != nil || u.Org != r[0] || u.Role != store.RoleSchool || !u.MustChangePassword ||
			bytes.Contains(u.PasswordHash, []byte(r[3])) || bcrypt.CompareHashAndPassword(u.PasswordHash, []byte(r[3])) != nil {
			t.Fatalf("account %s: %+v, %v", r[2], u, err)
		}
	}
	if entries, _ := f.store.Audit(ctx, 10); len(entries) < 3 || strings.Contains(strings.Join(entries[0].Changes, " "), passwords[rows[0][2]]) {
		t.Fatalf("audit entries %+v", entries)
	}

	// The school signs in: only a password change is allowed until it is done.
	name := "school-" + school1
	login := f.do("", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": name, "password": passwords[name]}, nil)
	if login.status != 200 || login.json()["user"].(map[string]any)["mustChangePassword"] != true {
		t.Fatalf("first sign-in: %d %s", login.status, login.body)
	}
	f.tokens[name] = login.json()["token"].(string)
	if res := f.do(name, http.MethodGet, "/api/v1/tasks", nil, nil); res.status != 403 || res.json()["code"] != "password_change_required" {
		t.Fatalf("tasks before the change: %d %s", res.status, res.body)
	}
	if res := f.do(name, http.MethodPost, "/api/v1/me/password", map[string]string{"old": passwords[name], "new": "a school's own password"}, nil); res.status != 204 {
		t.Fatalf("change: %d %s", res.status, res.body)
	}
	if res := f.do(name, http.MethodGet, "/api/v1/tasks", nil, nil); res.status != 200 {
		t.Fatalf("tasks after the change: %d %s", res.status, res.body)
	}

	res = f.do("admin", http.MethodPost, "/api/v1/users/bulk", nil, nil)
	if _, rows := sheetRows(t, res); res.status != 200 || len(rows) != 0 || res.header.Get("X-Accounts-Created") != "0" {
		t.Fatalf("second run: %d, %d rows", res.status, len(rows))
	}

	// A new school in district 2: district 1 has nothing to create, the city one.
	must(t, f.store.PutOrg(ctx, &store.Org{ID: "0100002002", Name: "二区第二小学", Kind: store.KindSchool, Parent: district2,
		Path: []string{city, district2, "0100002002"}, Stages: []string{forms.Primary}}))
	if _, rows := sheetRows(t, f.do("dist1", http.MethodPost, "/api/v1/users/bulk", nil, nil)); len(rows) != 0 {
		t.Fatalf("district 1 created %v", rows)
	}
	if _, rows := sheetRows(t, f.do("dist2", http.MethodPost, "/api/v1/users/bulk", nil, nil)); len(rows) != 1 || rows[0][2] != "school-0100002002" {
		t.Fatalf("district 2 created %v", rows)
	}

	res = f.do("admin", http.MethodPost, "/api/v1/users/bulk", map[string]any{"units": true}, nil)
	if _, rows := sheetRows(t, res); len(rows) != 2 || rows[0][2] != "district-"+district1 || rows[1][2] != "district-"+district2 {
		t.Fatalf("units: %v", rows)
	}

	// The sheet was lost: school accounts never used get new passwords
	// (units only when asked), the one that changed its own keeps it.
	res = f.do("admin", http.MethodPost, "/api/v1/users/bulk", map[string]any{"reissue": true}, nil)
	_, rows = sheetRows(t, res)
	if res.header.Get("X-Accounts-Reissued") != "3" || len(rows) != 3 {
		t.Fatalf("reissue: %v %v", res.header, rows)
	}
	for _, r := range rows {
		if r[2] == name {
			t.Fatalf("the account that changed its password was reissued")
		}
		if old, ok := passwords[r[2]]; ok && old == r[3] {
			t.Fatalf("%s kept its password", r[2])
		}
	}
	other := "school-" + school2
	if res := f.do("", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": other, "password": passwords[other]}, nil); res.status != 401 {
		t.Fatalf("the lost sheet's password still works: %d", res.status)
	}
	if res := f.do("admin", http.MethodPost, "/api/v1/users/bulk", map[string]any{"schools": true}, nil); res.status != 422 {
		t.Fatalf("unknown option: %d %s", res.status, res.body)
	}
}

// TestResetPasswordMustChange: an admin's reset gives a password that must
// be changed at the next sign-in.
func TestResetPasswordMustChange(t *testing.T) {
	f := newFixture(t)
	res := f.do("admin", http.MethodPost, "/api/v1/users/school1/reset-password", nil, nil)
	pw, _ := res.json()["password"].(string)
	if res.status != 200 || pw == "" {
		t.Fatalf("reset: %d %s", res.status, res.body)
	}
	login := f.do("", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": "school1", "password": pw}, nil)
	if login.status != 200 || login.json()["user"].(map[string]any)["mustChangePassword"] != true {
		t.Fatalf("sign-in after reset: %d %s", login.status, login.body)
	}
	f.tokens["school1"] = login.json()["token"].(string)
	if res := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil); res.status != 403 {
		t.Fatalf("tasks: %d", res.status)
	}
	if res := f.do("school1", http.MethodPost, "/api/v1/auth/logout", nil, nil); res.status != 204 {
		t.Fatalf("logout: %d", res.status)
	}
}
