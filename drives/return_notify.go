package drives

import (
	"context"
	"fmt"
	"net/url"
	"strings"

	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// notifyReturn tells the channel nearest above org (its own, then its
// unit's, up to the drive's top) that something came back: a school's
// submission (kind returned, to the school's district) or a unit's
// sign-off (unit_returned, to that unit). Each return is sent once per
// channel (occasion names it) and recorded with the drive's reminders; a
// failed delivery is recorded and logged, the return itself stands.
func (s *Service) notifyReturn(ctx context.Context, d *store.Drive, org *store.Org, kind, occasion, comment, link string) {
	if s.Sender == nil {
		return
	}
	if err := s.sendReturn(ctx, d, org, kind, occasion, comment, link); err != nil {
		s.Log.Warn("return not notified", "drive", d.ID, "org", org.ID, "err", err)
	}
}

func (s *Service) sendReturn(ctx context.Context, d *store.Drive, org *store.Org, kind, occasion, comment, link string) error {
	hooks, err := s.Store.Webhooks(ctx, d.Scope.Org)
	if err != nil || len(hooks) == 0 {
		return err
	}
	var near []store.Webhook
	for i := len(org.Path) - 1; i >= 0 && len(near) == 0; i-- {
		for _, w := range hooks {
			if w.Org == org.Path[i] {
				near = append(near, w)
			}
		}
		if org.Path[i] == d.Scope.Org {
			break
		}
	}
	allowed, err := s.webhookHosts(ctx)
	if err != nil {
		return err
	}
	msg := notify.Reminder{Kind: kind, Drive: d.ID, DriveName: d.Name, Period: d.Period, PeriodLabel: PeriodLabel(d.Period), DueAt: d.DueAt, Org: org.ID, OrgName: org.Name,
		Return: &notify.Return{Code: org.ID, Name: org.Name, PeriodLabel: PeriodLabel(d.Period), Comment: comment, Link: link}}
	for _, w := range near {
		rec := &store.Reminder{ID: d.ID + "|" + occasion + "|" + w.ID, Drive: d.ID, Webhook: w.ID, Org: w.Org, OrgPath: w.OrgPath,
			Occasion: occasion, At: s.Now().UTC()}
		ok, err := s.Store.ClaimReminder(ctx, rec, maxSendAttempts)
		if err != nil || !ok {
			return err
		}
		var failure *store.ReminderFailure
		if err := s.Sender.Send(ctx, allowed, w.Format, w.URL, w.Secret, msg); err != nil {
			failure = reminderFailure(err)
		}
		if err := s.Store.FinishReminder(context.WithoutCancel(ctx), rec.ID, failure); err != nil {
			return err
		}
	}
	return nil
}

// clientLink is the address in the web client of a page, #/page/id, on
// the server's public address when it is configured.
func (s *Service) clientLink(page, id string) string {
	if s.PublicURL == "" {
		return ""
	}
	return strings.TrimRight(s.PublicURL, "/") + "/#/" + page + "/" + url.PathEscape(id)
}

// returnOccasion names one return of a submission (its version after the
// return) or of a unit's sign-off, for its once-only record.
func returnOccasion(what string, version int) string {
	return fmt.Sprintf("return:%s:%d", what, version)
}
