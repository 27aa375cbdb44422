package handlers

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

func etagOf(version int) string { return `"` + strconv.Itoa(version) + `"` }

// parseETag reads a version from If-Match; -1 when absent or malformed.
func parseETag(s string) int {
	s = strings.TrimPrefix(strings.TrimSpace(s), "W/")
	n, err := strconv.Atoi(strings.Trim(s, `"`))
	if err != nil || n < 0 {
		return -1
	}
	return n
}

func (h *handler) submissionGet(c *fiber.Ctx) error {
	sub, err := h.Drives.Submission(c.UserContext(), user(c), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, etagOf(sub.Version))
	return c.JSON(sub)
}

func (h *handler) submissionRevisions(c *fiber.Ctx) error {
	revs, err := h.Drives.Revisions(c.UserContext(), user(c), c.Params("id"))
	if err != nil {
		return err
	}
	if revs == nil {
		revs = []store.Revision{}
	}
	return c.JSON(fiber.Map{"revisions": revs})
}

func (h *handler) submissionList(c *fiber.Ctx) error {
	u := user(c)
	d, err := h.Drives.Drive(c.UserContext(), u, c.Params("drive"))
	if err != nil {
		return err
	}
	limit := 0
	if l := c.Query("limit"); l != "" {
		if limit, err = strconv.Atoi(l); err != nil || limit < 1 {
			return fail.Field("limit", "range", "每页 1–200 条", "limit must be 1–200")
		}
	}
	page, err := h.Drives.List(c.UserContext(), u, d, drives.ListQuery{
		Under: c.Query("under"), Status: c.Query("status"), Late: c.Query("late") == "1", Failing: c.Query("failing") == "1",
		Search: strings.TrimSpace(c.Query("search")), Sort: c.Query("sort"), After: c.Query("after"), Limit: limit,
		Values: c.Query("values") == "1",
	})
	if err != nil {
		return err
	}
	return c.JSON(page)
}
