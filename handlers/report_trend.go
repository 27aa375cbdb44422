package handlers

import (
	"bytes"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/reports"
)

func (h *handler) reportTrend(c *fiber.Ctx) error {
	in := drives.TrendInput{Indicator: c.Query("indicator"), Field: c.Query("field"), From: c.Query("from"), To: c.Query("to")}
	t, err := h.Drives.Trend(c.UserContext(), user(c), in)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := reports.WriteTrend(&buf, *t); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, reports.ContentDisposition(t.Indicator+" "+in.From+"~"+in.To+".xlsx"))
	return c.Send(buf.Bytes())
}
