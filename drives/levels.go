package drives

import (
	"context"

	"github.com/tianbao-edu/tianbao/store"
)

// School levels beyond a submission's own status: its unit (or one above
// it, below the drive's top) has signed it off, or the unit above that
// has accepted the sign-off.
const (
	LevelSigned   = store.SignoffSigned
	LevelAccepted = store.SignoffAccepted
)

// loadSignoffs reads the sign-offs of the units in a view (the units
// between the drive's top and its schools), by _id in one go.
func (s *Service) loadSignoffs(ctx context.Context, d *store.Drive, v *view) error {
	var units []string
	for _, o := range v.tree.Under(d.Scope.Org) {
		if o.Kind != store.KindSchool && o.ID != d.Scope.Org && (store.Within(o, v.root.ID) || store.Within(v.root, o.ID)) {
			units = append(units, o.ID)
		}
	}
	sos, err := s.Store.Signoffs(ctx, d.ID, units)
	v.signoffs = sos
	return err
}

// level is a school's level in the chain and the unit that gives it: the
// highest unit on its path whose sign-off holds (accepted before signed)
// over a handed-in submission, else its submission's status ("" when it
// has none): a gap a sign-off named stays what it is.
func (v *view) level(school *store.Org, sub *store.Submission) (string, string) {
	if sub == nil {
		return "", ""
	}
	if !handedIn(sub) {
		return sub.Status, ""
	}
	for _, state := range []string{LevelAccepted, LevelSigned} {
		for _, id := range school.Path {
			if so := v.signoffs[id]; so != nil && so.State == state {
				return state, id
			}
		}
	}
	return sub.Status, ""
}

// groupLevel is a group's own sign-off state ("" for none, and for the
// view's root's own schools).
func (v *view) groupLevel(group string) string {
	if so := v.signoffs[group]; so != nil && group != v.root.ID {
		return so.State
	}
	return ""
}
