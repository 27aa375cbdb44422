package orgs

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"slices"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// Audit actions of an import.
const (
	ActionCreate = "org.import.create"
	ActionUpdate = "org.import.update"
)

// defaultBatch is how many schools one write of an import carries unless
// Options say otherwise.
const defaultBatch = 1000

// Options are the settings of one import.
type Options struct {
	MaxBytes int64 // the largest workbook read
	DryRun   bool  // only report what would change
	Now      time.Time
	Batch    int // schools per write; 0 means 1000
	// CreateUnits creates the units the rows name that do not exist yet;
	// without it they are row errors.
	CreateUnits bool
	// Progress, when set, is called after each batch written with the
	// schools written so far and the number to write.
	Progress func(written, total int)
}

// Import reads a school list and plans it for user u: the rows may name
// the units of u's bureau at any depth, or none for a school right below
// the bureau, and must lie within u's org. A list with errors
// returns the diff and its Err; nothing is written then. Unless DryRun, a
// list without errors is applied in batches, each school written whole.
// The import is recorded under the file's hash: an import cut short (a
// stopped process, a lost connection) is completed by importing the same
// file again, whose answer, like that of its dry run, is that of the whole
// import, as if it had never stopped.
func Import(ctx context.Context, s *store.Store, u *store.User, r io.Reader, o Options) (Diff, error) {
	data, err := io.ReadAll(io.LimitReader(r, o.MaxBytes+1))
	if err != nil {
		return Diff{}, fail.Wrap(fail.Invalid, err, "读取文件失败", "Unable to read the file")
	}
	rows, errs, err := ParseSchools(bytes.NewReader(data), o.MaxBytes)
	if err != nil {
		return Diff{}, err
	}
	root := u.Org
	if len(u.OrgPath) > 0 {
		root = u.OrgPath[0]
	}
	existing, units, err := readTree(ctx, s, rows, root)
	if err != nil {
		return Diff{}, err
	}
	d := Plan(existing, rows, units, u.Org, o.CreateUnits)
	d.Errors = append(errs, d.Errors...)
	sortErrors(d.Errors)
	if err := d.Err(); err != nil {
		return d, err
	}
	id := importID(u.Org, data)
	rec, err := s.OrgImportRecord(ctx, id)
	switch {
	case fail.Is(err, fail.NotFound):
		rec = nil
	case err != nil:
		return d, err
	case rec.State != store.ImportRunning:
		rec = nil
	}
	whole := d
	if rec != nil {
		whole = resume(d, rec, existing)
	}
	if o.DryRun || rec == nil && len(d.Created)+len(d.Updated) == 0 {
		return whole, nil
	}
	now := o.Now.UTC()
	if rec == nil {
		rec = record(id, u, d, len(rows), now)
		if err := s.StartOrgImport(ctx, rec); err != nil {
			return whole, err
		}
	}
	if o.Batch <= 0 {
		o.Batch = defaultBatch
	}
	if err := write(ctx, s, d, o.Batch, rec.Run, u.ID, now, o.Progress); err != nil {
		return whole, err
	}
	if whole.Resumed {
		// The schools written before the interruption may lack their entries.
		if err := s.InsertAudit(ctx, auditEntries(whole, rec.Run, u.ID, now)...); err != nil {
			return whole, err
		}
	}
	return whole, s.FinishOrgImport(ctx, id, now)
}

// readTree reads from the directory the orgs that have the codes of the
// rows (of any kind and place) and the units a row may name: root itself
// (for schools right below it) and every unit under it, at any depth.
func readTree(ctx context.Context, s *store.Store, rows []SchoolRow, root string) (map[string]store.Org, []store.Org, error) {
	tree, err := s.Tree(ctx)
	if err != nil {
		return nil, nil, err
	}
	existing := map[string]store.Org{}
	for _, r := range rows {
		if o := tree.Org(r.Code); o != nil {
			existing[r.Code] = *o
		}
	}
	var units []store.Org
	for _, o := range tree.Under(root) {
		if o.Kind != store.KindSchool {
			units = append(units, *o)
		}
	}
	return existing, units, nil
}

// write writes a diff in batches: the new schools inserted, the changed
// ones updated field by field, each batch followed by its audit entries.
// A school created by someone else after the diff was planned is left as
// it is; the import then ends with a Conflict once the rest is written.
func write(ctx context.Context, s *store.Store, d Diff, batch int, run, by string, now time.Time, progress func(int, int)) error {
	total, written := len(d.Created)+len(d.Updated), 0
	var taken []string
	if len(d.Units) > 0 {
		units := make([]store.Org, len(d.Units))
		for i, u := range d.Units {
			u.UpdatedAt = now
			units[i] = u
		}
		if _, err := s.InsertOrgs(ctx, units); err != nil { // a unit made meanwhile is the same unit
			return err
		}
		if err := s.InsertAudit(ctx, auditEntries(Diff{Units: d.Units}, run, by, now)...); err != nil {
			return err
		}
	}
	for part := range slices.Chunk(d.Created, batch) {
		orgs := make([]store.Org, len(part))
		for i, o := range part {
			o.UpdatedAt = now
			orgs[i] = o
		}
		lost, err := s.InsertOrgs(ctx, orgs)
		if err != nil {
			return err
		}
		taken = append(taken, lost...)
		done := slices.DeleteFunc(slices.Clone(part), func(o store.Org) bool { return slices.Contains(lost, o.ID) })
		if err := s.InsertAudit(ctx, auditEntries(Diff{Created: done}, run, by, now)...); err != nil {
			return err
		}
		written += len(part)
		report(progress, written, total)
	}
	for part := range slices.Chunk(d.Updated, batch) {
		updates := make([]store.OrgUpdate, len(part))
		for i, u := range part {
			u.Org.UpdatedAt = now
			updates[i] = store.OrgUpdate{Org: u.Org, Fields: u.Fields}
		}
		if err := s.UpdateOrgs(ctx, updates); err != nil {
			return err
		}
		if err := s.InsertAudit(ctx, auditEntries(Diff{Updated: part}, run, by, now)...); err != nil {
			return err
		}
		written += len(part)
		report(progress, written, total)
	}
	if len(taken) > 0 {
		return fail.New(fail.Conflict,
			fmt.Sprintf("导入期间有 %d 所学校（如 %s）已被他人创建，其余已导入：请再次导入同一文件", len(taken), taken[0]),
			fmt.Sprintf("%d schools (such as %s) were created by someone else during the import; the rest was imported: import the same file again", len(taken), taken[0]))
	}
	return nil
}

func report(progress func(int, int), written, total int) {
	if progress != nil {
		progress(written, total)
	}
}

// auditEntries are the audit entries of a diff. Their ids are made of the
// import's run and the school code, so writing them again adds nothing.
func auditEntries(d Diff, run, by string, now time.Time) []store.AuditEntry {
	out := make([]store.AuditEntry, 0, len(d.Units)+len(d.Created)+len(d.Updated))
	entry := func(code, action string, changes []string) store.AuditEntry {
		return store.AuditEntry{ID: run + ":" + code, At: now, By: by, Action: action, Object: code, Kind: store.KindSchool, Changes: changes}
	}
	for _, u := range d.Units {
		e := entry(u.ID, ActionCreate, []string{"name: " + u.Name, "kind: " + u.Kind})
		e.Kind = u.Kind
		out = append(out, e)
	}
	for _, o := range d.Created {
		out = append(out, entry(o.ID, ActionCreate, nil))
	}
	for _, u := range d.Updated {
		out = append(out, entry(u.Org.ID, ActionUpdate, u.Changes))
	}
	return out
}

// importID names the import of a file into a scope.
func importID(scope string, file []byte) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00", scope)
	h.Write(file)
	return hex.EncodeToString(h.Sum(nil))
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
