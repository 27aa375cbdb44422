package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
)

type bulkApproveRequest struct {
	All         bool              `json:"all"`
	Under       string            `json:"under"`
	Submissions []drives.BulkItem `json:"submissions"`
	Comment     string            `json:"comment"`
}

// driveApprove approves many submissions of a drive in one request and
// answers which were approved and which skipped, and why.
func (h *handler) driveApprove(c *fiber.Ctx) error {
	var req bulkApproveRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	res, err := h.Drives.ApproveMany(c.UserContext(), user(c), c.Params("drive"), drives.BulkInput{
		All: req.All, Under: req.Under, Items: req.Submissions, Comment: req.Comment,
	})
	if err != nil {
		return err
	}
	return c.JSON(res)
}
