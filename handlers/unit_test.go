package handlers_test

import (
	"net/http"
	"testing"
)

// TestUnits: a district adds a 镇街 unit below itself, renames it and adds a
// school below it; the unit cannot close while the school is open, nor
// move, nor be made in another district; closing the school lets it close.
func TestUnits(t *testing.T) {
	f := newFixture(t)
	const town = "100001101"
	steps := []struct {
		as, method, path string
		body             map[string]any
		want             int
		field            string
	}{
		{"dist1", "POST", "/api/v1/units", map[string]any{"id": town, "name": "花湖街道", "kind": "town", "parent": district1}, 201, ""},
		{"dist1", "POST", "/api/v1/units", map[string]any{"id": town, "name": "又一个", "kind": "town", "parent": district1}, 409, "id"},
		{"dist2", "POST", "/api/v1/units", map[string]any{"id": "100002101", "name": "越界街道", "kind": "town", "parent": district1}, 422, "parent"},
		{"dist1", "POST", "/api/v1/units", map[string]any{"id": "100001102", "name": "学\n区", "kind": "area", "parent": district1}, 422, "name"},
		{"dist1", "POST", "/api/v1/units", map[string]any{"id": "100001102", "name": "学区", "kind": "school", "parent": district1}, 422, "kind"},
		{"dist1", "PUT", "/api/v1/units/" + town, map[string]any{"name": "花湖街道教育办", "kind": "town"}, 200, ""},
		{"dist1", "PUT", "/api/v1/units/" + town, map[string]any{"name": "花湖街道教育办", "kind": "town", "parent": district2}, 422, "parent"},
		{"dist1", "POST", "/api/v1/orgs", map[string]any{"id": "0100001101", "name": "花湖小学", "parent": town, "stages": []string{"primary"}}, 201, ""},
		{"dist1", "PUT", "/api/v1/units/" + town, map[string]any{"name": "花湖街道教育办", "kind": "town", "closed": true}, 422, "closed"},
		{"dist1", "PUT", "/api/v1/orgs/0100001101", map[string]any{"name": "花湖小学", "stages": []string{"primary"}, "closed": true}, 200, ""},
		{"dist1", "PUT", "/api/v1/units/" + town, map[string]any{"name": "花湖街道教育办", "kind": "town", "closed": true}, 200, ""},
		{"dist2", "PUT", "/api/v1/units/" + town, map[string]any{"name": "改名", "kind": "town"}, 404, "-"},
	}
	for i, s := range steps {
		res := f.do(s.as, s.method, s.path, s.body, nil)
		if res.status != s.want {
			t.Fatalf("step %d %s %s: %d %s", i, s.method, s.path, res.status, res.body)
		}
		if s.field != "" {
			checkProblem(t, res.status, res.body, s.field)
		}
	}
	o := f.do("admin", http.MethodGet, "/api/v1/orgs/0100001101", nil, nil).json()
	if path := o["path"].([]any); len(path) != 4 || path[2] != town {
		t.Fatalf("the school's path: %v", o["path"])
	}
}
