package drives

import (
	"context"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// The world's organisation tree: a city and two districts of two primary
// schools each.
const (
	cityOrg  = "100000"
	district = "100001"
	other    = "100002"
	planID   = "plan-2026"
)

var (
	schoolA = "0100001001" // district 1
	schoolB = "0100001002"
	schoolC = "0100002001" // district 2
	schoolD = "0100002002"
)

// world is a service over a fresh database holding the built-in catalog, the
// tree above and a monthly plan of canteen and bullying.
type world struct {
	t    *testing.T
	svc  *Service
	orgs map[string]store.Org
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	s := storetest.New(t)
	now := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
	catalog, err := forms.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	check(t, s.LoadBuiltins(ctx, catalog, now))
	w := &world{t: t, svc: New(s, func() time.Time { return now }, nil, nil), orgs: map[string]store.Org{}}
	w.put(store.Org{ID: cityOrg, Name: "市教育局", Kind: store.KindCity, Path: []string{cityOrg}})
	for _, dist := range []struct{ id, name string }{{district, "一区"}, {other, "二区"}} {
		w.put(store.Org{ID: dist.id, Name: dist.name, Kind: store.KindDistrict, Parent: cityOrg, Path: []string{cityOrg, dist.id}})
	}
	for _, code := range []string{schoolA, schoolB, schoolC, schoolD} {
		dist := district
		if code[1:7] == other {
			dist = other
		}
		w.put(store.Org{ID: code, Name: "学校" + code, Kind: store.KindSchool, Parent: dist,
			Path: []string{cityOrg, dist, code}, Stages: []string{forms.Primary}})
	}
	check(t, s.InsertPlan(ctx, &store.PlanDoc{Plan: forms.Plan{ID: planID, Name: "2026 工作要点", Year: 2026,
		Items: []forms.PlanItem{{Indicator: "canteen"}, {Indicator: "bullying"}}}}))
	return w
}

func (w *world) put(o store.Org) {
	check(w.t, w.svc.Store.PutOrg(context.Background(), &o))
	w.orgs[o.ID] = o
}

// user is a bureau user of the given org.
func (w *world) user(role, org string) *store.User {
	return &store.User{ID: role + org, Role: role, Org: org, OrgPath: w.orgs[org].Path}
}

// drive stores the city-wide monthly drive of a period ("2026-11").
func (w *world) drive(period string) *store.Drive {
	p, _, err := ParsePeriod(period, w.svc.Loc)
	check(w.t, err)
	d := &store.Drive{ID: "monthly-" + period, Schedule: "monthly", Period: period, Name: "月度填报", Plan: planID,
		Frequency: forms.Monthly, Scope: store.Scope{Org: cityOrg, Path: []string{cityOrg}},
		OpensAt: p.Start.UTC(), DueAt: p.End.AddDate(0, 0, 10).UTC(), ClosesAt: p.End.AddDate(0, 0, 20).UTC()}
	_, err = w.svc.Store.CreateDrive(context.Background(), d)
	check(w.t, err)
	return d
}

// submit stores a school's submission to a drive on a form version,
// handed in unless it is a draft.
func (w *world) submit(d *store.Drive, school, version, status string, values forms.Values) {
	at := d.OpensAt.Add(24 * time.Hour)
	sub := &store.Submission{ID: d.ID + "-" + school, Drive: d.ID, School: school, SchoolName: w.orgs[school].Name,
		OrgPath: w.orgs[school].Path, Status: status, Version: 1, FormVersion: version, Values: values,
		CreatedAt: at, UpdatedAt: at}
	if status != store.StatusDraft {
		sub.SubmittedAt = at
	}
	check(w.t, w.svc.Store.InsertSubmission(context.Background(), sub))
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
