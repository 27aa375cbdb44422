package drives

import (
	"context"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// ProbeWebhook sends a test message to a reminder channel in the caller's
// scope, so whoever set it up sees it arrive in the group. It answers nil
// when the channel took the message, and why not otherwise.
func (s *Service) ProbeWebhook(ctx context.Context, u *store.User, id string) (*store.ReminderFailure, error) {
	hooks, err := s.Store.Webhooks(ctx, u.Org)
	if err != nil {
		return nil, err
	}
	var w *store.Webhook
	for i := range hooks {
		if hooks[i].ID == id {
			w = &hooks[i]
		}
	}
	if w == nil {
		return nil, fail.NotFoundf("提醒通道", "Reminder channel")
	}
	if s.Sender == nil {
		return nil, fail.New(fail.Unavailable, "未配置提醒通道", "No reminder channel is configured")
	}
	allowed, err := s.webhookHosts(ctx)
	if err != nil {
		return nil, err
	}
	org, err := s.Store.Org(ctx, w.Org)
	if err != nil {
		return nil, err
	}
	msg := notify.Reminder{Kind: "test", Org: org.ID, OrgName: org.Name}
	if err := s.Sender.Send(ctx, allowed, w.Format, w.URL, w.Secret, msg); err != nil {
		s.Log.Warn("test message not delivered", "webhook", w.ID, "err", err)
		return reminderFailure(err), nil
	}
	return nil, nil
}
