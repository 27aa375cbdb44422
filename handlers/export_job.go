package handlers

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

type exportView struct {
	*store.ExportJob
	Percent int    `json:"percent"`
	URL     string `json:"url,omitempty"`
}

func viewExport(j *store.ExportJob) exportView {
	v := exportView{ExportJob: j}
	if j.Total > 0 {
		v.Percent = min(100, j.Done*100/j.Total)
	}
	if j.Status == store.ExportDone {
		v.Percent, v.URL = 100, "/api/v1/exports/"+j.ID+"/download"
	}
	return v
}

func (h *handler) exportStart(c *fiber.Ctx) error {
	u := user(c)
	d, err := h.Drives.Drive(c.UserContext(), u, c.Params("drive"))
	if err != nil {
		return err
	}
	j, err := h.Drives.StartExport(c.UserContext(), u, d)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderLocation, "/api/v1/exports/"+j.ID)
	return c.Status(fiber.StatusAccepted).JSON(viewExport(j))
}

func (h *handler) exportGet(c *fiber.Ctx) error {
	j, err := h.Drives.ExportJob(c.UserContext(), user(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(viewExport(j))
}

func (h *handler) exportDownload(c *fiber.Ctx) error {
	j, err := h.Drives.ExportJob(c.UserContext(), user(c), c.Params("id"))
	if err != nil {
		return err
	}
	if j.Status != store.ExportDone {
		return fail.New(fail.Conflict, "导出尚未完成", "The export is not finished")
	}
	// The file is sent after this handler returns, so its reading must not
	// end with the request's context.
	r, err := h.Store.ExportReader(context.WithoutCancel(c.UserContext()), j.ID, j.Size)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, reports.ContentDisposition(j.FileName))
	return c.SendStream(r, int(j.Size))
}
