package drives

import (
	"context"
	"slices"
	"strings"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// WebhookInput is a request to add a reminder channel.
type WebhookInput struct {
	Org    string `json:"org"`
	Name   string `json:"name"`
	Format string `json:"format"`
	URL    string `json:"url"`
	Secret string `json:"secret"`
}

// CreateWebhook adds a reminder channel for an org in the caller's scope.
func (s *Service) CreateWebhook(ctx context.Context, u *store.User, in WebhookInput) (*store.Webhook, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case badName(in.Name):
		return nil, nameErr
	case !slices.Contains(notify.Formats, in.Format):
		return nil, fail.Field("format", "option", "格式必须是 generic、wecom 或 dingtalk", "format must be generic, wecom or dingtalk")
	case notify.CheckURL(in.URL) != nil:
		return nil, fail.Field("url", "url", "请填写 http(s) 网址", "url must be an http(s) address")
	case len(in.Secret) > 200:
		return nil, fail.Field("secret", "max_length", "密钥过长", "secret is too long")
	}
	scope, err := s.scope(ctx, u, store.Scope{Org: in.Org})
	if err != nil {
		return nil, err
	}
	w := &store.Webhook{ID: "wh-" + randomHex(6), Org: scope.Org, OrgPath: scope.Path, Name: in.Name,
		Format: in.Format, URL: in.URL, Secret: in.Secret, CreatedAt: s.Now().UTC(), CreatedBy: u.ID}
	return w, s.Store.InsertWebhook(ctx, w)
}
