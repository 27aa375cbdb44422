package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// checklistGet answers the setup's steps and which of them are done.
func (h *handler) checklistGet(c *fiber.Ctx) error {
	list, err := h.Drives.Checklist(c.UserContext(), user(c))
	if err != nil {
		return err
	}
	return c.JSON(list)
}
