package orgs

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/tianbao-edu/tianbao/store"
)

// A school list names each school's unit as a path from the bureau down,
// by name or code: "李园街道", "黄石港区/花湖街道", "420202/花湖街道". A county
// bureau's schools right below it leave the column empty. Units a path
// names that do not exist yet are created with the schools when the import
// is asked to (a misspelt district must not become a new one unnoticed);
// the dry run lists them.

// pathSeparators split a unit path.
const pathSeparators = "/／>＞"

// unitPath splits a unit column's text into its levels.
func unitPath(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(pathSeparators, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// unitFinder resolves unit paths from root against the units there are,
// planning the ones that are missing (the same path planned once).
type unitFinder struct {
	create   bool // plan missing units; otherwise they are errors
	root     store.Org
	children map[string][]store.Org // unit → units right below it
	byID     map[string]store.Org
	planned  []store.Org
}

func newUnitFinder(root store.Org, units []store.Org, create bool) *unitFinder {
	f := &unitFinder{create: create, root: root, children: map[string][]store.Org{}, byID: map[string]store.Org{}}
	for _, u := range units {
		f.byID[u.ID] = u
		if u.Parent != "" {
			f.children[u.Parent] = append(f.children[u.Parent], u)
		}
	}
	return f
}

// find resolves a row's unit: the root for an empty column, else the path
// level by level, each level a child's code or name (with or without
// 教育局), planning the levels that do not exist.
func (f *unitFinder) find(r SchoolRow) (store.Org, *RowError) {
	at := f.root
	path := unitPath(r.District)
	if len(path) > 0 && (path[0] == f.root.ID || districtLabel(path[0]) == districtLabel(f.root.Name)) {
		path = path[1:] // the bureau itself
	}
	for i, level := range path {
		if u, ok := f.byID[level]; ok && i == 0 && slices.Contains(u.Path, f.root.ID) {
			at = u // a code names the unit wherever it is
			continue
		}
		var match []store.Org
		for _, c := range f.children[at.ID] {
			if c.ID == level || districtLabel(c.Name) == districtLabel(level) {
				match = append(match, c)
			}
		}
		switch n := len(match); {
		case n == 1:
			at = match[0]
		case n == 0 && f.create:
			at = f.plan(at, districtLabel(level))
		case n == 0:
			e := rowErr(r.Row, ColDistrict, "unit_unknown", "“"+echo(at.Name)+"”下没有名为或代码为“"+echo(level)+"”的单位；如需新建，请选择“新建表中的单位”后再导入",
				"No unit below "+echo(at.Name)+" is named or coded "+strconv.Quote(echo(level))+"; to create it, import with the option to create the sheet's units")
			return store.Org{}, &e
		default:
			e := rowErr(r.Row, ColDistrict, "unit_ambiguous", "“"+echo(at.Name)+"”下有多个单位名为“"+echo(level)+"”：请填单位代码",
				"Several units below "+echo(at.Name)+" are named "+strconv.Quote(echo(level))+": use the unit's code")
			return store.Org{}, &e
		}
	}
	return at, nil
}

// plan adds a new unit below parent, named name, with the next free code
// of parent's (its code and a three-digit number) and the kind its name
// says.
func (f *unitFinder) plan(parent store.Org, name string) store.Org {
	n := len(f.children[parent.ID]) + 1
	id := fmt.Sprintf("%s%03d", parent.ID, n)
	for _, taken := f.byID[id]; taken; _, taken = f.byID[id] {
		n++
		id = fmt.Sprintf("%s%03d", parent.ID, n)
	}
	u := store.Org{ID: id, Name: name, Kind: kindOfName(name), Parent: parent.ID, Path: append(slices.Clone(parent.Path), id)}
	f.byID[id] = u
	f.children[parent.ID] = append(f.children[parent.ID], u)
	f.planned = append(f.planned, u)
	return u
}

// kindOfName tells a unit's kind by how its name ends.
func kindOfName(name string) string {
	switch {
	case strings.HasSuffix(name, "学区"):
		return store.KindArea
	case strings.HasSuffix(name, "街道"), strings.HasSuffix(name, "镇"), strings.HasSuffix(name, "乡"),
		strings.HasSuffix(name, "教育办"), strings.HasSuffix(name, "中心校"), strings.HasSuffix(name, "中心学校"):
		return store.KindTown
	case strings.HasSuffix(name, "县"), strings.HasSuffix(name, "旗"):
		return store.KindCounty
	case strings.HasSuffix(name, "市"):
		return store.KindCounty // a county-level city below a city or province
	}
	return store.KindDistrict
}

// unitLabel is a unit's path below root as the school list writes it.
func unitLabel(o, root store.Org, names map[string]string) string {
	i := slices.Index(o.Path, root.ID)
	if i < 0 || o.ID == root.ID {
		return ""
	}
	var parts []string
	for _, id := range o.Path[i+1:] {
		parts = append(parts, districtLabel(names[id]))
	}
	return strings.Join(parts, "/")
}
