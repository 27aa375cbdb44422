package handlers

import (
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/store"
)

// audit records who changed what. The change has happened: a failure to
// record it is logged, not returned.
func (h *handler) audit(c *fiber.Ctx, action, kind, object string, changes []string) {
	e := auditEntry(user(c).ID, action, kind, object, changes)
	if err := h.Store.InsertAudit(c.UserContext(), e); err != nil {
		h.Log.Error("audit entry not recorded", "request_id", requestID(c), "action", action, "object", object, "err", err)
	}
}

func auditEntry(by, action, kind, object string, changes []string) store.AuditEntry {
	return store.AuditEntry{At: time.Now().UTC(), By: by, Action: action, Kind: kind, Object: object, Changes: changes}
}

func (h *handler) auditList(c *fiber.Ctx) error {
	limit, _ := strconv.Atoi(c.Query("limit"))
	entries, err := h.Store.Audit(c.UserContext(), limit)
	if err != nil {
		return err
	}
	if entries == nil {
		entries = []store.AuditEntry{}
	}
	return c.JSON(fiber.Map{"entries": entries})
}
