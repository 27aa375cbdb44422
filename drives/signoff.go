package drives

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// Sign-off actions. A unit signs off its schools for a drive (or
// withdraws its sign-off); the unit right above it accepts the sign-off
// or returns it (Return, as for a submission).
const (
	SignOff  = "signoff"
	Withdraw = "withdraw"
	Accept   = "accept"
)

// SignoffInput is one step on a unit's sign-off.
type SignoffInput struct {
	Action  string
	Comment string   // the reason for gaps, or for a return
	Gaps    []string // schools signed off without an approved submission
}

// unitFor finds a unit of a drive within the caller's scope.
func (s *Service) unitFor(ctx context.Context, u *store.User, driveID, unit string) (*store.Drive, *store.Tree, *store.Org, error) {
	d, err := s.Drive(ctx, u, driveID)
	if err != nil {
		return nil, nil, nil, err
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, nil, nil, err
	}
	o := tree.Org(unit)
	if o == nil || o.Kind == store.KindSchool || !store.Within(o, d.Scope.Org) || !store.Within(o, u.Org) {
		return nil, nil, nil, fail.NotFoundf("单位", "Unit")
	}
	return d, tree, o, nil
}

// UnitSignoff returns a unit's sign-off of a drive with its history.
func (s *Service) UnitSignoff(ctx context.Context, u *store.User, driveID, unit string) (*store.Signoff, error) {
	d, _, o, err := s.unitFor(ctx, u, driveID, unit)
	if err != nil {
		return nil, err
	}
	return s.Store.Signoff(ctx, d.ID, o.ID)
}

// Signoff takes one step on a unit's sign-off of a drive. Signing off
// needs every expected school below the unit approved or named among
// the gaps (with a reason), and locks the submissions of its schools;
// withdrawing (refused once accepted) and a return from the unit above
// unlock them.
func (s *Service) Signoff(ctx context.Context, u *store.User, driveID, unit string, in SignoffInput) (*store.Signoff, error) {
	d, tree, o, err := s.unitFor(ctx, u, driveID, unit)
	if err != nil {
		return nil, err
	}
	if !CanReview(u.Role) {
		return nil, fail.New(fail.Forbidden, "只有教育局可以签收", "Only the bureau can sign off")
	}
	in.Comment = strings.TrimSpace(in.Comment)
	if err := checkSignoff(u, d, o, in); err != nil {
		return nil, err
	}
	so, err := s.Store.Signoff(ctx, d.ID, o.ID)
	if err != nil {
		return nil, err
	}
	next := *so
	next.Steps = append(slices.Clone(so.Steps), store.SignoffStep{Action: in.Action, By: u.ID, At: s.now(), Comment: in.Comment})
	step := &next.Steps[len(next.Steps)-1]
	switch in.Action {
	case SignOff:
		if so.Locks() {
			return nil, fail.New(fail.Conflict, "该单位已签收", "This unit has signed off already")
		}
		v, err := s.viewIn(ctx, tree, u, d, o.ID)
		if err != nil {
			return nil, err
		}
		if err := s.ready(ctx, d, tree, v, in.Gaps); err != nil {
			return nil, err
		}
		next.State, next.Gaps, next.Reason, step.Gaps = store.SignoffSigned, slices.Clone(in.Gaps), in.Comment, slices.Clone(in.Gaps)
		if next.Gaps == nil {
			next.Gaps = []string{}
		}
		step.State = next.State
		if err := s.Store.CommitSignoff(ctx, so, &next); err != nil {
			return nil, err
		}
		if err := s.lockUnit(ctx, u, d, v, &next); err != nil {
			return nil, s.undoSignoff(ctx, u, d, v, &next, err)
		}
		if err := s.settle(ctx, u, d, v, o.ID, true); err != nil {
			return nil, err
		}
		return &next, nil
	case Withdraw, Return:
		if in.Action == Withdraw && so.State == store.SignoffAccepted {
			return nil, fail.New(fail.Locked, "上级已接受签收，需上级退回后才能撤回", "The unit above has accepted; it must return the sign-off first")
		}
		if !so.Locks() {
			return nil, fail.New(fail.Conflict, "该单位尚未签收", "This unit has not signed off")
		}
		next.State = store.SignoffWithdrawn
		if in.Action == Return {
			next.State = store.SignoffReturned
		}
	case Accept:
		if so.State != store.SignoffSigned {
			return nil, fail.New(fail.Conflict, "只能接受已签收的单位", "Only a signed-off unit can be accepted")
		}
		next.State = store.SignoffAccepted
	}
	step.State = next.State
	if err := s.Store.CommitSignoff(ctx, so, &next); err != nil {
		return nil, err
	}
	if !next.Locks() {
		v, err := s.viewIn(ctx, tree, u, d, o.ID)
		if err != nil {
			return nil, err
		}
		if err := s.unlockUnit(ctx, u, d, v, o.ID); err != nil {
			return nil, err
		}
		if err := s.settle(ctx, u, d, v, o.ID, false); err != nil {
			return nil, err
		}
	}
	if in.Action == Return {
		s.notifyReturn(ctx, d, o, "unit_returned", returnOccasion(o.ID, next.Version), in.Comment, s.clientLink("drive", d.ID))
	}
	return &next, nil
}

// checkSignoff validates a step and who may take it: the unit itself
// signs off and withdraws, the unit above accepts and returns.
func checkSignoff(u *store.User, d *store.Drive, o *store.Org, in SignoffInput) error {
	switch {
	case !slices.Contains([]string{SignOff, Withdraw, Accept, Return}, in.Action):
		return fail.Field("action", "option", "操作必须是 signoff、withdraw、accept 或 return", "action must be signoff, withdraw, accept or return")
	case utf8.RuneCountInString(in.Comment) > 500:
		return fail.Field("comment", "max_length", "意见不能超过 500 字", "The comment may be at most 500 characters")
	case in.Action == Return && in.Comment == "":
		return fail.Field("comment", "required", "退回时请填写原因", "Say why when returning")
	case len(in.Gaps) > 0 && in.Comment == "":
		return fail.Field("comment", "required", "有未审核学校时请说明原因", "Say why the gaps are accepted")
	case len(in.Gaps) > 0 && in.Action != SignOff:
		return fail.Field("gaps", "unexpected", "只有签收时可以列出缺报学校", "Gaps are listed only when signing off")
	case o.ID == d.Scope.Org || o.Parent == "":
		return fail.Field("unit", "top", "任务的最高单位无需签收", "The drive's top unit has no one to sign off to")
	}
	own := in.Action == SignOff || in.Action == Withdraw
	if own && u.Org != o.ID {
		return fail.New(fail.Forbidden, "只有本单位可以签收或撤回签收", "Only the unit itself can sign off or withdraw")
	}
	if !own && u.Org != o.Parent {
		return fail.New(fail.Forbidden, "只有上级单位可以接受或退回签收", "Only the unit above can accept or return a sign-off")
	}
	return nil
}

// ready checks that a unit's schools are approved, or named in gaps, and
// that no unit below it waits for its sign-off to be accepted.
func (s *Service) ready(ctx context.Context, d *store.Drive, tree *store.Tree, v *view, gaps []string) error {
	expected := map[string]bool{}
	var open []string
	for _, school := range v.schools {
		expected[school.ID] = true
		if e := v.entries[school.ID]; (e == nil || e.Status != store.StatusApproved) && !slices.Contains(gaps, school.ID) {
			open = append(open, school.Name)
		}
	}
	for i, g := range gaps {
		if !expected[g] || slices.Contains(gaps[:i], g) {
			return fail.Field(fmt.Sprintf("gaps[%d]", i), "not_found", "该学校不在本单位的应报学校中或重复", "not an expected school of this unit, or repeated")
		}
	}
	if len(open) > 0 {
		return fail.Field("gaps", "incomplete",
			fmt.Sprintf("还有 %d 所学校未审核通过：%s", len(open), strings.Join(first(open, 5), "、")),
			fmt.Sprintf("%d schools are not approved: %s", len(open), strings.Join(first(open, 5), ", ")))
	}
	var below []string
	for _, c := range tree.Under(v.root.ID) {
		if c.Kind != store.KindSchool && c.ID != v.root.ID {
			below = append(below, c.ID)
		}
	}
	sos, err := s.Store.Signoffs(ctx, d.ID, below)
	if err != nil {
		return err
	}
	for _, id := range below {
		if sos[id].State == store.SignoffSigned {
			return fail.New(fail.Conflict, fmt.Sprintf("下级单位 %s 的签收尚待接受", tree.Org(id).Name),
				fmt.Sprintf("The sign-off of %s waits to be accepted", tree.Org(id).Name))
		}
	}
	return nil
}

func first(xs []string, n int) []string { return xs[:min(n, len(xs))] }
