package handlers

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
)

func (h *handler) orgList(c *fiber.Ctx) error {
	kind := c.Query("kind")
	if kind != "" && !slices.Contains(store.Kinds, kind) {
		return fail.Field("kind", "option", "类型须为 "+strings.Join(store.Kinds, "、"), "kind must be one of "+strings.Join(store.Kinds, ", "))
	}
	limit := 500
	if l := c.Query("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 || n > 5000 {
			return fail.Field("limit", "range", "每页 1–5000 个", "limit must be 1–5000")
		}
		limit = n
	}
	tree, err := h.Store.Tree(c.UserContext())
	if err != nil {
		return err
	}
	after, open := c.Query("after"), c.Query("open") == "1"
	list, next := []store.Org{}, ""
	for _, o := range tree.Under(user(c).Org) {
		switch {
		case o.ID <= after, kind != "" && o.Kind != kind, open && o.Closed:
			continue
		case len(list) == limit:
			next = list[len(list)-1].ID
		}
		if next != "" {
			break
		}
		list = append(list, *o)
	}
	return c.JSON(fiber.Map{"orgs": list, "next": next})
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

func (h *handler) unitCreate(c *fiber.Ctx) error { return h.unitSave(c, true) }
func (h *handler) unitUpdate(c *fiber.Ctx) error { return h.unitSave(c, false) }

func (h *handler) unitSave(c *fiber.Ctx, create bool) error {
	var req orgs.UnitInput
	if err := decode(c, &req); err != nil {
		return err
	}
	if !create {
		req.ID = c.Params("id")
	}
	o, changes, err := orgs.SaveUnit(c.UserContext(), h.Store, user(c), req, create, time.Now().UTC())
	if err != nil {
		return err
	}
	action, status := "org.update", fiber.StatusOK
	if create {
		action, status = "org.create", fiber.StatusCreated
	}
	h.audit(c, action, o.Kind, o.ID, changes)
	return c.Status(status).JSON(o)
}
