package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
)

func (h *handler) healthz(c *fiber.Ctx) error {
	return c.JSON(fiber.Map{"status": "ok"})
}

func (h *handler) readyz(c *fiber.Ctx) error {
	if err := h.Store.Ping(c.UserContext()); err != nil {
		return fail.Wrap(fail.Unavailable, err, "数据库不可用", "The database is unavailable")
	}
	return c.JSON(fiber.Map{"status": "ready"})
}
