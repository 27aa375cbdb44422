package drives

import (
	"context"
	"iter"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// Progress is a drive's completeness, per district and overall.
type Progress struct {
	Drive     string               `json:"drive"`
	DriveName string               `json:"driveName"`
	Total     reports.Counts       `json:"total"`
	Districts []reports.Counts     `json:"districts"`
	Missing   []reports.SchoolInfo `json:"missing"`
	// FormVersions lists the form versions the submissions used, in order of first use.
	FormVersions []string `json:"formVersions"`
}

// Row is one expected school of a drive with its submission, if any.
type Row struct {
	School     *store.Org
	Submission *store.Submission
}

// Rows yields the schools a drive expects within the caller's scope, by
// district then code, each with its submission: two sorted cursors merged
// per district, nothing held for the whole drive.
func (s *Service) Rows(ctx context.Context, u *store.User, d *store.Drive, lean bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		districts, err := s.Store.Districts(ctx, []string{d.Scope.Org, u.Org})
		if err != nil {
			yield(Row{}, err)
			return
		}
		for _, dist := range districts {
			under := []string{d.Scope.Org, u.Org, dist.ID}
			next, stop := iter.Pull2(s.Store.Submissions(ctx, store.SubmissionFilter{Drive: d.ID, Under: under, Lean: lean}))
			sub, subErr, more := next()
			for school, err := range s.Store.Schools(ctx, store.SchoolQuery{Under: under, Stages: d.Scope.Stages, District: dist.ID}) {
				if err != nil {
					stop()
					yield(Row{}, err)
					return
				}
				for more && subErr == nil && sub.School < school.ID {
					sub, subErr, more = next()
				}
				if subErr != nil {
					stop()
					yield(Row{}, subErr)
					return
				}
				row := Row{School: school}
				if more && sub.School == school.ID {
					row.Submission = sub
				}
				if (school.Closed && row.Submission == nil) || !Expects(d, school) {
					continue
				}
				if !yield(row, nil) {
					stop()
					return
				}
			}
			stop()
		}
	}
}

// DriveProgress finds a drive the caller may see and its completeness.
func (s *Service) DriveProgress(ctx context.Context, u *store.User, id string) (*store.Drive, *Progress, error) {
	d, err := s.Drive(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.Progress(ctx, u, d)
	return d, p, err
}

// Progress computes a drive's completeness for the caller from scoped queries.
func (s *Service) Progress(ctx context.Context, u *store.User, d *store.Drive) (*Progress, error) {
	names, err := s.districtNames(ctx, u, d)
	if err != nil {
		return nil, err
	}
	t := newTally(names)
	p := &Progress{Drive: d.ID, DriveName: d.Name, Missing: []reports.SchoolInfo{}, FormVersions: []string{}}
	seen := map[string]bool{}
	for row, err := range s.Rows(ctx, u, d, true) {
		if err != nil {
			return nil, err
		}
		if sub := row.Submission; sub != nil && !seen[sub.FormVersion] {
			seen[sub.FormVersion] = true
			p.FormVersions = append(p.FormVersions, sub.FormVersion)
		}
		if !t.add(row) {
			p.Missing = append(p.Missing, SchoolInfo(row.School, names))
		}
	}
	p.Total, p.Districts = t.result()
	return p, nil
}

func (s *Service) districtNames(ctx context.Context, u *store.User, d *store.Drive) (map[string]string, error) {
	districts, err := s.Store.Districts(ctx, []string{d.Scope.Org, u.Org})
	if err != nil {
		return nil, err
	}
	names := make(map[string]string, len(districts))
	for _, o := range districts {
		names[o.ID] = o.Name
	}
	return names, nil
}

// SchoolInfo is what reports show of a school.
func SchoolInfo(o *store.Org, districtNames map[string]string) reports.SchoolInfo {
	return reports.SchoolInfo{
		Code: o.ID, Name: o.Name, District: o.Parent, DistrictName: districtNames[o.Parent],
		Stages: o.Stages, Contact: o.Contact, Phone: o.Phone,
	}
}

// tally counts rows into per-district and total Counts: the one place the
// numbers of the progress endpoint and the export are computed.
type tally struct {
	names map[string]string
	order []string
	by    map[string]*reports.Counts
	total reports.Counts
}

func newTally(names map[string]string) *tally {
	return &tally{names: names, by: map[string]*reports.Counts{}, total: newCounts("", "合计")}
}

func newCounts(id, name string) reports.Counts {
	return reports.Counts{District: id, DistrictName: name, Compliant: map[string]int{}, Scored: map[string]int{}}
}

// add counts one row and reports whether the school has submitted.
func (t *tally) add(row Row) bool {
	dist := row.School.Parent
	c, ok := t.by[dist]
	if !ok {
		n := newCounts(dist, t.names[dist])
		c = &n
		t.by[dist] = c
		t.order = append(t.order, dist)
	}
	submitted := false
	for _, c := range []*reports.Counts{c, &t.total} {
		submitted = count(c, row.Submission)
	}
	return submitted
}

// handedIn reports whether a submission counts as submitted: once handed
// in it stays so, whether returned for correction or approved.
func handedIn(sub *store.Submission) bool { return sub != nil && !sub.SubmittedAt.IsZero() }

func count(c *reports.Counts, sub *store.Submission) bool {
	c.Expected++
	if !handedIn(sub) {
		c.Missing++
		if sub != nil {
			c.Drafts++
		}
		return false
	}
	c.Submitted++
	if sub.Late {
		c.Late++
	} else {
		c.OnTime++
	}
	switch sub.Status {
	case store.StatusReturned:
		c.Returned++
	case store.StatusApproved:
		c.Approved++
	}
	for _, r := range sub.Compliance {
		if r.Status == forms.NotApplicable {
			continue
		}
		c.Scored[r.Indicator]++
		if r.Status == forms.Compliant {
			c.Compliant[r.Indicator]++
		}
	}
	return true
}

func (t *tally) result() (reports.Counts, []reports.Counts) {
	out := make([]reports.Counts, 0, len(t.order))
	for _, id := range t.order {
		out = append(out, *t.by[id])
	}
	return t.total, out
}
