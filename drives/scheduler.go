package drives

import (
	"context"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// maxCatchUp bounds how many past periods one schedule creates after downtime.
const maxCatchUp = 36

// Tick creates every drive whose period has opened and that does not exist
// yet, for every active schedule. Drives are keyed by schedule and period,
// so any number of instances may tick at once: each drive is created once.
func (s *Service) Tick(ctx context.Context) (int, error) {
	schedules, err := s.Store.Schedules(ctx, true)
	if err != nil {
		return 0, err
	}
	created := 0
	for _, sc := range schedules {
		n, err := s.catchUp(ctx, &sc)
		created += n
		if err != nil {
			return created, err
		}
	}
	return created, nil
}

func (s *Service) catchUp(ctx context.Context, sc *store.Schedule) (int, error) {
	loc, err := time.LoadLocation(sc.TZ)
	if err != nil {
		loc = s.Loc
	}
	now := s.Now().In(loc)
	first, err := PeriodAt(sc.Frequency, sc.CreatedAt.In(loc))
	if err != nil {
		return 0, err
	}
	var due []Period
	for p := first; !now.Before(p.Start.AddDate(0, 0, sc.OpenDay)); p = p.Next(sc.Frequency) {
		due = append(due, p)
	}
	if len(due) > maxCatchUp {
		due = due[len(due)-maxCatchUp:]
	}
	if len(due) == 0 {
		return 0, nil
	}
	// Drives are created oldest first: once the newest due one exists, so
	// do the others, and a tick with nothing to do costs one lookup.
	missing := 0
	for i := len(due) - 1; i >= 0; i-- {
		_, err := s.Store.Drive(ctx, DriveID(sc.ID, due[i].Key))
		if err == nil {
			break
		}
		if !fail.Is(err, fail.NotFound) {
			return 0, err
		}
		missing++
	}
	due = due[len(due)-missing:]
	if len(due) == 0 {
		return 0, nil
	}
	org, err := s.Store.Org(ctx, sc.Scope.Org)
	if err != nil {
		return 0, err
	}
	created := 0
	for _, p := range due {
		d := FromSchedule(sc, p, org.Path, s.Now())
		if err := s.setParts(ctx, d); err != nil {
			return created, err
		}
		ok, err := s.Store.CreateDrive(ctx, d)
		if err != nil {
			return created, err
		}
		if ok {
			created++
			s.Log.Info("drive opened", "drive", d.ID, "due", d.DueAt)
		}
	}
	return created, nil
}

// FromSchedule builds a schedule's drive for a period.
func FromSchedule(sc *store.Schedule, p Period, scopePath []string, now time.Time) *store.Drive {
	return &store.Drive{
		ID: DriveID(sc.ID, p.Key), Schedule: sc.ID, Period: p.Key,
		Name: sc.Name + " " + p.Key, Plan: sc.Plan, Frequency: sc.Frequency,
		Scope:   store.Scope{Org: sc.Scope.Org, Path: scopePath, Stages: sc.Scope.Stages},
		OpensAt: p.Start.AddDate(0, 0, sc.OpenDay).UTC(), DueAt: p.End.AddDate(0, 0, sc.DueDay).UTC(),
		ClosesAt: p.End.AddDate(0, 0, sc.CloseDay).UTC(), CreatedAt: now.UTC(),
	}
}

// RunScheduler ticks every interval until ctx ends.
func (s *Service) RunScheduler(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		// Writes noted over a minute ago and never finished were cut short
		// (an instance stopped, a connection broke): finish them.
		if n, err := s.Store.Mend(ctx, time.Now().Add(-time.Minute)); err != nil && ctx.Err() == nil {
			s.Log.Warn("finishing interrupted writes failed", "err", err)
		} else if n > 0 {
			s.Log.Info("interrupted writes finished", "writes", n)
		}
		if _, err := s.Tick(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("scheduler tick failed", "err", err)
		}
		if _, err := s.Remind(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("reminders failed", "err", err)
		}
		if _, err := s.Escalate(ctx); err != nil && ctx.Err() == nil {
			s.Log.Warn("escalation failed", "err", err)
		}
		if s.Metrics != nil {
			s.observe(ctx)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// observeEvery is how often the gauges are refreshed when this instance
// wrote nothing: often enough to see what other instances wrote.
const observeEvery = 10 * time.Minute

// observe refreshes the completeness gauges of the drives open now, when
// this instance wrote a submission since the last time or observeEvery
// has passed: an idle server reads nothing.
func (s *Service) observe(ctx context.Context) {
	writes := s.Store.SheetWrites()
	if writes == s.observed.writes && time.Since(s.observed.at) < observeEvery {
		return
	}
	s.observed.writes, s.observed.at = writes, time.Now()
	drives, err := s.Store.Drives(ctx, s.Now().Add(-time.Hour))
	if err != nil {
		return
	}
	for _, d := range drives {
		if s.Now().After(d.ClosesAt) {
			s.Metrics.ForgetDrive(d.ID)
			continue
		}
		root := &store.User{ID: "metrics", Role: store.RoleViewer, Org: d.Scope.Org, OrgPath: d.Scope.Path}
		if p, err := s.Progress(ctx, root, &d); err == nil {
			s.Metrics.Drive(d.ID, p.Total.Expected, p.Total.Submitted)
		}
	}
}
