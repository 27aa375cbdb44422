package orgs

import (
	"context"
	"io"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// Audit actions of an import.
const (
	ActionCreate = "org.import.create"
	ActionUpdate = "org.import.update"
)

// auditBatch is how many audit entries are written at once.
const auditBatch = 200

// Import reads a school list and plans it for user u: the rows may name the
// districts of u's bureau, or none for a school directly under the bureau,
// and must lie within u's org. Unless dryRun, a list
// without errors is applied. A list with errors returns the diff and its
// Err; nothing is written then.
func Import(ctx context.Context, s *store.Store, u *store.User, r io.Reader, maxBytes int64, dryRun bool, now time.Time) (Diff, error) {
	rows, errs, err := ParseSchools(r, maxBytes)
	if err != nil {
		return Diff{}, err
	}
	root := u.Org
	if len(u.OrgPath) > 0 {
		root = u.OrgPath[0]
	}
	districts, err := s.Orgs(ctx, store.OrgFilter{Under: root, Kind: store.KindDistrict})
	if err != nil {
		return Diff{}, err
	}
	bureau, err := s.Org(ctx, root)
	if err != nil {
		return Diff{}, err
	}
	districts = append(districts, *bureau)
	codes := make([]string, len(rows))
	for i, row := range rows {
		codes[i] = row.Code
	}
	existing, err := s.OrgsByID(ctx, codes)
	if err != nil {
		return Diff{}, err
	}
	d := Plan(existing, rows, districts, u.Org)
	d.Errors = append(errs, d.Errors...)
	sortErrors(d.Errors)
	if err := d.Err(); err != nil {
		return d, err
	}
	if dryRun {
		return d, nil
	}
	return d, Apply(ctx, s, d, u.ID, now)
}

// Apply writes a diff that has no row errors: every created or updated
// school is an upsert of its own document, recorded in the audit log once
// written. A diff with errors writes nothing.
func Apply(ctx context.Context, s *store.Store, d Diff, by string, now time.Time) error {
	if err := d.Err(); err != nil {
		return err
	}
	now = now.UTC()
	var log []store.AuditEntry
	flush := func() error {
		err := s.InsertAudit(ctx, log...)
		log = log[:0]
		return err
	}
	put := func(o store.Org, e store.AuditEntry) error {
		o.UpdatedAt = now
		if err := s.PutOrg(ctx, &o); err != nil {
			_ = flush() // record what was written before the failure
			return err
		}
		e.At, e.By, e.Object, e.Kind = now, by, o.ID, store.KindSchool
		if log = append(log, e); len(log) == auditBatch {
			return flush()
		}
		return nil
	}
	for _, o := range d.Created {
		if err := put(o, store.AuditEntry{Action: ActionCreate}); err != nil {
			return err
		}
	}
	for _, u := range d.Updated {
		if err := put(u.Org, store.AuditEntry{Action: ActionUpdate, Changes: u.Changes}); err != nil {
			return err
		}
	}
	return flush()
}

// Root returns an administrator of the database's bureau (the root of the
// organisation tree), for imports from the command line.
func Root(ctx context.Context, s *store.Store) (*store.User, error) {
	var roots []store.Org
	b, err := s.Bureau(ctx)
	switch {
	case err == nil:
		var o *store.Org
		if o, err = s.Org(ctx, b.Org); err == nil {
			roots = []store.Org{*o}
		}
	case fail.Is(err, fail.NotFound):
		roots, err = s.RootOrgs(ctx)
	}
	switch {
	case err != nil && !fail.Is(err, fail.NotFound):
		return nil, err
	case len(roots) == 0:
		return nil, fail.New(fail.NotFound, "还没有教育局：请先运行 tianbao init", "There is no bureau yet: run tianbao init first")
	case len(roots) > 1:
		return nil, fail.New(fail.Conflict, "数据库中有多个教育局，无法确定导入到哪一个",
			"The database has several bureaus; cannot tell which one to import into")
	}
	c := roots[0]
	return &store.User{ID: "cli", Name: "command line", Role: store.RoleAdmin, Org: c.ID, OrgPath: c.Path}, nil
}
