package drives

import (
	"context"
	"errors"
	"slices"
	"strconv"
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
// Its address must be a WeCom or DingTalk robot's, or on a host the city
// admin allows, and resolve to addresses the sender may reach.
func (s *Service) CreateWebhook(ctx context.Context, u *store.User, in WebhookInput) (*store.Webhook, error) {
	in.Name = strings.TrimSpace(in.Name)
	switch {
	case badName(in.Name):
		return nil, nameErr
	case !slices.Contains(notify.Formats, in.Format):
		return nil, fail.Field("format", "option", "格式必须是 generic、wecom 或 dingtalk", "format must be generic, wecom or dingtalk")
	case len(in.Secret) > 200:
		return nil, fail.Field("secret", "max_length", "密钥过长", "secret is too long")
	}
	allowed, err := s.webhookHosts(ctx)
	if err != nil {
		return nil, err
	}
	if err := notify.CheckURL(in.URL, allowed); err != nil {
		return nil, urlRefused(err, allowed)
	}
	scope, err := s.scope(ctx, u, store.Scope{Org: in.Org})
	if err != nil {
		return nil, err
	}
	sender := s.Sender
	if sender == nil {
		sender = notify.NewSender(s.Loc)
	}
	if err := sender.CheckTarget(ctx, in.URL, allowed); err != nil {
		return nil, urlRefused(err, allowed)
	}
	w := &store.Webhook{ID: "wh-" + randomHex(6), Org: scope.Org, OrgPath: scope.Path, Name: in.Name,
		Format: in.Format, URL: in.URL, Secret: in.Secret, CreatedAt: s.Now().UTC(), CreatedBy: u.ID}
	return w, s.Store.InsertWebhook(ctx, w)
}

// urlRefused is the field error for a refused webhook address, naming the
// addresses that are allowed.
func urlRefused(err error, allowed []notify.Host) error {
	var ue *notify.URLError
	if !errors.As(err, &ue) {
		return err
	}
	zhOK, enOK := allowedText(allowed)
	zh, en := "提醒网址只能指向", "A reminder address must point at "
	switch ue.Reason {
	case notify.BadURL:
		zh, en = "请填写以 https:// 开头的完整网址。", "Enter a full address starting with https://. "
	case notify.BadUser:
		zh, en = "网址不能包含用户名或密码。", "The address must not contain a user name or password. "
	case notify.BadScheme:
		zh, en = "该主机只能使用 https。", "This host is allowed over https only. "
	case notify.BadAddress:
		zh, en = "该网址的主机解析到内网、本机或保留地址，不能用于提醒。", "The host resolves to an internal, loopback or reserved address. "
	case notify.Unresolved:
		zh, en = "无法解析该网址的主机，请检查网址。", "The host could not be resolved; check the address. "
	default:
		zh, en = "该网址的主机不在允许范围内。", "This host is not allowed. "
	}
	return fail.Field("url", ue.Reason, zh+zhOK, en+enOK)
}

// allowedText lists the allowed webhook addresses in both languages.
func allowedText(allowed []notify.Host) (zh, en string) {
	zh = "允许的地址：https://qyapi.weixin.qq.com（企业微信群机器人）、https://oapi.dingtalk.com（钉钉群机器人）"
	en = "Allowed: https://qyapi.weixin.qq.com (WeCom robots), https://oapi.dingtalk.com (DingTalk robots)"
	for _, h := range allowed {
		scheme := "https://"
		if h.HTTP {
			scheme = "http(s)://"
		}
		zh += "、" + scheme + h.Name
		en += ", " + scheme + h.Name
	}
	if len(allowed) > 0 {
		zh += "（后几项由管理员允许）"
		en += " (the last allowed by the admin)"
	}
	return zh + "。", en + "."
}

// webhookHosts is the admin's list of further webhook hosts.
func (s *Service) webhookHosts(ctx context.Context) ([]notify.Host, error) {
	set, err := s.Store.WebhookHosts(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]notify.Host, len(set.Hosts))
	for i, h := range set.Hosts {
		out[i] = notify.Host{Name: h.Host, HTTP: h.HTTP}
	}
	return out, nil
}

// maxWebhookHosts bounds the admin's list of further webhook hosts.
const maxWebhookHosts = 50

// SetWebhookHosts replaces the hosts beyond the WeCom and DingTalk robots
// that reminder webhooks may point at (city admins only). Names are stored
// in canonical spelling; webhooks already saved are checked against the
// list again each time they are sent to.
func (s *Service) SetWebhookHosts(ctx context.Context, u *store.User, hosts []store.WebhookHost) (*store.WebhookHosts, error) {
	if u.Role != store.RoleAdmin {
		return nil, fail.New(fail.Forbidden, "只有管理员可以设置提醒主机", "Only admins may set reminder hosts")
	}
	if len(hosts) > maxWebhookHosts {
		return nil, fail.Field("hosts", "max", "最多 50 个主机", "at most 50 hosts")
	}
	out := &store.WebhookHosts{Hosts: []store.WebhookHost{}, UpdatedAt: s.now(), UpdatedBy: u.ID}
	for i, h := range hosts {
		field := "hosts[" + strconv.Itoa(i) + "].host"
		name, err := notify.CanonicalHost(strings.TrimSpace(h.Host))
		switch {
		case err != nil:
			return nil, fail.Field(field, "host", "请填写主机名（如 hooks.example.org）或 IP 地址，不带 http:// 、端口和路径",
				"enter a host name (such as hooks.example.org) or an IP address, without http://, port or path")
		case slices.Contains(notify.Robots, name):
			return nil, fail.Field(field, "robot", "企业微信和钉钉群机器人总是允许（仅 https），无需添加",
				"the WeCom and DingTalk robots are always allowed (https only)")
		case slices.ContainsFunc(out.Hosts, func(o store.WebhookHost) bool { return o.Host == name }):
			return nil, fail.Field(field, "duplicate", "主机重复", "this host is listed twice")
		}
		out.Hosts = append(out.Hosts, store.WebhookHost{Host: name, HTTP: h.HTTP})
	}
	return out, s.Store.PutWebhookHosts(ctx, out)
}
