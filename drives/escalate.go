package drives

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// Escalate sends the escalation steps that are due for each open drive
// whose schedule escalates: step k goes to the channels of the org k
// levels above each late school (0: the school's own), naming the late
// schools below it, and from the second level up the late units too. A
// school that has handed in is no longer named. Each (school, step,
// channel) is recorded before sending, so none is named twice.
func (s *Service) Escalate(ctx context.Context) (int, error) {
	if s.Sender == nil {
		return 0, nil
	}
	now := s.Now()
	schedules, err := s.Store.Schedules(ctx, true)
	if err != nil {
		return 0, err
	}
	plans := map[string]*store.Escalation{}
	for _, sc := range schedules {
		if e := sc.Escalation; e != nil && e.Delay > 0 {
			plans[sc.ID] = e
		}
	}
	if len(plans) == 0 {
		return 0, nil
	}
	drives, err := s.Store.Drives(ctx, now)
	if err != nil {
		return 0, err
	}
	sent := 0
	for _, d := range drives {
		e := plans[d.Schedule]
		if e == nil || now.Before(d.OpensAt) {
			continue
		}
		for k := 0; ; k++ {
			at := d.DueAt.Add(time.Duration(e.After+k*e.Delay) * time.Hour)
			if now.Before(at) {
				break
			}
			if now.Sub(at) > staleReminder {
				continue
			}
			n, more, err := s.escalate(ctx, &d, k)
			sent += n
			if err != nil {
				return sent, err
			}
			if !more {
				break
			}
		}
	}
	return sent, nil
}

// escalate sends step k of a drive's escalation; more is false when no
// late school has an org k levels above it within the drive.
func (s *Service) escalate(ctx context.Context, d *store.Drive, k int) (int, bool, error) {
	viewer := &store.User{ID: "reminder", Role: store.RoleViewer, Org: d.Scope.Org, OrgPath: d.Scope.Path}
	v, err := s.viewOf(ctx, viewer, d, "")
	if err != nil {
		return 0, false, err
	}
	late := map[string][]*store.Org{} // by the org k levels up
	var targets []string
	more := false
	for _, school := range v.schools {
		if e := v.entries[school.ID]; e != nil && e.HandedIn() {
			continue
		}
		i := len(school.Path) - 1 - k
		if i < slices.Index(school.Path, d.Scope.Org) || i < 0 {
			continue
		}
		more = true
		t := school.Path[i]
		if late[t] == nil {
			targets = append(targets, t)
		}
		late[t] = append(late[t], school)
	}
	if len(targets) == 0 {
		return 0, more, nil
	}
	hooks, err := s.Store.Webhooks(ctx, d.Scope.Org)
	if err != nil {
		return 0, more, err
	}
	allowed, err := s.webhookHosts(ctx)
	if err != nil {
		return 0, more, err
	}
	sent := 0
	for _, t := range targets {
		for _, w := range hooks {
			if w.Org != t {
				continue
			}
			ok, err := s.escalateTo(ctx, d, v, k, v.tree.Org(t), w, late[t], allowed)
			if ok {
				sent++
			}
			if err != nil {
				return sent, more, err
			}
		}
	}
	return sent, more, nil
}

// escalateTo names to one channel the late schools it has not been told
// of at this step, and the units they belong to from the second level up.
func (s *Service) escalateTo(ctx context.Context, d *store.Drive, v *view, k int, target *store.Org, w store.Webhook,
	schools []*store.Org, allowed []notify.Host) (bool, error) {
	msg := notify.Reminder{Kind: "escalate", Drive: d.ID, DriveName: d.Name, Period: d.Period, PeriodLabel: PeriodLabel(d.Period), DueAt: d.DueAt,
		Org: target.ID, OrgName: target.Name}
	occasion := func(school *store.Org) string { return fmt.Sprintf("escalate%d:%s", k, school.ID) }
	ids := make([]string, len(schools))
	for i, school := range schools {
		ids[i] = d.ID + "|" + occasion(school) + "|" + w.ID
	}
	settled, err := s.Store.SettledReminders(ctx, ids, maxSendAttempts)
	if err != nil {
		return false, err
	}
	var claimed []string
	units := map[string]int{}
	for i, school := range schools {
		if settled[ids[i]] {
			continue
		}
		rec := &store.Reminder{ID: ids[i], Drive: d.ID, Webhook: w.ID, Org: w.Org, OrgPath: w.OrgPath,
			Occasion: occasion(school), Missing: 1, At: s.Now().UTC()}
		ok, err := s.Store.ClaimReminder(ctx, rec, maxSendAttempts)
		if err != nil {
			return false, err
		}
		if !ok {
			continue
		}
		claimed = append(claimed, rec.ID)
		msg.Missing = append(msg.Missing, notify.School{Code: school.ID, Name: school.Name, Contact: school.Contact, Phone: school.Phone})
		if k >= 2 {
			u := store.ChildOf(target.ID, school)
			if units[u] == 0 {
				name := u
				if o := v.tree.Org(u); o != nil {
					name = o.Name
				}
				msg.Units = append(msg.Units, notify.Unit{Code: u, Name: name})
			}
			units[u]++
		}
	}
	if len(claimed) == 0 {
		return false, nil
	}
	for i := range msg.Units {
		msg.Units[i].Late = units[msg.Units[i].Code]
	}
	for _, school := range v.schools {
		if store.Within(school, target.ID) {
			msg.Expected++
			if e := v.entries[school.ID]; e != nil && e.HandedIn() {
				msg.Submitted++
			}
		}
	}
	var failure *store.ReminderFailure
	if err := s.Sender.Send(ctx, allowed, w.Format, w.URL, w.Secret, msg); err != nil {
		s.Log.Warn("escalation not delivered", "drive", d.ID, "webhook", w.ID, "err", err)
		failure = reminderFailure(err)
	}
	for _, id := range claimed {
		if err := s.Store.FinishReminder(context.WithoutCancel(ctx), id, failure); err != nil {
			return false, err
		}
	}
	return failure == nil, nil
}
