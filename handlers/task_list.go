package handlers

import "github.com/gofiber/fiber/v2"

func (h *handler) taskList(c *fiber.Ctx) error {
	tasks, err := h.Drives.Tasks(c.UserContext(), user(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"tasks": tasks})
}
