package handlers

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/fail"
)

// hazardList lists the open (?status=overdue: overdue) hazards of the
// schools in the caller's scope, counted by the units below it.
func (h *handler) hazardList(c *fiber.Ctx) error {
	limit := 0
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			return fail.Field("limit", "range", "每页 1–500 条", "limit must be 1–500")
		}
		limit = n
	}
	page, err := h.Drives.Hazards(c.UserContext(), user(c), drives.HazardQuery{
		Under: c.Query("under"), Status: c.Query("status"), After: c.Query("after"), Limit: limit,
	})
	if err != nil {
		return err
	}
	return c.JSON(page)
}

// orgHazards answers a school's whole hazard ledger, with each hazard's
// history.
func (h *handler) orgHazards(c *fiber.Ctx) error {
	l, err := h.Drives.Ledger(c.UserContext(), user(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(l)
}

// driveContext answers what a school's form reads besides its answers:
// earlier periods' values and the hazards to carry on.
func (h *handler) driveContext(c *fiber.Ctx) error {
	fc, err := h.Drives.Context(c.UserContext(), user(c), c.Params("drive"), c.Query("school"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	return c.JSON(fc)
}
