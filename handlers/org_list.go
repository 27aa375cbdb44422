package handlers

import (
	"slices"

	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
)

func (h *handler) orgList(c *fiber.Ctx) error {
	kind := c.Query("kind")
	if kind != "" && !slices.Contains(store.BureauKinds, kind) && kind != store.KindDistrict && kind != store.KindSchool {
		return fail.Field("kind", "option", "类型须为 province、city、county、district 或 school", "kind must be province, city, county, district or school")
	}
	list, err := h.Store.Orgs(c.UserContext(), store.OrgFilter{Under: user(c).Org, Kind: kind, Open: c.Query("open") == "1"})
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Org{}
	}
	return c.JSON(fiber.Map{"orgs": list})
}

func (h *handler) orgGet(c *fiber.Ctx) error {
	o, err := orgs.Visible(c.UserContext(), h.Store, user(c), c.Params("id"))
	if err != nil {
		return err
	}
	return c.JSON(o)
}

func (h *handler) orgCreate(c *fiber.Ctx) error { return h.orgSave(c, true) }
func (h *handler) orgUpdate(c *fiber.Ctx) error { return h.orgSave(c, false) }

func (h *handler) orgSave(c *fiber.Ctx, create bool) error {
	var req orgs.SchoolInput
	if err := decode(c, &req); err != nil {
		return err
	}
	if !create {
		req.ID = c.Params("id")
	}
	o, changes, err := orgs.SaveSchool(c.UserContext(), h.Store, user(c), req, create, time.Now().UTC())
	if err != nil {
		return err
	}
	action, status := "org.update", fiber.StatusOK
	if create {
		action, status = "org.create", fiber.StatusCreated
	}
	h.audit(c, action, "school", o.ID, changes)
	return c.Status(status).JSON(o)
}
