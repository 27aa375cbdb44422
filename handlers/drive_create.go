package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
)

func (h *handler) driveCreate(c *fiber.Ctx) error {
	var req drives.DriveInput
	if err := decode(c, &req); err != nil {
		return err
	}
	d, err := h.Drives.CreateDrive(c.UserContext(), user(c), req)
	if err != nil {
		return err
	}
	return c.Status(fiber.StatusCreated).JSON(d)
}

type reopenRequest struct {
	School string `json:"school"`
}

func (h *handler) driveReopen(c *fiber.Ctx) error {
	var req reopenRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	d, err := h.Drives.Reopen(c.UserContext(), user(c), c.Params("drive"), req.School)
	if err != nil {
		return err
	}
	h.audit(c, "drive.reopen", "drive", d.ID, []string{"school=" + req.School})
	return c.JSON(d)
}
