package store

import (
	"cmp"
	"slices"
)

// Tree is the org tree as read from the directory, for one request: a
// bureau, the units below it at any depth (districts, counties, 镇街
// offices, 学区) and the schools.
type Tree struct {
	byID     map[string]*Org
	children map[string][]*Org
	schools  []*Org // by code
}

// NewTree indexes orgs; their paths say where each one sits.
func NewTree(orgs []Org) *Tree {
	t := &Tree{byID: make(map[string]*Org, len(orgs)), children: map[string][]*Org{}}
	for i := range orgs {
		o := &orgs[i]
		t.byID[o.ID] = o
		if o.Parent != "" {
			t.children[o.Parent] = append(t.children[o.Parent], o)
		}
		if o.Kind == KindSchool {
			t.schools = append(t.schools, o)
		}
	}
	byCode := func(a, b *Org) int { return cmp.Compare(a.ID, b.ID) }
	for _, c := range t.children {
		slices.SortFunc(c, byCode)
	}
	slices.SortFunc(t.schools, byCode)
	return t
}

// Org returns an org, or nil.
func (t *Tree) Org(id string) *Org { return t.byID[id] }

// Children returns the orgs right below id, by code.
func (t *Tree) Children(id string) []*Org { return t.children[id] }

// Len is the number of orgs.
func (t *Tree) Len() int { return len(t.byID) }

// Under returns the orgs under (and with) id, by code.
func (t *Tree) Under(id string) []*Org {
	var out []*Org
	for _, o := range t.byID {
		if Within(o, id) {
			out = append(out, o)
		}
	}
	slices.SortFunc(out, func(a, b *Org) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Schools returns the schools under every org of under (their subtrees'
// intersection), by code.
func (t *Tree) Schools(under ...string) []*Org {
	var out []*Org
	for _, s := range t.schools {
		if Within(s, under...) {
			out = append(out, s)
		}
	}
	return out
}

// Within reports whether o lies under (or is) every org of under.
func Within(o *Org, under ...string) bool {
	for _, u := range under {
		if u != "" && !slices.Contains(o.Path, u) {
			return false
		}
	}
	return true
}

// ChildOf returns the org right below ancestor on o's path: the group o
// is counted in when ancestor's figures are broken down. It is "" when o
// is ancestor itself or not under it.
func ChildOf(ancestor string, o *Org) string {
	i := slices.Index(o.Path, ancestor)
	if i < 0 || i+1 >= len(o.Path) {
		return ""
	}
	return o.Path[i+1]
}
