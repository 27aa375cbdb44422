package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
)

// driveSignoff answers a unit's sign-off of a drive with every step taken
// on it (who, when, comment).
func (h *handler) driveSignoff(c *fiber.Ctx) error {
	so, err := h.Drives.UnitSignoff(c.UserContext(), user(c), c.Params("drive"), c.Params("unit"))
	if err != nil {
		return err
	}
	return c.JSON(so)
}

type signoffRequest struct {
	Action  string   `json:"action"`
	Comment string   `json:"comment"`
	Gaps    []string `json:"gaps"`
}

// driveSignoffStep signs a unit off for a drive, withdraws its sign-off,
// or (from the unit above) accepts or returns it.
func (h *handler) driveSignoffStep(c *fiber.Ctx) error {
	var req signoffRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	so, err := h.Drives.Signoff(c.UserContext(), user(c), c.Params("drive"), c.Params("unit"), drives.SignoffInput{
		Action: req.Action, Comment: req.Comment, Gaps: req.Gaps,
	})
	if err != nil {
		return err
	}
	return c.JSON(so)
}
