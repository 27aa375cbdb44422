package drives

import (
	"context"
	"fmt"
	"slices"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// lockTries bounds how often a lock is tried again after losing its
// version to another write of the same submission.
const lockTries = 5

// lockUnit locks the submissions of a signed-off unit's schools, each by
// a revision of its own. The revision claims the submission's next
// version, so a school's edit from the same version either loses (and
// meets the lock) or wins, and the school is then checked again: still
// approved, or one of the gaps, or the sign-off fails.
func (s *Service) lockUnit(ctx context.Context, u *store.User, d *store.Drive, v *view, so *store.Signoff) error {
	for _, school := range v.schools {
		if err := s.setLock(ctx, u, d, school, so.Unit, true, slices.Contains(so.Gaps, school.ID)); err != nil {
			return err
		}
	}
	return nil
}

// settle makes the locks of a unit's schools follow its sign-off as it
// stands after a pass that locked them (locked) or unlocked them: a step
// taken on the sign-off while the pass ran wins, and the pass is undone.
func (s *Service) settle(ctx context.Context, u *store.User, d *store.Drive, v *view, unit string, locked bool) error {
	for range lockTries {
		so, err := s.Store.Signoff(ctx, d.ID, unit)
		if err != nil || so.Locks() == locked {
			return err
		}
		locked = so.Locks()
		for _, school := range v.schools {
			if err := s.setLock(ctx, u, d, school, unit, locked, true); err != nil {
				return err
			}
		}
	}
	return nil
}

// unlockUnit takes a unit's lock off its schools' submissions.
func (s *Service) unlockUnit(ctx context.Context, u *store.User, d *store.Drive, v *view, unit string) error {
	for _, school := range v.schools {
		if err := s.setLock(ctx, u, d, school, unit, false, true); err != nil {
			return err
		}
	}
	return nil
}

// undoSignoff withdraws a sign-off whose locking failed, recording why,
// unlocks what it locked and answers cause.
func (s *Service) undoSignoff(ctx context.Context, u *store.User, d *store.Drive, v *view, so *store.Signoff, cause error) error {
	next := *so
	next.State = store.SignoffWithdrawn
	next.Steps = append(slices.Clone(so.Steps), store.SignoffStep{Action: Withdraw, State: next.State, By: u.ID, At: s.now(),
		Comment: "签收时学校填报有变动，已自动撤回"})
	if err := s.Store.CommitSignoff(ctx, so, &next); err != nil {
		return err
	}
	if err := s.unlockUnit(ctx, u, d, v, so.Unit); err != nil {
		return err
	}
	if err := s.settle(ctx, u, d, v, so.Unit, false); err != nil {
		return err
	}
	return cause
}

// setLock adds unit to (or removes it from) the locks of a school's
// submission to a drive; a school without one has nothing to lock.
func (s *Service) setLock(ctx context.Context, u *store.User, d *store.Drive, school *store.Org, unit string, lock, gap bool) error {
	for range lockTries {
		sub, err := s.Store.SchoolSubmission(ctx, d.ID, school.ID)
		if fail.Is(err, fail.NotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		if sub, err = s.Store.RollForward(ctx, sub); err != nil {
			return err
		}
		if slices.Contains(sub.Locks, unit) == lock {
			return nil
		}
		if lock && sub.Status != store.StatusApproved && !gap {
			return fail.New(fail.Conflict, fmt.Sprintf("%s 的填报在签收时有变动，请重新签收", school.Name),
				fmt.Sprintf("%s's submission changed while signing off; sign off again", school.Name))
		}
		next := *sub
		next.Locks = slices.DeleteFunc(slices.Clone(sub.Locks), func(l string) bool { return l == unit })
		action := "unlock"
		if lock {
			next.Locks, action = append(next.Locks, unit), "lock"
		}
		if len(next.Locks) == 0 {
			next.Locks = nil
		}
		next.Version++
		next.UpdatedAt, next.UpdatedBy = s.now(), u.ID
		rev := &store.Revision{Action: action, Status: next.Status, By: u.ID, At: next.UpdatedAt, Comment: unit}
		err = s.Store.CommitSubmission(ctx, sub, &next, rev)
		if !fail.Is(err, fail.Conflict) {
			return err
		}
	}
	return fail.New(fail.Conflict, "数据已被他人修改，请刷新后重试", "It was changed by someone else; reload and try again")
}

// lockedBy returns the units whose sign-off locks a school's submissions
// to a drive, for a write that has no submission to read them from.
func (s *Service) lockedBy(ctx context.Context, d *store.Drive, school *store.Org) ([]string, error) {
	units := slices.DeleteFunc(slices.Clone(school.Path), func(id string) bool { return id == school.ID })
	sos, err := s.Store.Signoffs(ctx, d.ID, units)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, id := range units {
		if sos[id].Locks() {
			out = append(out, id)
		}
	}
	return out, nil
}

// errLocked answers a school's or a reviewer's write to a locked submission.
func errLocked() error {
	return fail.New(fail.Locked, "上级单位已签收，需先撤回签收才能修改", "The unit has signed off; its sign-off must be withdrawn before changes")
}

// lockLate locks a school's new submission under the units that signed
// off while it was being created: a sign-off checks the schools after
// recording itself, a create checks the sign-offs after storing the
// submission, so one of the two always sees the other.
func (s *Service) lockLate(ctx context.Context, u *store.User, d *store.Drive, school *store.Org) error {
	locks, err := s.lockedBy(ctx, d, school)
	if err != nil {
		return err
	}
	for _, unit := range locks {
		if err := s.setLock(ctx, u, d, school, unit, true, true); err != nil {
			return err
		}
	}
	return nil
}
