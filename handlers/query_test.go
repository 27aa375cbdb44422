package handlers_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestQueryOperatorsStayInScope: list filters given MongoDB operators or
// dotted names, as a query parameter's value or in its name, never widen a
// list: what comes back is part of what the caller sees unfiltered.
func TestQueryOperatorsStayInScope(t *testing.T) {
	f := newFixture(t)
	for _, as := range []string{"school1", "school3"} {
		if res := create(f, as, uuid.NewString(), validValues(1), false); res.status != 201 {
			t.Fatalf("%s: %d %s", as, res.status, res.body)
		}
	}
	subs := "/api/v1/drives/" + driveID + "/submissions"
	outside := []string{"admin", "dist2", "school3", city, district2, school3}
	cases := []struct {
		name, as, path, plain, list string
		rows                        int // -1: as many as unfiltered
	}{
		{"operator in the role's name", "dist1", "/api/v1/users?role[$ne]=x", "/api/v1/users", "users", -1},
		{"operator in the kind's name", "dist1", "/api/v1/orgs?kind[$ne]=x", "/api/v1/orgs", "orgs", -1},
		{"operator as an org", "dist1", "/api/v1/orgs?org=$gt", "/api/v1/orgs", "orgs", -1},
		{"operator in the open flag", "dist1", "/api/v1/orgs?open[$ne]=1", "/api/v1/orgs", "orgs", -1},
		{"operator in the values flag", "dist1", subs + "?values[$ne]=1", subs, "submissions", 1},
		{"operator as the values flag", "dist1", subs + "?values=$ne", subs, "submissions", 1},
		{"operator as a school", "dist1", subs + "?school=$ne", subs, "submissions", 1},
		{"operator in the all flag", "dist1", "/api/v1/drives?all[$ne]=1", "/api/v1/drives", "drives", -1},
		{"operator as the audit limit", "admin", "/api/v1/audit?limit=$gt", "/api/v1/audit", "entries", -1},
	}
	ids := func(t *testing.T, as, path, list string) []string {
		t.Helper()
		res := f.do(as, http.MethodGet, path, nil, nil)
		var body map[string]json.RawMessage
		var rows []struct {
			ID     string `json:"id"`
			School string `json:"school"`
		}
		if res.status != 200 || json.Unmarshal(res.body, &body) != nil || json.Unmarshal(body[list], &rows) != nil || rows == nil {
			t.Fatalf("%s: %d %.300s", path, res.status, res.body)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.ID+"/"+r.School)
		}
		return out
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			plain := ids(t, c.as, c.plain, c.list)
			got := ids(t, c.as, c.path, c.list)
			if want := c.rows; (want >= 0 && len(got) != want) || (want < 0 && len(got) != len(plain)) {
				t.Errorf("%d rows, unfiltered %d: %v", len(got), len(plain), got)
			}
			for _, row := range got {
				if !slices.Contains(plain, row) {
					t.Errorf("%s is not in the unfiltered list %v", row, plain)
				}
				for _, o := range outside {
					if c.as != "admin" && (strings.HasPrefix(row, o+"/") || strings.HasSuffix(row, "/"+o)) {
						t.Errorf("%s is outside the caller's district", row)
					}
				}
			}
		})
	}
}
