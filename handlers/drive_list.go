package handlers

import (
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/store"
)

type driveView struct {
	store.Drive
	State string `json:"state"`
}

func (h *handler) driveList(c *fiber.Ctx) error {
	since := h.Drives.Now().AddDate(-1, 0, 0)
	if c.Query("all") == "1" {
		since = time.Time{}
	}
	list, err := h.Drives.Drives(c.UserContext(), user(c), since)
	if err != nil {
		return err
	}
	out := make([]driveView, 0, len(list))
	for _, d := range list {
		out = append(out, driveView{Drive: d, State: h.Drives.State(&d, "")})
	}
	return c.JSON(fiber.Map{"drives": out})
}

func (h *handler) driveProgress(c *fiber.Ctx) error {
	_, p, err := h.Drives.DriveProgressUnder(c.UserContext(), user(c), c.Params("drive"), c.Query("under"))
	if err != nil {
		return err
	}
	return c.JSON(p)
}
