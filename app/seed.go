package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// The demo city: a bureau, three districts and 27 schools of mixed stages.
const demoCity = "999900"

var demoDistricts = []struct{ id, name string }{
	{"999901", "城东区"}, {"999902", "城西区"}, {"999903", "南山县"},
}

var demoSchools = []struct {
	name   string
	stages []string
}{
	{"第一幼儿园", []string{forms.Kindergarten}},
	{"阳光幼儿园", []string{forms.Kindergarten}},
	{"实验小学", []string{forms.Primary}},
	{"育才小学", []string{forms.Primary}},
	{"启明小学", []string{forms.Primary}},
	{"第一中学", []string{forms.Junior}},
	{"第二中学", []string{forms.Junior}},
	{"高级中学", []string{forms.Senior}},
	{"九年一贯制学校", []string{forms.Primary, forms.Junior}},
}

// demoPlan lists the demo plan's items; lighting is checked monthly here.
var demoPlan = []forms.PlanItem{
	{Indicator: "canteen"}, {Indicator: "bullying"}, {Indicator: "lighting", Frequency: forms.Monthly},
	{Indicator: "activity"}, {Indicator: "hazards"}, {Indicator: "myopia"}, {Indicator: "canteen_term"},
	{Indicator: "bullying_education"}, {Indicator: "after_school"}, {Indicator: "fitness"},
	{Indicator: "mental_health"}, {Indicator: "ethics_training"},
}

// seedDemo adds the demo data. Unless forced it only seeds an empty
// database; either way it never creates anything twice.
func seedDemo(ctx context.Context, a *application, cfg *config, out io.Writer, force bool) error {
	n, err := a.store.CountUsers(ctx)
	if err != nil {
		return err
	}
	if n > 0 && !force {
		return setDemoPassword(ctx, a, cfg, out)
	}
	if b, err := a.store.Bureau(ctx); err == nil && b.Org != demoCity {
		return fmt.Errorf("the database belongs to %s %s: no demo data added", b.Org, b.Name)
	} else if err != nil && !fail.Is(err, fail.NotFound) {
		return err
	}
	password := cfg.DemoPassword
	if password == "" {
		password = auth.RandomPassword()
	}
	hash, err := a.auth.HashPassword(password)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	added := 0
	addUser := func(username, name, role string, org *store.Org) error {
		err := a.store.InsertUser(ctx, &store.User{
			ID: username, Username: username, Name: name, Role: role, Org: org.ID, OrgPath: org.Path,
			PasswordHash: hash, CreatedAt: now,
		})
		if err == nil {
			added++
		}
		if fail.Is(err, fail.Conflict) {
			return nil
		}
		return err
	}
	city := &store.Org{ID: demoCity, Name: "清河市教育局", Kind: store.KindCity, Path: []string{demoCity}, UpdatedAt: now}
	_, err = a.store.ClaimBureau(ctx, &store.Bureau{Org: city.ID, Name: city.Name, Kind: city.Kind, Admin: "admin", CreatedAt: now})
	if err != nil && !fail.Is(err, fail.Conflict) {
		return err
	}
	if err := putIfMissing(ctx, a.store, city); err != nil {
		return err
	}
	if err := addUser("admin", "市教育局管理员", store.RoleAdmin, city); err != nil {
		return err
	}
	for i, d := range demoDistricts {
		dist := &store.Org{ID: d.id, Name: d.name + "教育局", Kind: store.KindDistrict, Parent: demoCity,
			Path: []string{demoCity, d.id}, UpdatedAt: now}
		if err := putIfMissing(ctx, a.store, dist); err != nil {
			return err
		}
		if err := addUser("district-"+d.id, d.name+"教育局", store.RoleDistrict, dist); err != nil {
			return err
		}
		for j, s := range demoSchools {
			code := fmt.Sprintf("0%s%03d", d.id, j+1)
			school := &store.Org{
				ID: code, Name: d.name + s.name, Kind: store.KindSchool, Parent: d.id,
				Path: []string{demoCity, d.id, code}, Stages: s.stages, Public: j != 1, Urban: i < 2,
				Classrooms: 6 + 3*j, Students: 180 + 120*j, Contact: fmt.Sprintf("联系人%d%d", i+1, j+1),
				Phone: fmt.Sprintf("1380000%02d%02d", i+1, j+1), UpdatedAt: now,
			}
			if err := putIfMissing(ctx, a.store, school); err != nil {
				return err
			}
			if err := addUser("school-"+code, school.Name, store.RoleSchool, school); err != nil {
				return err
			}
		}
	}
	if err := seedPlan(ctx, a, city, now); err != nil {
		return err
	}
	if _, err := a.drives.Tick(ctx); err != nil {
		return err
	}
	if added > 0 {
		fmt.Fprintf(out, "Demo data: %d accounts — admin, district-%s, school-0%s001 … — password: %s\n",
			added, demoDistricts[0].id, demoDistricts[0].id, password)
		if cfg.DemoPassword == "" {
			fmt.Fprintln(out, "(printed once; set TIANBAO_DEMO_PASSWORD to choose it)")
		}
	}
	return nil
}

// setDemoPassword gives the demo city's accounts TIANBAO_DEMO_PASSWORD when
// it is set, on every start: it is the password they have, as it is on
// the first, however often it changes.
func setDemoPassword(ctx context.Context, a *application, cfg *config, out io.Writer) error {
	if cfg.DemoPassword == "" {
		return nil
	}
	users, err := a.store.Users(ctx, store.UserFilter{Under: demoCity})
	if err != nil || len(users) == 0 {
		return err
	}
	hash, err := a.auth.HashPassword(cfg.DemoPassword)
	if err != nil {
		return err
	}
	for _, u := range users {
		if err := a.store.SetUserPassword(ctx, u.ID, demoCity, hash); err != nil {
			return err
		}
	}
	fmt.Fprintf(out, "Demo accounts: the password of %d accounts set from TIANBAO_DEMO_PASSWORD\n", len(users))
	return nil
}

func putIfMissing(ctx context.Context, s *store.Store, o *store.Org) error {
	if _, err := s.Org(ctx, o.ID); err == nil {
		return nil
	} else if !fail.Is(err, fail.NotFound) {
		return err
	}
	return s.PutOrg(ctx, o)
}

func seedPlan(ctx context.Context, a *application, city *store.Org, now time.Time) error {
	inds, err := a.store.Indicators(ctx)
	if err != nil {
		return err
	}
	var items []forms.PlanItem
	for _, it := range demoPlan {
		if _, ok := inds[it.Indicator]; ok {
			items = append(items, it)
		}
	}
	year := now.In(a.drives.Loc).Year()
	plan := &store.PlanDoc{Plan: forms.Plan{ID: fmt.Sprintf("plan-%d", year), Name: fmt.Sprintf("%d 年度学校安全与健康工作要点", year), Year: year, Items: items},
		UpdatedAt: now, UpdatedBy: "admin"}
	if err := a.store.InsertPlan(ctx, plan); err != nil && !fail.Is(err, fail.Conflict) {
		return err
	}
	schedules := []store.Schedule{
		{ID: "monthly", Name: "月度填报", Frequency: forms.Monthly, OpenDay: 0, DueDay: 10, CloseDay: 20},
		{ID: "termly", Name: "学期填报", Frequency: forms.Termly, OpenDay: 0, DueDay: 15, CloseDay: 30},
		{ID: "yearly", Name: "年度填报", Frequency: forms.Yearly, OpenDay: 0, DueDay: 31, CloseDay: 60},
	}
	for _, sc := range schedules {
		sc.Plan, sc.Scope, sc.TZ, sc.Active = plan.ID, store.Scope{Org: city.ID}, a.drives.Loc.String(), true
		sc.Reminders = []int{-72, -24, 24}
		sc.CreatedAt, sc.CreatedBy = now, "admin"
		if err := a.store.InsertSchedule(ctx, &sc); err != nil && !fail.Is(err, fail.Conflict) {
			return err
		}
	}
	return nil
}
