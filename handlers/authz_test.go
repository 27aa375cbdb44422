package handlers_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// actors of the matrix: the city, district 1 (the objects' own district),
// district 2 (a sibling), school 1 (the objects' own school), school 3 (a
// school of the sibling district), a read-only viewer of district 1, and
// nobody signed in.
var actors = []string{"anon", "admin", "dist1", "dist2", "school1", "school3", "viewer1"}

// access is one route's expected status per actor; path may create what
// the request needs, and runs again for every actor.
type access struct {
	path func(f *fixture) string
	body any
	want map[string]int
}

func all(status int) map[string]int {
	return map[string]int{"anon": 401, "admin": status, "dist1": status, "dist2": status, "school1": status, "school3": status, "viewer1": status}
}

func roles(admin, dist1, dist2, school1, school3, viewer int) map[string]int {
	return map[string]int{"anon": 401, "admin": admin, "dist1": dist1, "dist2": dist2, "school1": school1, "school3": school3, "viewer1": viewer}
}

func fixed(p string) func(*fixture) string { return func(*fixture) string { return p } }

// TestAuthorizationMatrix walks every registered route for every actor. A
// route missing from the table fails the test, so no route ships without
// its access rules being stated and checked.
func TestAuthorizationMatrix(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.drives.Sender = notify.NewSender(shanghai)
	sub := uuid.NewString()
	if res := create(f, "school1", sub, validValues(1), false); res.status != 201 {
		t.Fatalf("fixture submission: %d %s", res.status, res.body)
	}
	must(t, f.store.InsertUser(ctx, &store.User{ID: "victim", Username: "victim", Name: "victim", Role: store.RoleSchool,
		Org: school1, OrgPath: []string{city, district1, school1}}))
	enableVictim := func(f *fixture) string {
		must(t, f.store.SetUserDisabled(ctx, "victim", city, false))
		return "victim"
	}
	job := f.do("admin", http.MethodPost, "/api/v1/drives/"+driveID+"/exports", nil, nil).json()["id"].(string)
	deadline := time.Now().Add(30 * time.Second)
	for f.do("admin", http.MethodGet, "/api/v1/exports/"+job, nil, nil).json()["status"] != "done" {
		if time.Now().After(deadline) {
			t.Fatalf("export job did not finish: %s", f.do("admin", http.MethodGet, "/api/v1/exports/"+job, nil, nil).body)
		}
		time.Sleep(50 * time.Millisecond)
	}
	webhook := func(f *fixture) string {
		res := f.do("dist1", http.MethodPost, "/api/v1/webhooks", map[string]any{"org": district1, "name": "一区群", "format": "wecom", "url": "http://127.0.0.1:9/x"}, nil)
		return res.json()["id"].(string)
	}
	drive := "/api/v1/drives/" + driveID
	bureau := roles(200, 200, 200, 403, 403, 200)
	reviewer := func(ok int) map[string]int { return roles(ok, ok, ok, 403, 403, 403) }
	invalidReviewer := reviewer(422)
	table := map[string]access{
		"GET /healthz":                           {path: fixed("/healthz"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"GET /readyz":                            {path: fixed("/readyz"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"GET /api/openapi.json":                  {path: fixed("/api/openapi.json"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"POST /api/v1/plans/extract":             {path: fixed("/api/v1/plans/extract"), body: map[string]string{"text": "一、食品安全\n1.每月开展食堂食品安全自查。"}, want: roles(200, 403, 403, 403, 403, 403)},
		"GET /api/v1/orgs":                       {path: fixed("/api/v1/orgs"), want: all(200)},
		"GET /api/v1/orgs/:id":                   {path: fixed("/api/v1/orgs/" + school1), want: roles(200, 200, 404, 200, 404, 200)},
		"POST /api/v1/orgs":                      {path: fixed("/api/v1/orgs"), body: map[string]any{"id": "0100001999", "name": "", "parent": district1}, want: invalidReviewer},
		"PUT /api/v1/orgs/:id":                   {path: fixed("/api/v1/orgs/" + school1), body: map[string]any{"name": "一区实验小学", "stages": []string{"primary"}, "classrooms": 2, "students": 90, "contact": "王老师", "phone": "13800000001", "public": true, "urban": true}, want: roles(200, 200, 404, 403, 403, 403)},
		"POST /api/v1/orgs/import":               {path: fixed("/api/v1/orgs/import?dryRun=1"), body: []byte("not a workbook"), want: roles(415, 415, 415, 403, 403, 403)},
		"GET /api/v1/orgs/export.xlsx":           {path: fixed("/api/v1/orgs/export.xlsx"), want: roles(200, 200, 200, 403, 403, 200)},
		"GET /api/v1/audit":                      {path: fixed("/api/v1/audit"), want: roles(200, 403, 403, 403, 403, 403)},
		"GET /metrics":                           {path: fixed("/metrics"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"POST /api/v1/auth/login":                {path: fixed("/api/v1/auth/login"), body: map[string]string{"username": "nobody", "password": "wrong"}, want: map[string]int{"anon": 401, "admin": 401, "dist1": 401, "dist2": 401, "school1": 401, "school3": 401, "viewer1": 401}},
		"POST /api/v1/auth/logout":               {path: fixed("/api/v1/auth/logout"), want: all(204)},
		"GET /api/v1/me":                         {path: fixed("/api/v1/me"), want: all(200)},
		"POST /api/v1/me/password":               {path: fixed("/api/v1/me/password"), body: map[string]string{"old": "wrong", "new": "a new long password"}, want: all(422)},
		"GET /api/v1/tasks":                      {path: fixed("/api/v1/tasks"), want: roles(403, 403, 403, 200, 200, 403)},
		"GET /api/v1/drives":                     {path: fixed("/api/v1/drives"), want: bureau},
		"POST /api/v1/drives":                    {path: fixed("/api/v1/drives"), body: map[string]any{"name": ""}, want: invalidReviewer},
		"POST /api/v1/drives/:drive/reopen":      {path: fixed(drive + "/reopen"), body: map[string]any{"school": school1}, want: roles(200, 200, 404, 403, 403, 403)},
		"POST /api/v1/drives/:drive/chase":       {path: fixed(drive + "/chase"), want: reviewer(200)},
		"GET /api/v1/drives/:drive/reminders":    {path: fixed(drive + "/reminders"), want: bureau},
		"GET /api/v1/drives/:drive/form":         {path: fixed(drive + "/form?school=" + school1), want: roles(200, 200, 404, 200, 404, 200)},
		"GET /api/v1/drives/:drive/progress":     {path: fixed(drive + "/progress"), want: bureau},
		"GET /api/v1/drives/:drive/export.xlsx":  {path: fixed(drive + "/export.xlsx"), want: bureau},
		"POST /api/v1/drives/:drive/exports":     {path: fixed(drive + "/exports"), want: roles(202, 202, 202, 403, 403, 202)},
		"GET /api/v1/exports/:id":                {path: fixed("/api/v1/exports/" + job), want: roles(200, 404, 404, 403, 403, 404)},
		"GET /api/v1/exports/:id/download":       {path: fixed("/api/v1/exports/" + job + "/download"), want: roles(200, 404, 404, 403, 403, 404)},
		"GET /api/v1/reports/trend.xlsx":         {path: fixed("/api/v1/reports/trend.xlsx?indicator=canteen&from=2026-11&to=2026-11"), want: bureau},
		"POST /api/v1/drives/:drive/submissions": {path: fixed(drive + "/submissions"), body: map[string]any{"id": uuid.NewString(), "school": school1, "values": map[string]any{}}, want: roles(422, 422, 404, 422, 404, 403)},
		"GET /api/v1/drives/:drive/submissions":  {path: fixed(drive + "/submissions"), want: bureau},
		"GET /api/v1/submissions/:id":            {path: fixed("/api/v1/submissions/" + sub), want: roles(200, 200, 404, 200, 404, 200)},
		"PUT /api/v1/submissions/:id":            {path: fixed("/api/v1/submissions/" + sub), body: map[string]any{"values": validValues(1)}, want: roles(403, 403, 403, 428, 428, 403)},
		"GET /api/v1/submissions/:id/revisions":  {path: fixed("/api/v1/submissions/" + sub + "/revisions"), want: roles(200, 200, 404, 200, 404, 200)},
		"POST /api/v1/submissions/:id/review":    {path: fixed("/api/v1/submissions/" + sub + "/review"), body: map[string]any{"action": "return", "comment": ""}, want: roles(422, 422, 404, 403, 403, 403)},
		"GET /api/v1/schedules":                  {path: fixed("/api/v1/schedules"), want: bureau},
		"POST /api/v1/schedules":                 {path: fixed("/api/v1/schedules"), body: map[string]any{"id": "x"}, want: invalidReviewer},
		"GET /api/v1/webhooks":                   {path: fixed("/api/v1/webhooks"), want: reviewer(200)},
		"POST /api/v1/webhooks":                  {path: fixed("/api/v1/webhooks"), body: map[string]any{"org": district1, "name": "群", "format": "generic", "url": "http://127.0.0.1:9/"}, want: roles(201, 201, 422, 403, 403, 403)},
		"DELETE /api/v1/webhooks/:id":            {path: func(f *fixture) string { return "/api/v1/webhooks/" + webhook(f) }, want: roles(204, 204, 404, 403, 403, 403)},
		"GET /api/v1/indicators":                 {path: fixed("/api/v1/indicators"), want: bureau},
		"POST /api/v1/indicators":                {path: fixed("/api/v1/indicators"), body: map[string]any{"code": "Bad Code"}, want: roles(422, 403, 403, 403, 403, 403)},
		"PUT /api/v1/indicators/:code":           {path: fixed("/api/v1/indicators/canteen"), body: map[string]any{"code": "canteen"}, want: roles(422, 403, 403, 403, 403, 403)},
		"GET /api/v1/plans":                      {path: fixed("/api/v1/plans"), want: bureau},
		"GET /api/v1/plans/:id":                  {path: fixed("/api/v1/plans/plan-2026"), want: bureau},
		"POST /api/v1/plans":                     {path: fixed("/api/v1/plans"), body: map[string]any{"id": "x"}, want: roles(422, 403, 403, 403, 403, 403)},
		"PUT /api/v1/plans/:id":                  {path: fixed("/api/v1/plans/plan-2026"), body: map[string]any{"name": ""}, want: roles(428, 403, 403, 403, 403, 403)},
		"GET /api/v1/users":                      {path: fixed("/api/v1/users"), want: roles(200, 200, 200, 200, 200, 403)},
		"POST /api/v1/users":                     {path: fixed("/api/v1/users"), body: map[string]any{"username": "a"}, want: roles(422, 422, 422, 422, 422, 403)},
		"POST /api/v1/users/:id/disable":         {path: func(f *fixture) string { return "/api/v1/users/" + enableVictim(f) + "/disable" }, want: roles(200, 200, 404, 200, 404, 403)},
		"POST /api/v1/users/:id/enable":          {path: func(f *fixture) string { return "/api/v1/users/" + enableVictim(f) + "/enable" }, want: roles(200, 200, 404, 200, 404, 403)},
		"POST /api/v1/users/:id/reset-password":  {path: func(f *fixture) string { return "/api/v1/users/" + enableVictim(f) + "/reset-password" }, want: roles(200, 200, 404, 200, 404, 403)},
		"POST /api/v1/users/bulk":                {path: fixed("/api/v1/users/bulk"), want: roles(201, 200, 200, 403, 403, 403)},
		"GET /api/v1/setup":                      {path: fixed("/api/v1/setup"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"POST /api/v1/setup":                     {path: fixed("/api/v1/setup"), body: map[string]any{"token": "guess"}, want: map[string]int{"anon": 409, "admin": 409, "dist1": 409, "dist2": 409, "school1": 409, "school3": 409, "viewer1": 409}},
	}
	var missing []string
	for _, r := range f.app.GetRoutes(true) {
		if r.Method == http.MethodHead || r.Method == "USE" || !strings.HasPrefix(r.Path, "/") {
			continue
		}
		key := r.Method + " " + r.Path
		if _, ok := table[key]; !ok {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("routes without access rules in this table:\n%s", strings.Join(missing, "\n"))
	}
	for key, a := range table {
		method := strings.SplitN(key, " ", 2)[0]
		for _, actor := range actors {
			as := actor
			if actor == "anon" {
				as = ""
			}
			if key == "POST /api/v1/auth/logout" && as != "" {
				f.tokens[as] = f.login(as)
			}
			var body any = a.body
			if a.body == nil && (method == http.MethodPost || method == http.MethodPut) {
				body = map[string]any{}
			}
			res := f.do(as, method, a.path(f), body, nil)
			if want := a.want[actor]; res.status != want {
				t.Errorf("%s as %s: %d, want %d: %s", key, actor, res.status, want, res.body)
			}
			if key == "POST /api/v1/auth/logout" && as != "" {
				f.tokens[as] = f.login(as)
			}
		}
	}
}
