package orgs

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// Diff is what importing a school list would change.
type Diff struct {
	Units     []store.Org // new units the rows name, parents first
	Created   []store.Org // new schools
	Updated   []Update    // existing schools with changed fields
	Unchanged int         // rows equal to the stored school
	Errors    []RowError  // when not empty, nothing may be written
	Resumed   bool        // the file's import was cut short: this completes it
}

// Update is a change to an existing school.
type Update struct {
	Org     store.Org // the school as it will be
	Fields  []string  // the JSON names of the changed fields
	Changes []string  // "students: 300 → 320", for the audit log
}

// Summary is a diff as the API and the command line report it.
type Summary struct {
	DryRun    bool            `json:"dryRun"`
	Units     []UnitSummary   `json:"units"`
	Created   []string        `json:"created"`
	Updated   []UpdateSummary `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Resumed   bool            `json:"resumed"`
}

// UnitSummary is a unit an import creates: its code, name, kind and path
// of names from the bureau down.
type UnitSummary struct {
	Code string `json:"code"`
	Name string `json:"name"`
	Kind string `json:"kind"`
	Path string `json:"path"`
}

// UpdateSummary names an updated school and its changed fields.
type UpdateSummary struct {
	Code   string   `json:"code"`
	Fields []string `json:"fields"`
}

// Summary returns the codes created and updated.
func (d Diff) Summary(dryRun bool) Summary {
	s := Summary{DryRun: dryRun, Units: []UnitSummary{}, Created: []string{}, Updated: []UpdateSummary{}, Unchanged: d.Unchanged, Resumed: d.Resumed}
	names := map[string]string{}
	for _, u := range d.Units {
		names[u.ID] = u.Name
	}
	for _, u := range d.Units {
		path := []string{}
		for _, id := range u.Path {
			if n, ok := names[id]; ok {
				path = append(path, n)
			}
		}
		s.Units = append(s.Units, UnitSummary{Code: u.ID, Name: u.Name, Kind: u.Kind, Path: strings.Join(path, "/")})
	}
	for _, o := range d.Created {
		s.Created = append(s.Created, o.ID)
	}
	for _, u := range d.Updated {
		s.Updated = append(s.Updated, UpdateSummary{Code: u.Org.ID, Fields: u.Fields})
	}
	return s
}

// Err is nil when the diff has no row errors; otherwise an Invalid
// *fail.Error whose fields are paths like "rows[7].学校代码".
func (d Diff) Err() error {
	if len(d.Errors) == 0 {
		return nil
	}
	fields := make([]forms.FieldError, 0, min(len(d.Errors), MaxErrors))
	for _, e := range d.Errors[:min(len(d.Errors), MaxErrors)] {
		path := "rows[" + strconv.Itoa(e.Row) + "]"
		if e.Column != "" {
			path += "." + e.Column
		}
		fields = append(fields, forms.FieldError{Field: path, Code: e.Code, Message: e.Message})
	}
	return &fail.Error{Code: fail.Invalid, Fields: fields, Message: forms.Text{
		Zh: fmt.Sprintf("表格中有 %d 处错误，没有导入任何数据", len(d.Errors)),
		En: fmt.Sprintf("The sheet has %d errors; nothing was imported", len(d.Errors)),
	}}
}

// Plan compares the rows with the stored orgs that have the same codes
// (existing, of any kind and place) and works out what to create and
// update. districts are the districts rows may name (by code or name),
// and the bureau, whose schools' rows leave the district empty; scope is
// the caller's org: rows for schools or districts outside it are
// errors, as are rows that would move a school to another district.
func Plan(existing map[string]store.Org, rows []SchoolRow, units []store.Org, scope string, createUnits bool) Diff {
	var d Diff
	f := newUnitFinder(rootOf(units), units, createUnits)
	for _, r := range rows {
		dist, e := f.find(r)
		if e == nil && r.District == "" && !slices.Contains(dist.Path, scope) {
			e = &RowError{Row: r.Row, Column: ColDistrict, Code: "required",
				Message: forms.Text{Zh: "必须填写所属单位", En: "The unit is required"}}
		}
		if e == nil && !slices.Contains(dist.Path, scope) {
			e = &RowError{Row: r.Row, Column: ColDistrict, Code: "outside_scope",
				Message: forms.Text{Zh: "“" + echo(r.District) + "”不在您的管辖范围内", En: echo(r.District) + " is outside your scope"}}
		}
		if e != nil {
			d.Errors = append(d.Errors, *e)
			continue
		}
		old, ok := existing[r.Code]
		if !ok {
			d.Created = append(d.Created, newSchool(r, dist))
			continue
		}
		if e := checkExisting(r, old, dist, scope); e != nil {
			d.Errors = append(d.Errors, *e)
			continue
		}
		if u, changed := update(old, r); changed {
			d.Updated = append(d.Updated, u)
		} else {
			d.Unchanged++
		}
	}
	// Units planned for rows that failed are not made.
	for _, u := range f.planned {
		if slices.ContainsFunc(d.Created, func(o store.Org) bool { return slices.Contains(o.Path, u.ID) }) {
			d.Units = append(d.Units, u)
		}
	}
	return d
}

// rootOf is the top of units: the one of the shortest path.
func rootOf(units []store.Org) store.Org {
	var root store.Org
	for _, u := range units {
		if root.ID == "" || len(u.Path) < len(root.Path) {
			root = u
		}
	}
	return root
}

// checkExisting refuses a row whose code belongs to something that is not
// a school, to a school outside the scope, or to a school of another district.
func checkExisting(r SchoolRow, old, dist store.Org, scope string) *RowError {
	var e RowError
	switch {
	case old.Kind != store.KindSchool:
		e = rowErr(r.Row, ColCode, "code_taken", "该代码已是“"+old.Name+"”的代码，不是学校", "The code belongs to "+old.Name+", which is not a school")
	case !slices.Contains(old.Path, scope):
		e = rowErr(r.Row, ColCode, "outside_scope", "该学校不在您的管辖范围内", "This school is outside your scope")
	case old.Parent != dist.ID:
		e = rowErr(r.Row, ColDistrict, "district_changed", "该学校属于另一个区县，导入不能改变学校的所属区县",
			"The school belongs to another district; an import cannot move a school")
	default:
		return nil
	}
	return &e
}

func newSchool(r SchoolRow, dist store.Org) store.Org {
	o := store.Org{ID: r.Code, Kind: store.KindSchool, Parent: dist.ID, Path: append(slices.Clone(dist.Path), r.Code)}
	apply(&o, r)
	return o
}

// apply copies a row's values onto a school.
func apply(o *store.Org, r SchoolRow) {
	o.Name, o.Stages, o.Public, o.Urban = r.Name, normStages(r.Stages), r.Public, r.Urban
	o.Classrooms, o.Students, o.Contact, o.Phone = r.Classrooms, r.Students, r.Contact, r.Phone
	if r.Closed != nil {
		o.Closed = *r.Closed
	}
}

// update returns the school with the row applied and what changed.
func update(old store.Org, r SchoolRow) (Update, bool) {
	n := old
	n.Path, n.Stages = slices.Clone(old.Path), slices.Clone(old.Stages)
	apply(&n, r)
	u := Update{Org: n}
	note := func(field string, before, after any) {
		u.Fields = append(u.Fields, field)
		u.Changes = append(u.Changes, fmt.Sprintf("%s: %v → %v", field, before, after))
	}
	if old.Name != n.Name {
		note("name", old.Name, n.Name)
	}
	if oldStages := normStages(old.Stages); !slices.Equal(oldStages, n.Stages) {
		note("stages", stageText(oldStages), stageText(n.Stages))
	}
	if old.Public != n.Public {
		note("public", ownershipText(old.Public), ownershipText(n.Public))
	}
	if old.Urban != n.Urban {
		note("urban", localityText(old.Urban), localityText(n.Urban))
	}
	if old.Classrooms != n.Classrooms {
		note("classrooms", old.Classrooms, n.Classrooms)
	}
	if old.Students != n.Students {
		note("students", old.Students, n.Students)
	}
	if old.Contact != n.Contact {
		note("contact", old.Contact, n.Contact)
	}
	if old.Phone != n.Phone {
		note("phone", old.Phone, n.Phone)
	}
	if old.Closed != n.Closed {
		note("closed", statusText(old.Closed), statusText(n.Closed))
	}
	return u, len(u.Fields) > 0
}

// sortErrors orders row errors by row, keeping each row's column order.
func sortErrors(errs []RowError) {
	slices.SortStableFunc(errs, func(a, b RowError) int { return cmp.Compare(a.Row, b.Row) })
}
