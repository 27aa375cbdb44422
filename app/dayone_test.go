package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

var onceLine = regexp.MustCompile(`(?m)^([A-Za-z0-9]{12})$`)

// readAccounts returns username → one-time password from an account sheet.
func readAccounts(t *testing.T, file string) map[string]string {
	t.Helper()
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	rows, err := x.GetRows("账号分发表")
	if err != nil || len(rows) < 4 {
		t.Fatalf("account sheet: %v %v", rows, err)
	}
	out := map[string]string{}
	for _, r := range rows[3:] {
		out[r[2]] = r[3]
	}
	return out
}

// changePassword signs in with a one-time password, finds every other
// route closed until the change, changes it and returns the client.
func changePassword(t *testing.T, base, user, once, next string) *client {
	t.Helper()
	c := &client{t: t, base: base}
	status, body, _ := c.call(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": user, "password": once})
	var res struct {
		Token string
		User  struct{ MustChangePassword bool }
	}
	_ = json.Unmarshal(body, &res)
	if status != 200 || !res.User.MustChangePassword {
		t.Fatalf("%s first sign-in: %d %s", user, status, body)
	}
	c.token = res.Token
	if status, body, _ := c.call(http.MethodGet, "/api/v1/orgs", nil); status != 403 || !strings.Contains(string(body), "password_change_required") {
		t.Fatalf("%s before changing: %d %s", user, status, body)
	}
	if status, body, _ := c.call(http.MethodPost, "/api/v1/me/password", map[string]string{"old": once, "new": next}); status != 204 {
		t.Fatalf("%s change: %d %s", user, status, body)
	}
	return c
}

// TestFirstDay is a county bureau's first day from an empty data
// directory without demo data: init, the school list with its schools
// directly under the bureau, every school's account at once, a drive, and
// a school that signs in, changes its password and submits.
func TestFirstDay(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	common := []string{"-mongodb-uri", "", "-data", filepath.Join(dir, "data"), "-no-demo", "-log-level", "error"}
	cmd := func(name string, args ...string) []string { return append(append([]string{name}, common...), args...) }
	var out bytes.Buffer
	initArgs := cmd("init", "-code", "420222", "-name", "阳新县教育局", "-level", "county", "-admin", "yx-admin")
	if err := run(ctx, initArgs, &out); err != nil {
		t.Fatal(err)
	}
	m := onceLine.FindStringSubmatch(out.String())
	if m == nil || !strings.Contains(out.String(), "420222 阳新县教育局 (county)") {
		t.Fatalf("init printed:\n%s", out.String())
	}
	adminOnce := m[1]
	out.Reset()
	if err := run(ctx, initArgs, &out); err != nil || !strings.Contains(out.String(), "nothing changed") || onceLine.MatchString(out.String()) {
		t.Fatalf("init again: %v\n%s", err, out.String())
	}

	schools := writeSheet(t, []any{"学校代码", "学校名称", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"},
		[]any{"0420222001", "阳新县实验小学", "小学", "公办", "城区", 24, 900, "王老师", ""},
		[]any{"0420222002", "阳新县第二小学", "小学", "公办", "乡村", 12, 400, "李老师", ""})
	out.Reset()
	if err := run(ctx, cmd("import-schools", schools), &out); err != nil || !strings.Contains(out.String(), "created   2") {
		t.Fatalf("import-schools: %v\n%s", err, out.String())
	}
	sheet := filepath.Join(dir, "账号分发表.xlsx")
	out.Reset()
	if err := run(ctx, cmd("accounts", sheet), &out); err != nil || !strings.Contains(out.String(), "2 个账号") {
		t.Fatalf("accounts: %v\n%s", err, out.String())
	}
	accounts := readAccounts(t, sheet)
	if len(accounts) != 2 || len(accounts["school-0420222001"]) != 12 {
		t.Fatalf("accounts sheet: %v", accounts)
	}
	if err := run(ctx, cmd("accounts", sheet), &out); err == nil || !strings.Contains(err.Error(), "exists") {
		t.Fatalf("accounts over the sheet: %v", err)
	}
	out.Reset()
	if err := run(ctx, cmd("accounts", filepath.Join(dir, "again.xlsx")), &out); err != nil || !strings.Contains(out.String(), "No account was missing") {
		t.Fatalf("accounts again: %v\n%s", err, out.String())
	}

	base, log, stop := start(t, common...)
	defer stop()
	if strings.Contains(log.String(), "setup token") {
		t.Fatalf("a set-up database offers the first run:\n%s", log)
	}
	admin := changePassword(t, base, "yx-admin", adminOnce, "阳新 admin 2026")
	period := time.Now().In(shanghaiLoc(t)).Format("2006-01")
	plan := map[string]any{"id": "plan-yx", "name": "阳新县学校安全工作要点", "year": time.Now().Year(), "items": []map[string]any{
		{"indicator": "canteen"}, {"indicator": "bullying"}, {"indicator": "lighting", "frequency": "monthly"},
		{"indicator": "activity"}, {"indicator": "hazards"}}}
	if status, body, _ := admin.call(http.MethodPost, "/api/v1/plans", plan); status != 201 {
		t.Fatalf("plan: %d %s", status, body)
	}
	status, body, _ := admin.call(http.MethodPost, "/api/v1/drives", map[string]any{"name": "月度填报 " + period, "plan": "plan-yx",
		"period": period, "dueAt": time.Now().Add(240 * time.Hour), "scope": map[string]string{"org": "420222"}})
	var drive struct{ ID string }
	if _ = json.Unmarshal(body, &drive); status != 201 || drive.ID == "" {
		t.Fatalf("drive: %d %s", status, body)
	}

	school := changePassword(t, base, "school-0420222001", accounts["school-0420222001"], "实验小学 password")
	if status, tasks, _ := school.call(http.MethodGet, "/api/v1/tasks", nil); status != 200 || !strings.Contains(string(tasks), drive.ID) {
		t.Fatalf("tasks: %d %s", status, tasks)
	}
	status, form, _ := school.call(http.MethodGet, "/api/v1/drives/"+drive.ID+"/form", nil)
	if status != 200 {
		t.Fatalf("form: %d %s", status, form)
	}
	id := uuid.NewString()
	if status, body, _ := school.call(http.MethodPost, "/api/v1/drives/"+drive.ID+"/submissions", map[string]any{"id": id, "values": demoValues(t, form), "explanations": demoExplanations}); status != 201 {
		t.Fatalf("submit: %d %s", status, body)
	}
	if status, body, _ := admin.call(http.MethodGet, "/api/v1/drives/"+drive.ID+"/submissions", nil); status != 200 || !strings.Contains(string(body), id) {
		t.Fatalf("the bureau's list: %d %s", status, body)
	}
}
