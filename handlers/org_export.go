package handlers

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/reports"
)

// orgExport sends the caller's schools in the layout the import reads.
func (h *handler) orgExport(c *fiber.Ctx) error {
	var buf bytes.Buffer
	if err := orgs.Export(c.UserContext(), h.Store, user(c), &buf); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, reports.ContentDisposition("学校名单.xlsx"))
	return c.Send(buf.Bytes())
}
