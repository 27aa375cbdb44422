package drives

import (
	"cmp"
	"context"
	"encoding/base64"
	"slices"
	"strings"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// HazardView is a hazard as the bureau and the school see it: where it
// stands and whether it is overdue today.
type HazardView struct {
	store.Hazard
	SchoolName string `json:"schoolName"`
	Group      string `json:"group,omitempty"`
	GroupName  string `json:"groupName,omitempty"`
	Overdue    bool   `json:"overdue"`
	// DaysOverdue counts the days since its deadline passed.
	DaysOverdue int `json:"daysOverdue,omitempty"`
}

// HazardGroup counts the open hazards of one unit below the list's root.
type HazardGroup struct {
	Org     string `json:"org"`
	Name    string `json:"name"`
	Schools int    `json:"schools"` // schools with an open hazard
	Open    int    `json:"open"`
	Overdue int    `json:"overdue"`
	Major   int    `json:"major"`
}

// HazardPage is a page of the open hazards in a scope: the counts of every
// unit below its root on each page, the hazards a page at a time.
type HazardPage struct {
	AsOf    string        `json:"asOf"` // the day overdue is judged on
	Groups  []HazardGroup `json:"groups"`
	Hazards []HazardView  `json:"hazards"`
	Total   int           `json:"total"`
	Next    string        `json:"next"`
}

// HazardQuery selects the open hazards of a list.
type HazardQuery struct {
	Under  string // one unit of the caller's scope
	Status string // open (default) or overdue
	After  string // the Next of the page before
	Limit  int    // 50 by default, 500 at most
}

// today is the day in the bureau's time zone.
func (s *Service) today() string { return s.Now().In(s.Loc).Format(time.DateOnly) }

func (s *Service) viewHazard(h store.Hazard, school *store.Org, today string) HazardView {
	h.Seen = nil
	v := HazardView{Hazard: h, SchoolName: h.School, Overdue: h.Overdue(today)}
	if school != nil {
		v.SchoolName = school.Name
	}
	if v.Overdue {
		due, err1 := time.Parse(time.DateOnly, h.Deadline)
		now, err2 := time.Parse(time.DateOnly, today)
		if err1 == nil && err2 == nil {
			v.DaysOverdue = int(now.Sub(due).Hours() / 24)
		}
	}
	return v
}

// Hazards lists the open (or overdue) hazards of the schools in the
// caller's scope, or in the unit under of it, ordered by unit, school and
// the day found. A school sees its own.
func (s *Service) Hazards(ctx context.Context, u *store.User, q HazardQuery) (*HazardPage, error) {
	if q.Status != "" && q.Status != store.HazardOpen && q.Status != "overdue" {
		return nil, fail.Field("status", "option", "状态须为 open 或 overdue", "status must be open or overdue")
	}
	switch {
	case q.Limit == 0:
		q.Limit = 50
	case q.Limit < 1 || q.Limit > 500:
		return nil, fail.Field("limit", "range", "每页 1–500 条", "limit must be 1–500")
	}
	after, err := base64.RawURLEncoding.DecodeString(q.After)
	if err != nil {
		return nil, fail.Field("after", "invalid", "翻页位置无效", "after is not a position in this list")
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	root := tree.Org(u.Org)
	if root == nil {
		return nil, fail.NotFoundf("单位", "Unit")
	}
	if q.Under != "" {
		o := tree.Org(q.Under)
		if o == nil || !store.Within(o, u.Org) {
			return nil, fail.Field("under", "not_found", "该单位不存在或不在您的范围内", "no such unit in your scope")
		}
		root = o
	}
	open, err := s.Store.OpenHazards(ctx)
	if err != nil {
		return nil, err
	}
	v := &view{tree: tree, root: root}
	today := s.today()
	page := &HazardPage{AsOf: today, Groups: []HazardGroup{}, Hazards: []HazardView{}}
	groups := map[string]*HazardGroup{}
	var all []HazardView
	for code, hs := range open {
		school := tree.Org(code)
		if school == nil || !store.Within(school, root.ID) {
			continue
		}
		g := v.group(school)
		if groups[g] == nil {
			groups[g] = &HazardGroup{Org: g, Name: v.groupName(g)}
		}
		groups[g].Schools++
		for _, h := range hs {
			hv := s.viewHazard(h, school, today)
			hv.Group, hv.GroupName = g, groups[g].Name
			groups[g].Open++
			if hv.Overdue {
				groups[g].Overdue++
			}
			if h.Level == "major" {
				groups[g].Major++
			}
			if q.Status != "overdue" || hv.Overdue {
				all = append(all, hv)
			}
		}
	}
	for _, g := range groups {
		page.Groups = append(page.Groups, *g)
	}
	slices.SortFunc(page.Groups, func(a, b HazardGroup) int { return strings.Compare(a.Org, b.Org) })
	key := func(h *HazardView) string { return h.Group + "\x00" + h.School + "\x00" + h.FoundOn + "\x00" + h.ID }
	slices.SortFunc(all, func(a, b HazardView) int { return cmp.Compare(key(&a), key(&b)) })
	page.Total = len(all)
	for i := range all {
		if k := key(&all[i]); len(after) == 0 || k > string(after) {
			if len(page.Hazards) == q.Limit {
				page.Next = base64.RawURLEncoding.EncodeToString([]byte(key(&page.Hazards[q.Limit-1])))
				break
			}
			page.Hazards = append(page.Hazards, all[i])
		}
	}
	return page, nil
}

// SchoolLedger is a school's whole hazard ledger, open and closed, with
// the history of each hazard.
type SchoolLedger struct {
	School     string       `json:"school"`
	SchoolName string       `json:"schoolName"`
	AsOf       string       `json:"asOf"`
	Open       int          `json:"open"`
	Overdue    int          `json:"overdue"`
	Hazards    []HazardView `json:"hazards"`
}

// Ledger returns a school's ledger to the school or a bureau above it.
func (s *Service) Ledger(ctx context.Context, u *store.User, schoolID string) (*SchoolLedger, error) {
	school, err := s.school(ctx, u, schoolID)
	if err != nil {
		return nil, err
	}
	hs, err := s.Store.Hazards(ctx, school.ID)
	if err != nil {
		return nil, err
	}
	today := s.today()
	out := &SchoolLedger{School: school.ID, SchoolName: school.Name, AsOf: today, Hazards: []HazardView{}}
	for _, h := range hs {
		hv := s.viewHazard(h, school, today)
		if h.IsOpen() {
			out.Open++
		}
		if hv.Overdue {
			out.Overdue++
		}
		out.Hazards = append(out.Hazards, hv)
	}
	return out, nil
}

// FormContext is what a school's form reads besides its own answers: its
// values in the previous period and in the same period of the previous
// year (prev.* and prevYear.*), and its open hazards as rows of the ledger
// section, to carry into a new report.
//
// History holds the values of the forms.HistoryPeriods periods before
// (previous first, null for a period without a report) when the form checks
// changes; Carried what a new report starts with (fields marked carry);
// Period the drive's first and last day, for dates held within it.
type FormContext struct {
	Previous     forms.Values     `json:"previous"`
	PreviousYear forms.Values     `json:"previousYear"`
	Hazards      []map[string]any `json:"hazards"`
	History      []forms.Values   `json:"history"`
	Carried      forms.Values     `json:"carried"`
	Period       forms.Span       `json:"period"`
}

// Context returns the context of a school's form in a drive.
func (s *Service) Context(ctx context.Context, u *store.User, driveID, schoolID string) (*FormContext, error) {
	f, d, school, err := s.SchoolForm(ctx, u, driveID, schoolID)
	if err != nil {
		return nil, err
	}
	past, err := s.past(ctx, d, f, school.ID)
	if err != nil {
		return nil, err
	}
	out := &FormContext{Previous: sections(f, past.prev), PreviousYear: sections(f, past.year), Hazards: []map[string]any{},
		History: make([]forms.Values, len(past.history)), Carried: f.Carried(past.prev), Period: past.span}
	out.Period.Today = "" // the phone's own day: a cached context outlives today
	for i, v := range past.history {
		if v != nil {
			out.History[i] = sections(f, v)
		}
	}
	if hasLedger(f) {
		hs, err := s.Store.LiveHazards(ctx, school.ID, nil)
		if err != nil {
			return nil, err
		}
		for i := range hs {
			if hs[i].IsOpen() {
				out.Hazards = append(out.Hazards, hs[i].Row())
			}
		}
	}
	return out, nil
}

// sections keeps of v the sections of form f: what its rules may read.
func sections(f *forms.Form, v forms.Values) forms.Values {
	out := forms.Values{}
	for _, sec := range f.Sections {
		if vals, ok := v[sec.Indicator]; ok {
			out[sec.Indicator] = vals
		}
	}
	return out
}
