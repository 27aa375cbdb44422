package drives

import (
	"context"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/metrics"
	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// Service is the drive logic over a store.
type Service struct {
	Store *store.Store
	Now   func() time.Time
	Loc   *time.Location
	Log   *slog.Logger
	// Sender delivers reminders; nil sends none.
	Sender *notify.Sender
	// Metrics counts submissions and exports; nil counts nothing.
	Metrics *metrics.Metrics
	// PublicURL is the server's address as users reach it, for links in
	// messages ("" leaves them out).
	PublicURL string
	// ExportLimit is the size above which exports run as jobs (0: the default).
	ExportLimit int

	jobs sync.WaitGroup
	// observed is when the gauges were last refreshed, and after how many
	// sheet writes (the scheduler's loop alone touches it).
	observed struct {
		writes uint64
		at     time.Time
	}
	// Reports bounds the workbooks and trends built at once.
	Reports reportGate
	// starting makes finding a running export and starting one a single
	// step: taps at once get the same job.
	starting sync.Mutex

	mu     sync.Mutex
	forms  map[string]cachedForm
	drives *store.Cache[store.Drive]
	orgs   *store.Cache[store.Org]
}

// How long a drive and an org are read from memory: a reopening or an org
// change on another instance reaches this one within these times.
const (
	driveTTL = 5 * time.Second
	orgTTL   = 30 * time.Second
)

type cachedForm struct {
	form    *forms.Form
	expires time.Time
}

// formTTL bounds how long a generated form is reused before the plan and
// indicators are read again (they change rarely; forms are immutable).
const formTTL = time.Minute

// New returns a service; now and loc default to time.Now and Asia/Shanghai.
func New(s *store.Store, now func() time.Time, loc *time.Location, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if loc == nil {
		loc, _ = time.LoadLocation("Asia/Shanghai")
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{Store: s, Now: now, Loc: loc, Log: log, forms: map[string]cachedForm{},
		drives: store.NewCache[store.Drive](driveTTL, 10000, now), orgs: store.NewCache[store.Org](orgTTL, 100000, now)}
}

// now is the current time as stored: UTC, to the millisecond, so an answer
// read back from the database equals the one given when it was written.
func (s *Service) now() time.Time { return s.Now().UTC().Truncate(time.Millisecond) }

// IsBureau reports whether the role works for a bureau (sees many schools).
func IsBureau(role string) bool {
	return role == store.RoleAdmin || role == store.RoleDistrict || role == store.RoleViewer
}

// CanReview reports whether the role may approve and return submissions.
func CanReview(role string) bool { return role == store.RoleAdmin || role == store.RoleDistrict }

// Visible reports whether a drive concerns the caller: the drive's scope
// contains the caller's org or lies inside it.
func Visible(u *store.User, d *store.Drive) bool {
	return slices.Contains(u.OrgPath, d.Scope.Org) || slices.Contains(d.Scope.Path, u.Org)
}

// Drive returns a drive the caller may see; others are NotFound.
func (s *Service) Drive(ctx context.Context, u *store.User, id string) (*store.Drive, error) {
	d, err := s.drive(ctx, id)
	if err != nil {
		return nil, notFoundDrive(err)
	}
	if !Visible(u, d) {
		return nil, fail.NotFoundf("填报任务", "Drive")
	}
	return d, nil
}

func notFoundDrive(err error) error {
	if fail.Is(err, fail.NotFound) {
		return fail.NotFoundf("填报任务", "Drive")
	}
	return err
}

// Drives lists the drives the caller may see that close after since.
func (s *Service) Drives(ctx context.Context, u *store.User, since time.Time) ([]store.Drive, error) {
	all, err := s.Store.Drives(ctx, since)
	if err != nil {
		return nil, err
	}
	out := all[:0]
	for _, d := range all {
		if !Visible(u, &d) {
			continue
		}
		if err := s.scopeReopened(ctx, u, &d); err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// scopeReopened leaves in a drive's reopen list only the schools of the
// caller's scope: a school sees whether it is reopened itself, a bureau
// below the drive's scope only its own schools.
func (s *Service) scopeReopened(ctx context.Context, u *store.User, d *store.Drive) error {
	if len(d.Reopened) == 0 || slices.Contains(d.Scope.Path, u.Org) && u.Role != store.RoleSchool {
		return nil
	}
	var mine []string
	for _, id := range d.Reopened {
		if id == u.Org {
			mine = append(mine, id)
			continue
		}
		if u.Role == store.RoleSchool {
			continue
		}
		o, err := s.org(ctx, id)
		if err != nil && !fail.Is(err, fail.NotFound) {
			return err
		}
		if err == nil && slices.Contains(o.Path, u.Org) {
			mine = append(mine, id)
		}
	}
	d.Reopened = mine
	return nil
}

// stagesFor returns the school's stages that the drive covers.
func stagesFor(d *store.Drive, school *store.Org) []string {
	if len(d.Scope.Stages) == 0 {
		return school.Stages
	}
	var out []string
	for _, st := range school.Stages {
		if slices.Contains(d.Scope.Stages, st) {
			out = append(out, st)
		}
	}
	return out
}

// Expects reports whether the drive expects a submission from the school.
func Expects(d *store.Drive, school *store.Org) bool {
	return school.Kind == store.KindSchool && slices.Contains(school.Path, d.Scope.Org) && len(stagesFor(d, school)) > 0
}

// Form returns the form a school fills in for a drive, generating and
// storing it when the plan has changed.
func (s *Service) Form(ctx context.Context, d *store.Drive, stages []string) (*forms.Form, error) {
	stages = slices.Clone(stages)
	slices.Sort(stages)
	key := d.Plan + "|" + d.Frequency + "|" + strings.Join(stages, ",")
	now := s.Now()
	s.mu.Lock()
	c, ok := s.forms[key]
	s.mu.Unlock()
	if ok && now.Before(c.expires) {
		return c.form, nil
	}
	plan, err := s.Store.Plan(ctx, d.Plan)
	if err != nil {
		return nil, err
	}
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	f, err := forms.Generate(plan.Plan, inds, d.Frequency, stages)
	if err != nil {
		return nil, fail.Wrap(fail.NotFound, err, "该学段在本次任务中没有需要填报的内容", "Nothing to report for this stage in this drive")
	}
	if err := s.Store.PutForm(ctx, f); err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.forms[key] = cachedForm{form: f, expires: now.Add(formTTL)}
	s.mu.Unlock()
	return f, nil
}

// SchoolForm returns the form for a school in a drive, checking the caller
// may see that school and the drive expects it.
func (s *Service) SchoolForm(ctx context.Context, u *store.User, driveID, schoolID string) (*forms.Form, *store.Drive, *store.Org, error) {
	d, err := s.Drive(ctx, u, driveID)
	if err != nil {
		return nil, nil, nil, err
	}
	school, err := s.school(ctx, u, schoolID)
	if err != nil {
		return nil, nil, nil, err
	}
	if !Expects(d, school) {
		return nil, nil, nil, fail.NotFoundf("填报任务", "Drive")
	}
	f, err := s.Form(ctx, d, stagesFor(d, school))
	return f, d, school, err
}

// school resolves which school the caller acts for: a school user's own, or
// one in a bureau user's scope.
func (s *Service) school(ctx context.Context, u *store.User, id string) (*store.Org, error) {
	if u.Role == store.RoleSchool {
		if id != "" && id != u.Org {
			return nil, fail.NotFoundf("学校", "School")
		}
		id = u.Org
	}
	if id == "" {
		return nil, fail.Field("school", "required", "请指定学校", "school is required")
	}
	o, err := s.org(ctx, id)
	if err != nil && !fail.Is(err, fail.NotFound) {
		return nil, err // the database, not the school: the phone retries
	}
	if err != nil || o.Kind != store.KindSchool || !slices.Contains(o.Path, u.Org) {
		return nil, fail.NotFoundf("学校", "School")
	}
	return o, nil
}

func env(school *store.Org, past pastValues) forms.Env {
	return forms.Env{School: forms.School{
		Code: school.ID, Stages: school.Stages, Classrooms: school.Classrooms,
		Students: school.Students, Public: school.Public, Urban: school.Urban,
	}, Previous: past.prev, PreviousYear: past.year, History: past.history, Period: past.span}
}

// pastValues are a school's values in the previous period of a drive's
// schedule and in the same period of the previous year, its values in the
// periods before (for forms with changes to check) and the drive's span.
type pastValues struct {
	prev, year forms.Values
	history    []forms.Values
	span       forms.Span
}

// past returns the school's values in the schedule's previous period and in
// the same period of the previous year, each nil when it has none, and,
// when the form checks changes, in the forms.HistoryPeriods periods before.
// A database error is returned: rules comparing with an earlier period
// must not pass for want of it.
func (s *Service) past(ctx context.Context, d *store.Drive, f *forms.Form, school string) (pastValues, error) {
	var out pastValues
	p, _, err := ParsePeriod(d.Period, s.Loc)
	if err != nil {
		return out, nil
	}
	out.span = forms.Span{Start: p.Start.Format(time.DateOnly), End: p.End.AddDate(0, 0, -1).Format(time.DateOnly),
		Today: s.Now().In(s.Loc).Format(time.DateOnly)}
	if d.Schedule == "" {
		return out, nil
	}
	var periods []string
	for cur := p; len(periods) < periodsBack(f); {
		prev, err := PeriodAt(d.Frequency, cur.Start.Add(-time.Hour))
		if err != nil {
			break
		}
		periods = append(periods, prev.Key)
		cur = prev
	}
	yearKey, hasYear := YearBefore(d.Period, s.Loc)
	drives := make([]string, 0, len(periods)+1)
	for _, k := range periods {
		drives = append(drives, DriveID(d.Schedule, k))
	}
	if hasYear {
		drives = append(drives, DriveID(d.Schedule, yearKey))
	}
	subs, err := s.Store.SchoolSubmissions(ctx, school, drives)
	if err != nil {
		return pastValues{}, err
	}
	values := func(period string) forms.Values {
		if sub := subs[DriveID(d.Schedule, period)]; sub != nil && sub.Status != store.StatusDraft {
			return sub.Values
		}
		return nil
	}
	for i, k := range periods {
		if i == 0 {
			out.prev = values(k)
		}
		out.history = append(out.history, values(k))
	}
	if hasYear {
		out.year = values(yearKey)
	}
	return out, nil
}

// periodsBack is how many earlier periods a form reads: the previous one,
// or forms.HistoryPeriods when a field checks its change.
func periodsBack(f *forms.Form) int {
	if f != nil {
		for _, sec := range f.Sections {
			for _, fd := range sec.Fields {
				if fd.Change != nil {
					return forms.HistoryPeriods
				}
			}
		}
	}
	return 1
}

// DriveID is the id of a schedule's drive for a period.
func DriveID(schedule, period string) string { return schedule + "-" + period }

// drive reads a drive through the short-lived cache.
func (s *Service) drive(ctx context.Context, id string) (*store.Drive, error) {
	if d, ok := s.drives.Get(id); ok {
		return &d, nil
	}
	d, err := s.Store.Drive(ctx, id)
	if err == nil {
		s.drives.Put(id, *d)
	}
	return d, err
}

// org reads an org through the short-lived cache.
func (s *Service) org(ctx context.Context, id string) (*store.Org, error) {
	if o, ok := s.orgs.Get(id); ok {
		return &o, nil
	}
	o, err := s.Store.Org(ctx, id)
	if err == nil {
		s.orgs.Put(id, *o)
	}
	return o, err
}
