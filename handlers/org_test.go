package handlers_test

import (
	"net/http"
	"strings"
	"testing"
)

// TestClosedSchoolNotExpected: closing a school takes it out of what drives
// expect, and the change is in the audit log.
func TestClosedSchoolNotExpected(t *testing.T) {
	f := newFixture(t)
	expected := func() float64 {
		return f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil).json()["total"].(map[string]any)["expected"].(float64)
	}
	if n := expected(); n != 3 {
		t.Fatalf("expected %v", n)
	}
	body := map[string]any{"name": "二区小学", "stages": []string{"primary"}, "contact": "张老师", "phone": "13800000003", "closed": true}
	if res := f.do("dist1", http.MethodPut, "/api/v1/orgs/"+school3, body, nil); res.status != 404 {
		t.Fatalf("district 1 closing district 2's school: %d", res.status)
	}
	if res := f.do("dist2", http.MethodPut, "/api/v1/orgs/"+school3, body, nil); res.status != 200 {
		t.Fatalf("close: %d %s", res.status, res.body)
	}
	if n := expected(); n != 2 {
		t.Fatalf("a closed school is still expected: %v", n)
	}
	created := f.do("dist2", http.MethodPost, "/api/v1/orgs", map[string]any{"id": "0100002002", "name": "二区新建小学",
		"parent": district2, "stages": []string{"primary", "junior"}, "classrooms": 12, "students": 400}, nil)
	if created.status != 201 {
		t.Fatalf("create: %d %s", created.status, created.body)
	}
	if res := f.do("dist2", http.MethodPost, "/api/v1/orgs", map[string]any{"id": "0100001888", "name": "越权学校",
		"parent": district1, "stages": []string{"primary"}}, nil); res.status != 422 {
		t.Fatalf("district 2 adding a school to district 1: %d %s", res.status, res.body)
	}
	if n := expected(); n != 3 {
		t.Fatalf("the new school is not expected: %v", n)
	}
	audit := f.do("admin", http.MethodGet, "/api/v1/audit", nil, nil)
	for _, want := range []string{`"action":"org.update"`, `"changes":["closed"]`, `"action":"org.create"`, `"by":"dist2"`} {
		if !strings.Contains(string(audit.body), want) {
			t.Fatalf("audit lacks %s: %s", want, audit.body)
		}
	}
}
