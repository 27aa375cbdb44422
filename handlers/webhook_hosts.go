package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// webhookHostsView is the allow-list as answered: the robots always
// allowed, and the admin's further hosts.
type webhookHostsView struct {
	Robots []string `json:"robots"`
	*store.WebhookHosts
}

func (h *handler) webhookHostsGet(c *fiber.Ctx) error {
	set, err := h.Store.WebhookHosts(c.UserContext())
	if err != nil {
		return err
	}
	return c.JSON(webhookHostsView{Robots: notify.Robots, WebhookHosts: set})
}

func (h *handler) webhookHostsPut(c *fiber.Ctx) error {
	var req struct {
		Hosts []store.WebhookHost `json:"hosts"`
	}
	if err := decode(c, &req); err != nil {
		return err
	}
	set, err := h.Drives.SetWebhookHosts(c.UserContext(), user(c), req.Hosts)
	if err != nil {
		return err
	}
	names := make([]string, len(set.Hosts))
	for i, host := range set.Hosts {
		names[i] = host.Host
		if host.HTTP {
			names[i] += " (http)"
		}
	}
	h.audit(c, "settings.update", "settings", "webhook-hosts", []string{"hosts=" + strings.Join(names, ", ")})
	return c.JSON(webhookHostsView{Robots: notify.Robots, WebhookHosts: set})
}
