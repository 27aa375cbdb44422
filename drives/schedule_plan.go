package drives

import (
	"context"
	"slices"
	"strings"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// planDefaults are the schedule a plan's frequency gets when made from the
// plan: its name and its days, as the bureaus of the demo keep them.
var planDefaults = map[string]ScheduleInput{
	forms.Weekly:  {Name: "每周填报", DueDay: 2, CloseDay: 7, Reminders: []int{-24, 24}},
	forms.Monthly: {Name: "月度填报", DueDay: 10, CloseDay: 20, Reminders: []int{-72, -24, 24}},
	forms.Termly:  {Name: "学期填报", DueDay: 15, CloseDay: 30, Reminders: []int{-72, -24, 24}},
	forms.Yearly:  {Name: "年度填报", DueDay: 31, CloseDay: 60, Reminders: []int{-72, -24, 24}},
}

// frequencyOrder is the order frequencies are listed in.
var frequencyOrder = []string{forms.Weekly, forms.Monthly, forms.Termly, forms.Yearly}

// PlanFrequencies lists the frequencies a plan's indicators are reported
// at (an item's own frequency, or its indicator's), weekly first.
func PlanFrequencies(p forms.Plan, inds map[string]forms.Indicator) []string {
	seen := map[string]bool{}
	for _, it := range p.Items {
		f := it.Frequency
		if f == "" {
			f = inds[it.Indicator].Frequency
		}
		seen[f] = true
	}
	var out []string
	for _, f := range frequencyOrder {
		if seen[f] {
			out = append(out, f)
		}
	}
	return out
}

// PlanSchedules is what SchedulesFromPlan did: the schedules it created and
// those that were there already.
type PlanSchedules struct {
	Created  []store.Schedule `json:"created"`
	Existing []store.Schedule `json:"existing"`
}

// SchedulesFromPlan gives a plan the schedules its frequencies need in the
// caller's scope: for each frequency without an active schedule of the
// plan covering the caller's org, one with the usual days, which opens its
// current drive at once. Asked again it creates nothing.
func (s *Service) SchedulesFromPlan(ctx context.Context, u *store.User, planID string) (*PlanSchedules, error) {
	if planID == "" {
		return nil, fail.Field("plan", "required", "请选择计划", "choose a plan")
	}
	plan, err := s.Store.Plan(ctx, planID)
	if err != nil {
		if fail.Is(err, fail.NotFound) {
			return nil, fail.Field("plan", "not_found", "计划不存在", "no such plan")
		}
		return nil, err
	}
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	have, err := s.planSchedules(ctx, u, planID)
	if err != nil {
		return nil, err
	}
	out := &PlanSchedules{Created: []store.Schedule{}, Existing: []store.Schedule{}}
	for _, freq := range PlanFrequencies(plan.Plan, inds) {
		if i := slices.IndexFunc(have, func(sc store.Schedule) bool { return sc.Frequency == freq }); i >= 0 {
			out.Existing = append(out.Existing, have[i])
			continue
		}
		in := planDefaults[freq]
		in.ID, in.Plan, in.Frequency = planScheduleID(planID, u.Org, freq), planID, freq
		sc, err := s.CreateSchedule(ctx, u, in)
		if err != nil {
			return nil, err
		}
		out.Created = append(out.Created, *sc)
	}
	return out, nil
}

// planSchedules lists the active schedules of a plan that cover the
// caller's whole scope: those of its org or above.
func (s *Service) planSchedules(ctx context.Context, u *store.User, planID string) ([]store.Schedule, error) {
	all, err := s.Store.Schedules(ctx, true)
	if err != nil {
		return nil, err
	}
	var out []store.Schedule
	for _, sc := range all {
		if sc.Plan == planID && slices.Contains(u.OrgPath, sc.Scope.Org) {
			out = append(out, sc)
		}
	}
	return out, nil
}

// planScheduleID names a plan's schedule of one frequency for one org,
// within the 32 characters a schedule id may have: the same request twice
// at once creates it once.
func planScheduleID(plan, org, freq string) string {
	base := plan + "-" + strings.ToLower(org)
	return base[:min(len(base), 31-len(freq))] + "-" + freq
}
