package handlers

import (
	"github.com/gofiber/fiber/v2"
)

type fromPlanRequest struct {
	Plan string `json:"plan"`
}

// scheduleFromPlan creates the schedules a plan's frequencies need in the
// caller's scope, in one action.
func (h *handler) scheduleFromPlan(c *fiber.Ctx) error {
	var req fromPlanRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	res, err := h.Drives.SchedulesFromPlan(c.UserContext(), user(c), req.Plan)
	if err != nil {
		return err
	}
	for _, sc := range res.Created {
		h.audit(c, "schedule.create", "schedule", sc.ID, []string{"plan=" + sc.Plan, "frequency=" + sc.Frequency})
	}
	status := fiber.StatusOK
	if len(res.Created) > 0 {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(res)
}
