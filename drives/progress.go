package drives

import (
	"context"
	"iter"
	"math"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// Progress is a drive's completeness in the caller's scope (or one unit
// of it, Under), overall and per unit right below it. The units are in
// Districts, whatever they are called where the tree is deeper or
// shallower: 区县 under a city, 镇街 under a county, and a 直属 group for
// the schools right below.
type Progress struct {
	Drive     string               `json:"drive"`
	DriveName string               `json:"driveName"`
	Under     string               `json:"under"`
	UnderName string               `json:"underName"`
	Total     reports.Counts       `json:"total"`
	Districts []reports.Counts     `json:"districts"`
	Missing   []reports.SchoolInfo `json:"missing"`
	// FormVersions lists the form versions the submissions used, in order of first use.
	FormVersions []string `json:"formVersions"`
}

// Row is one expected school of a drive with its submission, if any, and
// the group (unit) it is counted under.
type Row struct {
	School     *store.Org
	Submission *store.Submission
	Group      string
	GroupName  string
	// Level is the school's level in the chain: its submission's status,
	// or signed / accepted when a unit's sign-off (LevelUnit) holds it.
	Level     string
	LevelUnit string
	// entry is the school's sheet entry, which counts its anomalies when
	// the submission is read lean.
	entry *store.Entry
}

// rows yields a view's schools by group then code, each with its
// submission: from its sheet entry (status, dates, verdicts) when lean,
// from its answers otherwise — a few read ahead at a time, nothing held
// for the whole drive.
func (s *Service) rows(ctx context.Context, d *store.Drive, v *view, lean bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		var answered []string
		if !lean {
			for _, school := range v.schools {
				if v.entries[school.ID] != nil {
					answered = append(answered, school.ID)
				}
			}
		}
		next, stop := iter.Pull2(s.Store.Answers(ctx, d.ID, answered))
		defer stop()
		for _, school := range v.schools {
			g := v.group(school)
			e := v.entries[school.ID]
			row := Row{School: school, Group: g, GroupName: v.groupName(g), entry: e}
			switch {
			case e == nil:
			case lean:
				row.Submission = submissionOf(e)
			default:
				sub, err, _ := next()
				if err != nil {
					yield(Row{}, err)
					return
				}
				if sub == nil {
					sub = submissionOf(e) // answers not written yet: the counts still see it
				}
				row.Submission = sub
			}
			row.Level, row.LevelUnit = v.level(school, row.Submission)
			if !yield(row, nil) {
				return
			}
		}
	}
}

// Rows yields the schools a drive expects within the caller's scope, by
// group then code, each with its submission.
func (s *Service) Rows(ctx context.Context, u *store.User, d *store.Drive, lean bool) iter.Seq2[Row, error] {
	return func(yield func(Row, error) bool) {
		v, err := s.viewOf(ctx, u, d, "")
		if err != nil {
			yield(Row{}, err)
			return
		}
		for row, err := range s.rows(ctx, d, v, lean) {
			if !yield(row, err) || err != nil {
				return
			}
		}
	}
}

// DriveProgress finds a drive the caller may see and its completeness.
func (s *Service) DriveProgress(ctx context.Context, u *store.User, id string) (*store.Drive, *Progress, error) {
	return s.DriveProgressUnder(ctx, u, id, "")
}

// DriveProgressUnder is DriveProgress narrowed to one unit of the
// caller's scope, broken down by the units below it.
func (s *Service) DriveProgressUnder(ctx context.Context, u *store.User, id, under string) (*store.Drive, *Progress, error) {
	d, err := s.Drive(ctx, u, id)
	if err != nil {
		return nil, nil, err
	}
	v, err := s.viewOf(ctx, u, d, under)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.progress(ctx, d, v)
	return d, p, err
}

// Progress computes a drive's completeness for the caller.
func (s *Service) Progress(ctx context.Context, u *store.User, d *store.Drive) (*Progress, error) {
	v, err := s.viewOf(ctx, u, d, "")
	if err != nil {
		return nil, err
	}
	return s.progress(ctx, d, v)
}

func (s *Service) progress(ctx context.Context, d *store.Drive, v *view) (*Progress, error) {
	t := newTally()
	p := &Progress{Drive: d.ID, DriveName: d.Name, Under: v.root.ID, UnderName: v.root.Name,
		Missing: []reports.SchoolInfo{}, FormVersions: []string{}}
	seen := map[string]bool{}
	for row, err := range s.rows(ctx, d, v, true) {
		if err != nil {
			return nil, err
		}
		if sub := row.Submission; sub != nil && !seen[sub.FormVersion] {
			seen[sub.FormVersion] = true
			p.FormVersions = append(p.FormVersions, sub.FormVersion)
		}
		if !t.add(row) {
			p.Missing = append(p.Missing, SchoolInfo(row))
		}
	}
	p.Total, p.Districts = t.result()
	for i := range p.Districts {
		p.Districts[i].Level = v.groupLevel(p.Districts[i].District)
	}
	return p, nil
}

// SchoolInfo is what reports show of a row's school.
func SchoolInfo(row Row) reports.SchoolInfo {
	o := row.School
	return reports.SchoolInfo{
		Code: o.ID, Name: o.Name, District: row.Group, DistrictName: row.GroupName,
		Stages: o.Stages, Contact: o.Contact, Phone: o.Phone,
	}
}

// tally counts rows into per-district and total Counts: the one place the
// numbers of the progress endpoint and the export are computed.
type tally struct {
	order []string
	by    map[string]*reports.Counts
	total reports.Counts
}

func newTally() *tally {
	return &tally{by: map[string]*reports.Counts{}, total: newCounts("", "合计")}
}

func newCounts(id, name string) reports.Counts {
	return reports.Counts{District: id, DistrictName: name, Compliant: map[string]int{}, Scored: map[string]int{}}
}

// add counts one row and reports whether the school has submitted.
func (t *tally) add(row Row) bool {
	c, ok := t.by[row.Group]
	if !ok {
		n := newCounts(row.Group, row.GroupName)
		c = &n
		t.by[row.Group] = c
		t.order = append(t.order, row.Group)
	}
	submitted := false
	explained, unexplained := anomalies(row)
	score := reports.QualityScore(qualityFacts(row))
	for _, c := range []*reports.Counts{c, &t.total} {
		if submitted = count(c, row.Submission); submitted {
			c.Anomalies += explained + unexplained
			c.Unexplained += unexplained
		}
		c.QualityTotal += score
		switch row.Level {
		case LevelSigned:
			c.SignedOff++
		case LevelAccepted:
			c.Accepted++
		}
	}
	return submitted
}

// qualityFacts are what a row's data-quality score rests on.
func qualityFacts(row Row) reports.QualityFacts {
	sub := row.Submission
	if !handedIn(sub) {
		return reports.QualityFacts{}
	}
	explained, unexplained := anomalies(row)
	return reports.QualityFacts{Submitted: true, Late: sub.Late, Returns: sub.Returns, AfterApproval: sub.AfterApproval,
		Explained: explained, Unexplained: unexplained}
}

// anomalies counts a row's values outside their usual range, with and
// without an explanation.
func anomalies(row Row) (explained, unexplained int) {
	if row.Submission != nil && row.Submission.Anomalies != nil {
		return row.Submission.AnomalyCounts()
	}
	if row.entry != nil {
		return row.entry.Explained, row.entry.Unexplained
	}
	return 0, 0
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
		out = append(out, withQuality(*t.by[id]))
	}
	return withQuality(t.total), out
}

// withQuality sets the mean score, to one decimal.
func withQuality(c reports.Counts) reports.Counts {
	if c.Expected > 0 {
		c.Quality = math.Round(float64(c.QualityTotal)*10/float64(c.Expected)) / 10
	}
	return c
}
