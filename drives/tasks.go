package drives

import (
	"context"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// Task statuses.
const (
	NotStarted = "not_started"
)

// recentlyClosed is how long a closed drive stays in a school's task list.
const recentlyClosed = 30 * 24 * time.Hour

// Task is one drive as a school sees it.
type Task struct {
	Drive      store.Drive `json:"drive"`
	State      string      `json:"state"` // open, closed, reopened
	Status     string      `json:"status"`
	Submission string      `json:"submission,omitempty"`
	Version    int         `json:"version,omitempty"`
	DueAt      time.Time   `json:"dueAt"`
	Late       bool        `json:"late"`
	Comment    string      `json:"comment,omitempty"`
}

// Tasks lists the open and recently closed drives of the caller's school.
func (s *Service) Tasks(ctx context.Context, u *store.User) ([]Task, error) {
	if u.Role != store.RoleSchool {
		return nil, fail.New(fail.Forbidden, "任务清单只面向学校账号", "The task list is for school accounts")
	}
	school, err := s.org(ctx, u.Org)
	if err != nil {
		return nil, err
	}
	now := s.Now()
	drives, err := s.Store.Drives(ctx, now.Add(-recentlyClosed))
	if err != nil {
		return nil, err
	}
	out := []Task{}
	for _, d := range drives {
		if now.Before(d.OpensAt) || !Expects(&d, school) {
			continue
		}
		state := s.State(&d, school.ID)
		if err := s.scopeReopened(ctx, u, &d); err != nil {
			return nil, err
		}
		t := Task{Drive: d, State: state, Status: NotStarted, DueAt: d.DueAt, Late: !now.Before(d.DueAt)}
		sub, err := s.Store.SchoolSubmission(ctx, d.ID, school.ID)
		switch {
		case err == nil:
			t.Status, t.Submission, t.Version = sub.Status, sub.ID, sub.Version
			t.Late = sub.Late || (sub.SubmittedAt.IsZero() && t.Late)
			if sub.Review != nil && sub.Status == store.StatusReturned {
				t.Comment = sub.Review.Comment
			}
		case !fail.Is(err, fail.NotFound):
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// Drive states.
const (
	StateScheduled = "scheduled"
	StateOpen      = "open"
	StateClosed    = "closed"
	StateReopened  = "reopened"
)

// State tells whether a drive is open for a school now.
func (s *Service) State(d *store.Drive, school string) string {
	now := s.Now()
	switch {
	case now.Before(d.OpensAt):
		return StateScheduled
	case now.Before(d.ClosesAt):
		return StateOpen
	}
	for _, r := range d.Reopened {
		if r == school {
			return StateReopened
		}
	}
	return StateClosed
}
