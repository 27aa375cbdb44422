package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/auth"
)

// setupGet tells the first-run page whether the database still needs its
// bureau and first admin.
func (h *handler) setupGet(c *fiber.Ctx) error {
	needed, err := h.Auth.SetupNeeded(c.UserContext())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"needed": needed})
}

type setupRequest struct {
	Token string `json:"token"`
	auth.BureauInput
}

// setupPost is the first run from the web: with the token the server
// logged at start, it creates the bureau and its admin and answers the
// admin's one-time password, this once.
func (h *handler) setupPost(c *fiber.Ctx) error {
	var req setupRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	b, password, err := h.Auth.Setup(c.UserContext(), req.Token, c.IP(), req.BureauInput)
	if err != nil {
		return err
	}
	e := auditEntry(b.Admin, "setup", "org", b.Org, []string{"name=" + b.Name, "kind=" + b.Kind, "admin=" + b.Admin})
	if err := h.Store.InsertAudit(c.UserContext(), e); err != nil {
		h.Log.Error("audit entry not recorded", "request_id", requestID(c), "action", "setup", "err", err)
	}
	h.Log.Info("first run done", "org", b.Org, "name", b.Name, "admin", b.Admin)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{
		"bureau":   fiber.Map{"code": b.Org, "name": b.Name, "level": b.Kind},
		"admin":    b.Admin,
		"password": password,
	})
}
