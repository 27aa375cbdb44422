package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
)

func (h *handler) scheduleList(c *fiber.Ctx) error {
	list, err := h.Drives.Schedules(c.UserContext(), user(c))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"schedules": list})
}

func (h *handler) scheduleCreate(c *fiber.Ctx) error {
	var req drives.ScheduleInput
	if err := decode(c, &req); err != nil {
		return err
	}
	sc, err := h.Drives.CreateSchedule(c.UserContext(), user(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(sc)
}
