package drives

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

func TestYearBefore(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	tests := []struct{ key, want string }{
		{"2026-01", "2025-01"},
		{"2026-12", "2025-12"},
		{"2026-T1", "2025-T1"},
		{"2026-T2", "2025-T2"},
		{"2026-W01", "2025-W01"},
		{"2027-W53", ""}, // no such week
		{"2026-W53", ""}, // 2025 has 52 weeks
		{"2021-W53", ""}, // 2021 has none either
		{"2027-W52", "2026-W52"},
		{"2026", "2025"},
		{"2026-13", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := YearBefore(tt.key, sh)
		if got != tt.want || ok != (tt.want != "") {
			t.Errorf("YearBefore(%q) = %q %v, want %q", tt.key, got, ok, tt.want)
		}
	}
}

// scheduled stores a drive of a schedule for a period, open now.
func (w *world) scheduled(schedule, freq, plan, period string) *store.Drive {
	p, _, err := ParsePeriod(period, w.svc.Loc)
	check(w.t, err)
	d := &store.Drive{ID: DriveID(schedule, period), Schedule: schedule, Period: period, Name: schedule, Plan: plan,
		Frequency: freq, Scope: store.Scope{Org: cityOrg, Path: []string{cityOrg}},
		OpensAt: p.Start.UTC(), DueAt: p.End.AddDate(0, 0, 10).UTC(), ClosesAt: p.End.AddDate(0, 0, 20).UTC()}
	_, err = w.svc.Store.CreateDrive(context.Background(), d)
	check(w.t, err)
	return d
}

func (w *world) schoolUser(school string) *store.User {
	return &store.User{ID: "school-" + school, Role: store.RoleSchool, Org: school, OrgPath: w.orgs[school].Path}
}

// TestPastAcrossYearBoundary: a January drive reads December as the
// previous period and last January as the same period a year before.
func TestPastAcrossYearBoundary(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	val := func(days float64) forms.Values { return forms.Values{"canteen": {"meal_days": days}} }
	w.submit(w.scheduled("monthly", forms.Monthly, planID, "2025-01"), schoolA, "v", store.StatusSubmitted, val(18))
	w.submit(w.scheduled("monthly", forms.Monthly, planID, "2025-12"), schoolA, "v", store.StatusSubmitted, val(21))
	w.submit(w.scheduled("monthly", forms.Monthly, planID, "2025-12"), schoolB, "v", store.StatusDraft, val(21))
	w.submit(w.scheduled("other", forms.Monthly, planID, "2025-01"), schoolB, "v", store.StatusSubmitted, val(9))
	jan := w.scheduled("monthly", forms.Monthly, planID, "2026-01")
	cases := []struct {
		school     string
		prev, year any
	}{
		{schoolA, 21.0, 18.0},
		{schoolB, nil, nil}, // a draft, and another schedule's drive
		{schoolC, nil, nil},
	}
	for _, c := range cases {
		p, err := w.svc.past(ctx, jan, nil, c.school)
		check(t, err)
		if got := p.prev["canteen"]["meal_days"]; got != c.prev {
			t.Errorf("%s: prev meal_days %v, want %v", c.school, got, c.prev)
		}
		if got := p.year["canteen"]["meal_days"]; got != c.year {
			t.Errorf("%s: prevYear meal_days %v, want %v", c.school, got, c.year)
		}
	}
}

// TestMyopiaComparesSameTerm: the autumn term's myopia rate is judged
// against last autumn's, not against the spring term before it; a school
// without last autumn's figure is not applicable.
func TestMyopiaComparesSameTerm(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	check(t, w.svc.Store.InsertPlan(ctx, &store.PlanDoc{Plan: forms.Plan{ID: "termly", Name: "学期", Year: 2026,
		Items: []forms.PlanItem{{Indicator: "myopia"}}}}))
	rate := func(r float64) forms.Values { return forms.Values{"myopia": {"myopia_rate": r}} }
	autumn25 := w.scheduled("term", forms.Termly, "termly", "2025-T2")
	spring26 := w.scheduled("term", forms.Termly, "termly", "2026-T1")
	w.submit(autumn25, schoolA, "v", store.StatusSubmitted, rate(30))
	w.submit(spring26, schoolA, "v", store.StatusSubmitted, rate(20)) // a lower rate: compared with it, autumn would fail
	w.submit(autumn25, schoolB, "v", store.StatusSubmitted, rate(30))
	w.submit(spring26, schoolC, "v", store.StatusSubmitted, rate(35)) // spring only
	autumn26 := w.scheduled("term", forms.Termly, "termly", "2026-T2")
	cases := []struct {
		school string
		myopic int
		status string
		reason string
	}{
		{schoolA, 295, forms.Compliant, ""},
		{schoolB, 296, forms.Noncompliant, "较上年同期 30% 下降 0.4 个百分点"},
		{schoolC, 100, forms.NotApplicable, ""},
	}
	for _, c := range cases {
		raw, _ := json.Marshal(map[string]any{"myopia": map[string]any{"screening_date": "2026-10-12", "screened": 1000, "myopic": c.myopic}})
		sub, _, err := w.svc.Create(ctx, w.schoolUser(c.school), autumn26.ID, SubmitInput{ID: uuid.NewString(), Values: raw})
		check(t, err)
		if len(sub.Compliance) != 1 || sub.Compliance[0].Status != c.status || !strings.Contains(sub.Compliance[0].Reason.Zh, c.reason) {
			t.Errorf("%s: compliance %+v, want %s %q", c.school, sub.Compliance, c.status, c.reason)
		}
	}
}
