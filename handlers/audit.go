package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// audit records who changed what; a failure is logged, the change stands.
func (h *handler) audit(c *fiber.Ctx, action, kind, object string, changes []string) {
	h.Log.Info("audit", "request_id", requestID(c), "by", user(c).ID, "action", action, "kind", kind, "object", object, "changes", changes)
}
