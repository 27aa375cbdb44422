package handlers_test

import (
	"context"
	"net/http"
	"slices"
	"testing"

	"github.com/google/uuid"
	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// TestSignoffDeeperTree: with a 镇街 office between district 1 and one of
// its schools, the office signs off to the district, the district signs
// off to the city only once it has accepted the office, and each unit's
// lock comes and goes with its own sign-off.
func TestSignoffDeeperTree(t *testing.T) {
	f := newFixture(t)
	l := levels{f, t}
	ctx := context.Background()
	const town, deep = "10000101", "0100101001"
	must(t, f.store.PutOrg(ctx, &store.Org{ID: town, Name: "一区东街教育办", Kind: store.KindTown, Parent: district1, Path: []string{city, district1, town}}))
	school := &store.Org{ID: deep, Name: "东街小学", Kind: store.KindSchool, Parent: town, Path: []string{city, district1, town, deep},
		Stages: []string{forms.Primary}, Classrooms: 1}
	must(t, f.store.PutOrg(ctx, school))
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	for name, u := range map[string]*store.Org{"town1": {ID: town, Path: []string{city, district1, town}}, "deep": school} {
		role := store.RoleDistrict
		if name == "deep" {
			role = store.RoleSchool
		}
		must(t, f.store.InsertUser(ctx, &store.User{ID: name, Username: name, Name: name, Role: role, Org: u.ID, OrgPath: u.Path, PasswordHash: hash}))
		f.tokens[name] = f.login(name)
	}
	ids := map[string]string{}
	for _, as := range []string{"school1", "school2", "deep"} {
		values := any(validValues(1))
		if as == "school2" {
			values = map[string]any{"canteen": validValues(0)["canteen"]}
		}
		ids[as] = uuid.NewString()
		if res := create(f, as, ids[as], values, false); res.status != 201 {
			t.Fatalf("%s submits: %d %s", as, res.status, res.body)
		}
	}
	if res := l.approve("dist1", map[string]any{"all": true}); len(res.json()["approved"].([]any)) != 3 {
		t.Fatalf("bulk approval: %d %s", res.status, res.body)
	}
	locks := func(as string) []string {
		var out []string
		for _, u := range asList(l.get("dist1", ids[as])["locks"]) {
			out = append(out, u.(string))
		}
		return out
	}
	for i, c := range []struct {
		as, unit, action, comment string
		want                      int
		school1, deep             []string
	}{
		{"town1", town, "signoff", "", 200, nil, []string{town}},
		{"dist1", district1, "signoff", "", 409, nil, []string{town}}, // the office waits to be accepted
		{"dist1", town, "accept", "", 200, nil, []string{town}},
		{"dist1", district1, "signoff", "", 200, []string{district1}, []string{town, district1}},
		{"town1", town, "withdraw", "", 423, []string{district1}, []string{town, district1}}, // accepted
		{"admin", district1, "accept", "", 200, []string{district1}, []string{town, district1}},
		{"dist1", town, "return", "", 422, []string{district1}, []string{town, district1}}, // no comment
		{"admin", district1, "return", "数据需复核", 200, nil, []string{town}},
		{"dist1", town, "return", "请复核", 200, nil, nil},
	} {
		res := l.step(c.as, c.unit, map[string]any{"action": c.action, "comment": c.comment})
		if res.status != c.want {
			t.Fatalf("step %d: %s %s %s: %d %s", i, c.as, c.action, c.unit, res.status, res.body)
		}
		if got := locks("school1"); !slices.Equal(got, c.school1) {
			t.Fatalf("step %d: school1 locked by %v, want %v", i, got, c.school1)
		}
		if got := locks("deep"); !slices.Equal(got, c.deep) {
			t.Fatalf("step %d: the office's school locked by %v, want %v", i, got, c.deep)
		}
	}
	p := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil).json()
	for _, d := range p["districts"].([]any) {
		if m := d.(map[string]any); m["district"] == town && m["level"] != "returned" {
			t.Fatalf("the office's level in the district's progress: %v", m)
		}
	}
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}
