package handlers

import (
	"github.com/gofiber/fiber/v2"
)

// driveForm serves the form definition a school fills in; bureau users name
// the school with ?school=. The ETag is the form version.
func (h *handler) driveForm(c *fiber.Ctx) error {
	f, _, _, err := h.Drives.SchoolForm(c.UserContext(), user(c), c.Params("drive"), c.Query("school"))
	if err != nil {
		return err
	}
	etag := `"` + f.Version + `"`
	c.Set(fiber.HeaderETag, etag)
	c.Set(fiber.HeaderCacheControl, "private, no-cache")
	c.Set(fiber.HeaderVary, "Authorization")
	if c.Get(fiber.HeaderIfNoneMatch) == etag {
		return c.SendStatus(fiber.StatusNotModified)
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(f.JSON())
}
