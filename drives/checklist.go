package drives

import (
	"context"
	"slices"

	"github.com/tianbao-edu/tianbao/store"
)

// The steps of setting up a bureau's year, in the order they are done.
const (
	StepBureau    = "bureau"
	StepUnits     = "units"
	StepSchools   = "schools"
	StepAccounts  = "accounts"
	StepPlan      = "plan"
	StepSchedules = "schedules"
	StepChannels  = "channels"
	StepDrive     = "drive"
)

// The states of a step.
const (
	StepDone     = "done"
	StepTodo     = "todo"
	StepOptional = "optional" // nothing there, and nothing needs it (units of a county with its schools right below)
)

// ChecklistStep is one step of the setup with what the data says of it:
// Count of what there is (units, open schools, schools with an account,
// plans, schedules of the plan, channels, drives), Of what is needed where
// that is known (open schools for accounts, the plan's frequencies for
// schedules), and Missing the frequencies still without a schedule.
type ChecklistStep struct {
	Key     string   `json:"key"`
	State   string   `json:"state"`
	Count   int      `json:"count"`
	Of      int      `json:"of,omitempty"`
	Missing []string `json:"missing,omitempty"`
}

// Checklist is the setup of the caller's part of the tree, step by step:
// the whole list for an admin, the steps a district does itself (units,
// schools, accounts, channels, drive) for a district. Plan names the plan
// the schedules follow: this year's, or the newest.
type Checklist struct {
	Org      string          `json:"org"`
	OrgName  string          `json:"orgName"`
	Plan     string          `json:"plan,omitempty"`
	PlanName string          `json:"planName,omitempty"`
	Steps    []ChecklistStep `json:"steps"`
	Done     int             `json:"done"`
}

// Checklist computes the setup's state from the data in the caller's scope.
func (s *Service) Checklist(ctx context.Context, u *store.User) (*Checklist, error) {
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	root := tree.Org(u.Org)
	if root == nil {
		root = &store.Org{ID: u.Org, Path: u.OrgPath}
	}
	c := &Checklist{Org: root.ID, OrgName: root.Name}
	admin := u.Role == store.RoleAdmin
	if admin {
		c.add(ChecklistStep{Key: StepBureau, State: StepDone, Count: 1})
	}
	units, schools := 0, map[string]bool{}
	for _, o := range tree.Under(root.ID) {
		switch {
		case o.ID == root.ID || o.Closed:
		case o.Kind == store.KindSchool:
			schools[o.ID] = true
		default:
			units++
		}
	}
	c.add(ChecklistStep{Key: StepUnits, State: pick(units > 0, StepDone, StepOptional), Count: units})
	c.add(ChecklistStep{Key: StepSchools, State: pick(len(schools) > 0, StepDone, StepTodo), Count: len(schools)})
	users, err := s.Store.Users(ctx, store.UserFilter{Under: root.ID, Role: store.RoleSchool})
	if err != nil {
		return nil, err
	}
	withAccount := map[string]bool{}
	for _, x := range users {
		if schools[x.Org] {
			withAccount[x.Org] = true
		}
	}
	c.add(ChecklistStep{Key: StepAccounts, State: pick(len(schools) > 0 && len(withAccount) == len(schools), StepDone, StepTodo),
		Count: len(withAccount), Of: len(schools)})
	if admin {
		if err := s.planSteps(ctx, u, c); err != nil {
			return nil, err
		}
	}
	hooks, err := s.Store.Webhooks(ctx, root.ID)
	if err != nil {
		return nil, err
	}
	c.add(ChecklistStep{Key: StepChannels, State: pick(len(hooks) > 0, StepDone, StepTodo), Count: len(hooks)})
	drives, err := s.Drives(ctx, u, s.Now().AddDate(-1, 0, 0))
	if err != nil {
		return nil, err
	}
	c.add(ChecklistStep{Key: StepDrive, State: pick(len(drives) > 0, StepDone, StepTodo), Count: len(drives)})
	return c, nil
}

// planSteps adds the plan and its schedules: the plan of this year (or the
// newest), and the frequencies of its indicators that no schedule covers.
func (s *Service) planSteps(ctx context.Context, u *store.User, c *Checklist) error {
	plans, err := s.Store.Plans(ctx)
	if err != nil {
		return err
	}
	if len(plans) == 0 {
		c.add(ChecklistStep{Key: StepPlan, State: StepTodo})
		c.add(ChecklistStep{Key: StepSchedules, State: StepTodo})
		return nil
	}
	year := s.Now().In(s.Loc).Year()
	plan := plans[0] // newest year first
	if i := slices.IndexFunc(plans, func(p store.PlanDoc) bool { return p.Year == year }); i >= 0 {
		plan = plans[i]
	}
	c.Plan, c.PlanName = plan.ID, plan.Name
	c.add(ChecklistStep{Key: StepPlan, State: StepDone, Count: len(plans)})
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return err
	}
	have, err := s.planSchedules(ctx, u, plan.ID)
	if err != nil {
		return err
	}
	step := ChecklistStep{Key: StepSchedules, Count: len(have)}
	for _, f := range PlanFrequencies(plan.Plan, inds) {
		step.Of++
		if !slices.ContainsFunc(have, func(sc store.Schedule) bool { return sc.Frequency == f }) {
			step.Missing = append(step.Missing, f)
		}
	}
	step.State = pick(step.Of > 0 && len(step.Missing) == 0, StepDone, StepTodo)
	c.add(step)
	return nil
}

func (c *Checklist) add(step ChecklistStep) {
	c.Steps = append(c.Steps, step)
	if step.State == StepDone {
		c.Done++
	}
}

func pick(cond bool, yes, no string) string {
	if cond {
		return yes
	}
	return no
}
