package handlers

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/reports"
)

const xlsxType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

func (h *handler) driveExport(c *fiber.Ctx) error {
	u := user(c)
	d, p, err := h.Drives.DriveProgress(c.UserContext(), u, c.Params("drive"))
	if err != nil {
		return err
	}
	if h.Drives.Large(p) {
		// Too big to build within one request: hand over to a job.
		return h.exportStart(c)
	}
	var buf bytes.Buffer
	if err := h.Drives.Export(c.UserContext(), u, d, p, &buf, nil); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, reports.ContentDisposition(h.Drives.ExportFileName(c.UserContext(), u, d)))
	return c.Send(buf.Bytes())
}
