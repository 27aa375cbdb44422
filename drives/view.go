package drives

import (
	"cmp"
	"context"
	"slices"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// view is a drive as one caller sees it at one moment: the schools it
// expects within the caller's scope (and the unit asked for), each with
// its sheet entry, grouped by the units right below the view's root —
// districts under a city, 镇街 offices under a county, whatever the depth.
// Everything a request counts or lists comes from one view, read with a
// few lookups: the directory and the drive's sheet.
type view struct {
	tree    *store.Tree
	root    *store.Org // the org whose children are the groups
	schools []*store.Org
	entries map[string]*store.Entry // by school
	// signoffs are the sign-offs of the units above the schools, by unit.
	signoffs map[string]*store.Signoff
}

// viewOf reads a drive's view for u, narrowed to the unit under when set.
func (s *Service) viewOf(ctx context.Context, u *store.User, d *store.Drive, under string) (*view, error) {
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	return s.viewIn(ctx, tree, u, d, under)
}

// viewIn is viewOf in a tree read already.
func (s *Service) viewIn(ctx context.Context, tree *store.Tree, u *store.User, d *store.Drive, under string) (*view, error) {
	root := deepest(tree, d.Scope.Org, u.Org)
	if under != "" {
		o := tree.Org(under)
		if o == nil || o.Kind == store.KindSchool || !store.Within(o, root.ID) {
			return nil, fail.Field("under", "not_found", "该单位不存在或不在您的范围内", "no such unit in your scope")
		}
		root = o
	}
	sheet, err := s.Store.Sheet(ctx, d)
	if err != nil {
		return nil, err
	}
	v := &view{tree: tree, root: root, entries: make(map[string]*store.Entry, len(sheet))}
	for i := range sheet {
		v.entries[sheet[i].School] = &sheet[i]
	}
	if err := s.loadSignoffs(ctx, d, v); err != nil {
		return nil, err
	}
	for _, school := range tree.Schools(root.ID, d.Scope.Org, u.Org) {
		if (school.Closed && v.entries[school.ID] == nil) || !Expects(d, school) {
			continue
		}
		v.schools = append(v.schools, school)
	}
	slices.SortStableFunc(v.schools, func(a, b *store.Org) int { return cmp.Compare(v.group(a), v.group(b)) })
	return v, nil
}

// deepest returns whichever of two orgs on one line lies lower (the
// intersection of their subtrees); the first when they do not nest.
func deepest(tree *store.Tree, a, b string) *store.Org {
	oa, ob := tree.Org(a), tree.Org(b)
	switch {
	case oa == nil && ob == nil:
		return &store.Org{ID: a, Path: []string{a}}
	case oa == nil:
		return ob
	case ob == nil:
		return oa
	case store.Within(ob, oa.ID):
		return ob
	}
	return oa
}

// group is the unit a school is counted under: the child of the view's
// root on its path. A school right below the root is its own root's
// 直属 group.
func (v *view) group(school *store.Org) string {
	g := store.ChildOf(v.root.ID, school)
	if g == school.ID {
		return v.root.ID
	}
	return g
}

// groupName is how a group is named in tables and lists.
func (v *view) groupName(id string) string {
	if id == v.root.ID {
		return v.root.Name + "直属"
	}
	if o := v.tree.Org(id); o != nil {
		return o.Name
	}
	return id
}

// submissionOf is an entry as the counts read it: the status, its dates
// and the compliance verdicts, without the answers.
func submissionOf(e *store.Entry) *store.Submission {
	if e == nil {
		return nil
	}
	sub := &store.Submission{ID: e.ID, School: e.School, Status: e.Status, Version: e.Version, Late: e.Late,
		FormVersion: e.FormVersion, SubmittedAt: e.SubmittedAt, UpdatedAt: e.UpdatedAt, Returns: e.Returns, AfterApproval: e.AfterApproval}
	for ind, st := range e.Compliance {
		sub.Compliance = append(sub.Compliance, forms.Result{Indicator: ind, Status: st})
	}
	slices.SortFunc(sub.Compliance, func(a, b forms.Result) int { return cmp.Compare(a.Indicator, b.Indicator) })
	return sub
}

// setParts sizes a new drive's sheet for the schools it expects now.
func (s *Service) setParts(ctx context.Context, d *store.Drive) error {
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return err
	}
	n := 0
	for _, school := range tree.Schools(d.Scope.Org) {
		if Expects(d, school) {
			n++
		}
	}
	d.Parts = store.PartsFor(n)
	return nil
}
