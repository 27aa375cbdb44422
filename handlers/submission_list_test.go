package handlers_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestSubmissionListPages: the received list comes a page at a time, each
// school once across the pages in the order asked for, with a total that
// counts every page; filters narrow it; a broken page marker or limit is
// a clear error.
func TestSubmissionListPages(t *testing.T) {
	f := newFixture(t)
	var ids []string
	for _, phone := range append(f.addSchools(11), "school1", "school3") {
		id := uuid.NewString()
		if res := create(f, phone, id, validValues(1), false); res.status != 201 {
			t.Fatalf("create as %s: %d %s", phone, res.status, res.body)
		}
		ids = append(ids, id)
	}
	f.clock.Add(time.Minute) // the return is the newest change
	if res := f.do("admin", http.MethodPost, "/api/v1/submissions/"+ids[3]+"/review", map[string]any{"action": "return", "comment": "请核对"}, nil); res.status != 200 {
		t.Fatalf("return: %d %s", res.status, res.body)
	}
	type page struct {
		Submissions []struct {
			ID, School, SchoolName, Status, GroupName string
		}
		Total int
		Next  string
	}
	list := func(as, query string) page {
		t.Helper()
		res := f.do(as, http.MethodGet, "/api/v1/drives/"+driveID+"/submissions?"+query, nil, nil)
		var p page
		if res.status != 200 || json.Unmarshal(res.body, &p) != nil {
			t.Fatalf("%s: %d %s", query, res.status, res.body)
		}
		return p
	}
	walk := func(as, query string) (schools []string, pages int) {
		after := ""
		for {
			p := list(as, query+"&limit=5&after="+url.QueryEscape(after))
			if p.Total != 13 && as == "admin" && query == "sort=school" {
				t.Errorf("total %d, want 13", p.Total)
			}
			for _, s := range p.Submissions {
				schools = append(schools, s.School)
			}
			pages++
			if after = p.Next; after == "" {
				return schools, pages
			}
		}
	}
	schools, pages := walk("admin", "sort=school")
	if len(schools) != 13 || pages != 3 || !slices.IsSorted(schools) || len(slices.Compact(slices.Clone(schools))) != 13 {
		t.Fatalf("%d pages of %v", pages, schools)
	}
	returned := list("admin", "status=returned").Submissions[0].School
	if byUpdate, _ := walk("admin", "sort=updated"); len(byUpdate) != 13 || byUpdate[0] != returned {
		t.Errorf("newest first should start with the returned %s: %v", returned, byUpdate)
	}
	if p := list("admin", "status=returned"); p.Total != 1 || p.Submissions[0].Status != "returned" {
		t.Errorf("returned only: %+v", p)
	}
	if p := list("dist2", ""); p.Total != 1 || p.Submissions[0].School != school3 {
		t.Errorf("district 2 sees %+v", p)
	}
	if p := list("admin", "search="+url.QueryEscape("一区第3")); p.Total != 1 || p.Submissions[0].SchoolName != "一区第3小学" {
		t.Errorf("search: %+v", p)
	}
	for _, bad := range []struct{ query, field string }{
		{"after=%25%25", "after"}, {"limit=0", "limit"}, {"limit=201", "limit"}, {"sort=name", "sort"},
		{"status=missing", "status"}, {"under=" + school1, "under"}, {"under=" + district2 + "&x=1", "under"},
	} {
		res := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/submissions?"+bad.query, nil, nil)
		if res.status != 422 {
			t.Errorf("%s: %d %s", bad.query, res.status, res.body)
			continue
		}
		checkProblem(t, res.status, res.body, bad.field)
	}
}
