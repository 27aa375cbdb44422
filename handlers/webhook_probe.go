package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// webhookProbe sends a test message to a reminder channel and answers
// whether it was taken, and why not.
func (h *handler) webhookProbe(c *fiber.Ctx) error {
	failure, err := h.Drives.ProbeWebhook(c.UserContext(), user(c), c.Params("id"))
	if err != nil {
		return err
	}
	h.audit(c, "webhook.test", "webhook", c.Params("id"), nil)
	return c.JSON(fiber.Map{"ok": failure == nil, "failure": explainFailure(c, failure)})
}
