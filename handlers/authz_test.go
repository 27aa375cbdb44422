package handlers_test

import (
	"context"
	"net/http"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/store"
)

// actors of the matrix: the city, district 1 (the objects' own district),
// district 2 (a sibling), school 1 (the objects' own school), school 3 (a
// school of the sibling district), a read-only viewer of district 1, and
// nobody signed in.
var actors = []string{"anon", "admin", "dist1", "dist2", "school1", "school3", "viewer1"}

// access is one route's expected status per actor; path may create what
// the request needs, and runs again for every actor. show and hide name
// what an actor's answer must and must not contain.
type access struct {
	path func(f *fixture) string
	body any
	want map[string]int
	show map[string][]string
	hide map[string][]string
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
	f.drives.Reports.PerUser, f.drives.Reports.InAll = 100, 100 // this checks who may, not how many at once
	ctx := context.Background()
	allowLoopbackHooks(f)
	sub := uuid.NewString()
	if res := create(f, "school1", sub, validValues(1), false); res.status != 201 {
		t.Fatalf("fixture submission: %d %s", res.status, res.body)
	}
	// victim is a school account at school 1: school 1's own account is its
	// peer and may not manage it (see TestUserManagementRules).
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
	// Each district's robot, and one reminder to each that could not be
	// delivered: each district sees only its own, and nobody the robots' keys.
	hook := func(as, org, key string) string {
		res := f.do(as, http.MethodPost, "/api/v1/webhooks", map[string]any{"org": org, "name": as + "群", "format": "wecom",
			"url": "http://127.0.0.1:9/cgi-bin/webhook/send?key=" + key}, nil)
		if res.status != 201 {
			t.Fatalf("%s's webhook: %d %s", as, res.status, res.body)
		}
		return res.json()["id"].(string)
	}
	hook1, hook2 := hook("dist1", district1, "ROBOTKEY-dist1-0001"), hook("dist2", district2, "ROBOTKEY-dist2-0002")
	for _, as := range []string{"dist1", "dist2"} {
		if res := f.do(as, http.MethodPost, "/api/v1/drives/"+driveID+"/chase", nil, nil); res.status != 200 {
			t.Fatalf("%s chasing: %d %s", as, res.status, res.body)
		}
	}
	// An open hazard of school 1: the bureau above it and the school see
	// it, the sibling district and its school do not.
	hazard := "2026-11-auth"
	must(t, f.store.ApplyHazards(ctx, &store.HazardReport{School: school1, Drive: driveID, Submission: sub, Version: 1, At: time.Now(), By: "school1",
		Rows: []map[string]any{{"hazard_id": hazard, "category": "fire", "place": "一区校门", "description": "门禁损坏", "found_on": "2026-11-02",
			"level": "general", "status": "open"}}}))
	sees := map[string][]string{"admin": {hazard}, "dist1": {hazard}, "school1": {hazard}, "viewer1": {hazard}}
	blind := map[string][]string{"dist2": {hazard}, "school3": {hazard}}
	secrets := []string{"ROBOTKEY", "127.0.0.1"}
	drive := "/api/v1/drives/" + driveID
	bureau := roles(200, 200, 200, 403, 403, 200)
	reviewer := func(ok int) map[string]int { return roles(ok, ok, ok, 403, 403, 403) }
	invalidReviewer := reviewer(422)
	// One wrong password for one name from one address per actor: the
	// sixth and seventh wait (auth's delays), signed in or not.
	wrongLogin := map[string]int{"anon": 401, "admin": 401, "dist1": 401, "dist2": 401, "school1": 401, "school3": 429, "viewer1": 429}
	table := map[string]access{
		"GET /healthz":                      {path: fixed("/healthz"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"GET /readyz":                       {path: fixed("/readyz"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"GET /api/openapi.json":             {path: fixed("/api/openapi.json"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"POST /api/v1/plans/extract":        {path: fixed("/api/v1/plans/extract"), body: map[string]string{"text": "一、食品安全\n1.每月开展食堂食品安全自查。"}, want: roles(200, 403, 403, 403, 403, 403)},
		"GET /api/v1/orgs":                  {path: fixed("/api/v1/orgs"), want: all(200)},
		"GET /api/v1/orgs/:id":              {path: fixed("/api/v1/orgs/" + school1), want: roles(200, 200, 404, 200, 404, 200)},
		"POST /api/v1/orgs":                 {path: fixed("/api/v1/orgs"), body: map[string]any{"id": "0100001999", "name": "", "parent": district1}, want: invalidReviewer},
		"POST /api/v1/units":                {path: fixed("/api/v1/units"), body: map[string]any{"id": "10000199", "name": "", "kind": "town", "parent": district1}, want: invalidReviewer},
		"PUT /api/v1/units/:id":             {path: fixed("/api/v1/units/" + district1), body: map[string]any{"name": "一区教育局", "kind": "district"}, want: roles(200, 404, 404, 403, 403, 403)},
		"PUT /api/v1/orgs/:id":              {path: fixed("/api/v1/orgs/" + school1), body: map[string]any{"name": "一区实验小学", "stages": []string{"primary"}, "classrooms": 2, "students": 90, "contact": "王老师", "phone": "13800000001", "public": true, "urban": true}, want: roles(200, 200, 404, 403, 403, 403)},
		"POST /api/v1/orgs/import":          {path: fixed("/api/v1/orgs/import?dryRun=1"), body: []byte("not a workbook"), want: roles(415, 415, 415, 403, 403, 403)},
		"GET /api/v1/orgs/export.xlsx":      {path: fixed("/api/v1/orgs/export.xlsx"), want: roles(200, 200, 200, 403, 403, 200)},
		"GET /api/v1/audit":                 {path: fixed("/api/v1/audit"), want: roles(200, 403, 403, 403, 403, 403)},
		"GET /metrics":                      {path: fixed("/metrics"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"POST /api/v1/auth/login":           {path: fixed("/api/v1/auth/login"), body: map[string]string{"username": "nobody", "password": "wrong"}, want: wrongLogin},
		"POST /api/v1/auth/logout":          {path: fixed("/api/v1/auth/logout"), want: all(204)},
		"GET /api/v1/me":                    {path: fixed("/api/v1/me"), want: all(200)},
		"POST /api/v1/me/password":          {path: fixed("/api/v1/me/password"), body: map[string]string{"old": "wrong", "new": "a new long password"}, want: all(422)},
		"GET /api/v1/tasks":                 {path: fixed("/api/v1/tasks"), want: roles(403, 403, 403, 200, 200, 403)},
		"GET /api/v1/drives":                {path: fixed("/api/v1/drives"), want: bureau},
		"POST /api/v1/drives":               {path: fixed("/api/v1/drives"), body: map[string]any{"name": ""}, want: invalidReviewer},
		"POST /api/v1/drives/:drive/reopen": {path: fixed(drive + "/reopen"), body: map[string]any{"school": school1}, want: roles(200, 200, 404, 403, 403, 403)},
		"POST /api/v1/drives/:drive/chase": {path: fixed(drive + "/chase"), want: reviewer(200),
			show: map[string][]string{"admin": {"dist1群", "dist2群"}, "dist1": {"dist1群"}, "dist2": {"dist2群"}},
			hide: map[string][]string{"admin": secrets, "dist1": append([]string{"dist2群"}, secrets...), "dist2": append([]string{"dist1群"}, secrets...)}},
		"GET /api/v1/drives/:drive/reminders": {path: fixed(drive + "/reminders"), want: bureau,
			show: map[string][]string{"admin": {hook1, hook2}, "dist1": {hook1}, "dist2": {hook2}, "viewer1": {hook1}},
			hide: map[string][]string{"admin": secrets, "dist1": append([]string{hook2}, secrets...),
				"dist2": append([]string{hook1}, secrets...), "viewer1": append([]string{hook2}, secrets...)}},
		"GET /api/v1/drives/:drive/form":         {path: fixed(drive + "/form?school=" + school1), want: roles(200, 200, 404, 200, 404, 200)},
		"GET /api/v1/drives/:drive/context":      {path: fixed(drive + "/context?school=" + school1), want: roles(200, 200, 404, 200, 404, 200)},
		"GET /api/v1/hazards":                    {path: fixed("/api/v1/hazards"), want: all(200), show: sees, hide: blind},
		"GET /api/v1/orgs/:id/hazards":           {path: fixed("/api/v1/orgs/" + school1 + "/hazards"), want: roles(200, 200, 404, 200, 404, 200), show: sees},
		"GET /api/v1/drives/:drive/progress":     {path: fixed(drive + "/progress"), want: bureau},
		"GET /api/v1/drives/:drive/export.xlsx":  {path: fixed(drive + "/export.xlsx"), want: bureau},
		"POST /api/v1/drives/:drive/exports":     {path: fixed(drive + "/exports"), want: roles(202, 202, 202, 403, 403, 202)},
		"GET /api/v1/exports/:id":                {path: fixed("/api/v1/exports/" + job), want: roles(200, 404, 404, 403, 403, 404)},
		"GET /api/v1/exports/:id/download":       {path: fixed("/api/v1/exports/" + job + "/download"), want: roles(200, 404, 404, 403, 403, 404)},
		"GET /api/v1/reports/trend.xlsx":         {path: fixed("/api/v1/reports/trend.xlsx?indicator=canteen&from=2026-11&to=2026-11"), want: bureau},
		"GET /api/v1/reports/trend":              {path: fixed("/api/v1/reports/trend?indicator=canteen&from=2026-11&to=2026-11"), want: bureau},
		"GET /api/v1/checklist":                  {path: fixed("/api/v1/checklist"), want: reviewer(200)},
		"POST /api/v1/schedules/from-plan":       {path: fixed("/api/v1/schedules/from-plan"), body: map[string]any{"plan": ""}, want: invalidReviewer},
		"POST /api/v1/webhooks/:id/test":         {path: func(f *fixture) string { return "/api/v1/webhooks/" + webhook(f) + "/test" }, want: roles(200, 200, 404, 403, 403, 403), hide: map[string][]string{"admin": secrets, "dist1": secrets}},
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
		"GET /api/v1/settings/webhook-hosts":     {path: fixed("/api/v1/settings/webhook-hosts"), want: roles(200, 403, 403, 403, 403, 403)},
		"PUT /api/v1/settings/webhook-hosts":     {path: fixed("/api/v1/settings/webhook-hosts"), body: map[string]any{"hosts": []map[string]any{{"host": "127.0.0.1", "http": true}}}, want: roles(200, 403, 403, 403, 403, 403)},
		"GET /api/v1/plans":                      {path: fixed("/api/v1/plans"), want: bureau},
		"GET /api/v1/plans/:id":                  {path: fixed("/api/v1/plans/plan-2026"), want: bureau},
		"POST /api/v1/plans":                     {path: fixed("/api/v1/plans"), body: map[string]any{"id": "x"}, want: roles(422, 403, 403, 403, 403, 403)},
		"PUT /api/v1/plans/:id":                  {path: fixed("/api/v1/plans/plan-2026"), body: map[string]any{"name": ""}, want: roles(428, 403, 403, 403, 403, 403)},
		"GET /api/v1/users":                      {path: fixed("/api/v1/users"), want: roles(200, 200, 200, 200, 200, 403)},
		"POST /api/v1/users":                     {path: fixed("/api/v1/users"), body: map[string]any{"username": "a"}, want: roles(422, 422, 422, 422, 422, 403)},
		"POST /api/v1/users/:id/disable":         {path: func(f *fixture) string { return "/api/v1/users/" + enableVictim(f) + "/disable" }, want: roles(200, 200, 404, 403, 404, 403)},
		"POST /api/v1/users/:id/enable":          {path: func(f *fixture) string { return "/api/v1/users/" + enableVictim(f) + "/enable" }, want: roles(200, 200, 404, 403, 404, 403)},
		"POST /api/v1/users/:id/reset-password":  {path: func(f *fixture) string { return "/api/v1/users/" + enableVictim(f) + "/reset-password" }, want: roles(200, 200, 404, 403, 404, 403)},
		"POST /api/v1/users/bulk":                {path: fixed("/api/v1/users/bulk"), want: roles(201, 200, 200, 403, 403, 403)},
		"GET /api/v1/setup":                      {path: fixed("/api/v1/setup"), want: map[string]int{"anon": 200, "admin": 200, "dist1": 200, "dist2": 200, "school1": 200, "school3": 200, "viewer1": 200}},
		"POST /api/v1/setup":                     {path: fixed("/api/v1/setup"), body: map[string]any{"token": "guess"}, want: map[string]int{"anon": 409, "admin": 409, "dist1": 409, "dist2": 409, "school1": 409, "school3": 409, "viewer1": 409}},

		// Levels of approval.
		"POST /api/v1/drives/:drive/approvals":      {path: fixed(drive + "/approvals"), body: map[string]any{"all": false}, want: invalidReviewer},
		"GET /api/v1/drives/:drive/signoffs/:unit":  {path: fixed(drive + "/signoffs/" + district1), want: roles(200, 200, 404, 403, 403, 200)},
		"POST /api/v1/drives/:drive/signoffs/:unit": {path: fixed(drive + "/signoffs/" + district1), body: map[string]any{"action": "sign"}, want: roles(422, 422, 404, 403, 403, 403)},
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
			for _, part := range a.show[actor] {
				if !strings.Contains(string(res.body), part) {
					t.Errorf("%s as %s: the answer lacks %q: %s", key, actor, part, res.body)
				}
			}
			for _, part := range a.hide[actor] {
				if strings.Contains(string(res.body), part) {
					t.Errorf("%s as %s: the answer shows %q: %s", key, actor, part, res.body)
				}
			}
			if key == "POST /api/v1/auth/logout" && as != "" {
				f.tokens[as] = f.login(as)
			}
		}
	}
}

// TestUserManagementRules states who may create and manage which accounts.
// A user creates roles ranked no higher than its own, in its own org or
// below; viewers (bureau read-only accounts) only admins and districts
// create, only at a bureau. A user manages (disables, enables, resets)
// another only when the other's org lies strictly below its own, or the
// other ranks strictly lower at the same org: peers never take each other
// over.
func TestUserManagementRules(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	others := map[string]struct{ role, org string }{
		"dist1-peer": {store.RoleDistrict, district1}, "viewer1-b": {store.RoleViewer, district1},
		"teacher1": {store.RoleSchool, school1}, "admin-peer": {store.RoleAdmin, city},
	}
	for name, u := range others {
		o, err := f.store.Org(ctx, u.org)
		must(t, err)
		must(t, f.store.InsertUser(ctx, &store.User{ID: name, Username: name, Name: name, Role: u.role, Org: u.org, OrgPath: o.Path}))
	}
	newUser := func(name, role, org string) map[string]string {
		return map[string]string{"username": name, "name": name, "role": role, "org": org}
	}
	users := "/api/v1/users"
	cases := []struct {
		name, as, path string
		body           any
		want           int
	}{
		{"school creates a viewer", "school1", users, newUser("new-viewer-1", store.RoleViewer, school1), 403},
		{"school creates a colleague", "school1", users, newUser("new-teacher-1", store.RoleSchool, school1), 201},
		{"school creates a district", "school1", users, newUser("new-dist-1", store.RoleDistrict, district1), 403},
		{"district creates a viewer at a school", "dist1", users, newUser("new-viewer-2", store.RoleViewer, school1), 422},
		{"district creates a viewer at its bureau", "dist1", users, newUser("new-viewer-3", store.RoleViewer, district1), 201},
		{"district creates a colleague", "dist1", users, newUser("new-dist-2", store.RoleDistrict, district1), 201},
		{"district creates an admin", "dist1", users, newUser("new-admin-1", store.RoleAdmin, city), 403},
		{"district creates in another district", "dist2", users, newUser("new-teacher-2", store.RoleSchool, school1), 422},
		{"admin creates a viewer", "admin", users, newUser("new-viewer-4", store.RoleViewer, city), 201},
		{"district resets its peer", "dist1", users + "/dist1-peer/reset-password", nil, 403},
		{"district disables its peer", "dist1", users + "/dist1-peer/disable", nil, 403},
		{"district resets a viewer of its org", "dist1", users + "/viewer1-b/reset-password", nil, 200},
		{"district resets a school account below", "dist1", users + "/teacher1/reset-password", nil, 200},
		{"district resets the admin", "dist1", users + "/admin/reset-password", nil, 404},
		{"district resets itself", "dist1", users + "/dist1/reset-password", nil, 403},
		{"school resets its colleague", "school1", users + "/teacher1/reset-password", nil, 403},
		{"school disables its colleague", "school1", users + "/teacher1/disable", nil, 403},
		{"admin resets a district account", "admin", users + "/dist1-peer/reset-password", nil, 200},
		{"admin resets its peer", "admin", users + "/admin-peer/reset-password", nil, 403},
	}
	for _, c := range cases {
		body := c.body
		if body == nil {
			body = map[string]any{}
		}
		if res := f.do(c.as, http.MethodPost, c.path, body, nil); res.status != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, res.status, c.want, res.body)
		}
	}
}
