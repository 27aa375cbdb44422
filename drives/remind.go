package drives

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// maxSendAttempts bounds retries of a failed webhook delivery.
const maxSendAttempts = 3

// staleReminder is how late a scheduled reminder may still go out (after
// downtime); older ones are skipped rather than sent out of context.
const staleReminder = 12 * time.Hour

// Remind sends the scheduled reminders that are due: for each open drive of
// a schedule, at each of the schedule's offsets from the due time, every
// webhook under the drive's scope gets the list of its missing schools.
// Each (drive, offset, webhook) is recorded before sending, so restarts and
// other instances never send it twice.
func (s *Service) Remind(ctx context.Context) (int, error) {
	if s.Sender == nil {
		return 0, nil
	}
	now := s.Now()
	schedules, err := s.Store.Schedules(ctx, true)
	if err != nil {
		return 0, err
	}
	offsets := map[string][]int{}
	for _, sc := range schedules {
		offsets[sc.ID] = sc.Reminders
	}
	drives, err := s.Store.Drives(ctx, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range drives {
		for _, h := range offsets[d.Schedule] {
			at := d.DueAt.Add(time.Duration(h) * time.Hour)
			if now.Before(at) || now.Sub(at) > staleReminder || now.Before(d.OpensAt) || (h < 0 && !now.Before(d.DueAt)) {
				continue
			}
			kind := "before_due"
			if h >= 0 {
				kind = "overdue"
			}
			n, err := s.notify(ctx, &d, d.Scope.Org, fmt.Sprintf("due%+dh", h), kind, nil)
			sent += n
			if err != nil {
				return sent, err
			}
		}
	}
	return sent, nil
}

// notify sends one occasion's reminder to each webhook under scope that
// covers part of the drive and has missing schools; report, when set,
// hears what became of each webhook.
func (s *Service) notify(ctx context.Context, d *store.Drive, scope, occasion, kind string, report func(ChaseChannel)) (int, error) {
	if report == nil {
		report = func(ChaseChannel) {}
	}
	hooks, err := s.Store.Webhooks(ctx, scope)
	if err != nil || len(hooks) == 0 {
		return 0, err
	}
	allowed, err := s.webhookHosts(ctx)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, w := range hooks {
		viewer := &store.User{ID: "reminder", Role: store.RoleViewer, Org: w.Org, OrgPath: w.OrgPath}
		ch := ChaseChannel{ID: w.ID, Name: w.Name, Format: w.Format, Org: w.Org}
		if !Visible(viewer, d) {
			ch.Outcome = OutcomeNotCovered
			report(ch)
			continue
		}
		p, err := s.Progress(ctx, viewer, d)
		if err != nil {
			return sent, err
		}
		ch.OrgName, ch.Missing = p.UnderName, len(p.Missing)
		if len(p.Missing) == 0 {
			ch.Outcome = OutcomeNoneMissing
			report(ch)
			continue
		}
		rec := &store.Reminder{ID: d.ID + "|" + occasion + "|" + w.ID, Drive: d.ID, Webhook: w.ID, Org: w.Org, OrgPath: w.OrgPath,
			Occasion: occasion, Missing: len(p.Missing), At: s.Now().UTC()}
		ok, err := s.Store.ClaimReminder(ctx, rec, maxSendAttempts)
		if err != nil || !ok {
			if err != nil {
				return sent, err
			}
			ch.Outcome = OutcomeAlreadySent
			report(ch)
			continue
		}
		org, err := s.Store.Org(ctx, w.Org)
		if err != nil {
			return sent, err
		}
		msg := notify.Reminder{Kind: kind, Drive: d.ID, DriveName: d.Name, Period: d.Period, PeriodLabel: PeriodLabel(d.Period), DueAt: d.DueAt,
			Org: org.ID, OrgName: org.Name, Expected: p.Total.Expected, Submitted: p.Total.Submitted}
		for _, m := range p.Missing {
			msg.Missing = append(msg.Missing, notify.School{Code: m.Code, Name: m.Name, Contact: m.Contact, Phone: m.Phone})
		}
		var failure *store.ReminderFailure
		if err := s.Sender.Send(ctx, allowed, w.Format, w.URL, w.Secret, msg); err != nil {
			s.Log.Warn("reminder not delivered", "drive", d.ID, "webhook", w.ID, "err", err)
			failure = reminderFailure(err)
			ch.Outcome, ch.Failure = OutcomeFailed, failure
		} else {
			sent++
			ch.Outcome = OutcomeSent
		}
		if err := s.Store.FinishReminder(context.WithoutCancel(ctx), rec.ID, failure); err != nil {
			return sent, err
		}
		report(ch)
	}
	return sent, nil
}

// reminderFailure is what is kept of a failed send: the reason and numbers,
// never the error's text.
func reminderFailure(err error) *store.ReminderFailure {
	var f *notify.Failure
	if !errors.As(err, &f) {
		return &store.ReminderFailure{Reason: notify.ReasonUnknown}
	}
	return &store.ReminderFailure{Reason: f.Reason, HTTPStatus: f.HTTPStatus, ErrCode: f.ErrCode}
}
