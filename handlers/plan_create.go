package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

func (h *handler) planList(c *fiber.Ctx) error {
	plans, err := h.Store.Plans(c.UserContext())
	if err != nil {
		return err
	}
	if plans == nil {
		plans = []store.PlanDoc{}
	}
	return c.JSON(fiber.Map{"plans": plans})
}

func (h *handler) planGet(c *fiber.Ctx) error {
	p, err := h.Store.Plan(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, etagOf(p.Rev))
	return c.JSON(p)
}

// planRequest is a new plan: items chosen directly, or candidates selected
// from a plan text (see POST /plans/extract), or both.
type planRequest struct {
	ID       string           `json:"id"`
	Name     string           `json:"name"`
	Year     int              `json:"year"`
	Items    []forms.PlanItem `json:"items"`
	FromText *struct {
		Text     string `json:"text"`
		Selected []int  `json:"selected"`
	} `json:"fromText"`
}

func (h *handler) planCreate(c *fiber.Ctx) error {
	var req planRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	plan := forms.Plan{ID: req.ID, Name: req.Name, Year: req.Year, Items: req.Items}
	if req.FromText != nil {
		items, err := h.Planning.FromText(c.UserContext(), req.FromText.Text, req.FromText.Selected)
		if err != nil {
			return err
		}
		plan.Items = append(plan.Items, items...)
	}
	p, err := h.Planning.CreatePlan(c.UserContext(), user(c), plan)
	if err != nil {
		return err
	}
	h.audit(c, "plan.create", "plan", p.ID, nil)
	c.Set(fiber.HeaderETag, etagOf(p.Rev))
	return c.Status(fiber.StatusCreated).JSON(p)
}

func (h *handler) planUpdate(c *fiber.Ctx) error {
	rev := parseETag(c.Get(fiber.HeaderIfMatch))
	if rev < 0 {
		return fail.New(fail.Precondition, "修改需要 If-Match 版本号", "An update needs the If-Match version")
	}
	var req forms.Plan
	if err := decode(c, &req); err != nil {
		return err
	}
	req.ID = c.Params("id")
	p, err := h.Planning.UpdatePlan(c.UserContext(), user(c), req, rev)
	if err != nil {
		return err
	}
	h.audit(c, "plan.update", "plan", p.ID, nil)
	c.Set(fiber.HeaderETag, etagOf(p.Rev))
	return c.JSON(p)
}

func (h *handler) indicatorList(c *fiber.Ctx) error {
	inds, err := h.Store.Indicators(c.UserContext())
	if err != nil {
		return err
	}
	out := make([]forms.Indicator, 0, len(inds))
	for _, code := range sortedKeys(inds) {
		out = append(out, inds[code])
	}
	return c.JSON(fiber.Map{"indicators": out})
}

func (h *handler) indicatorCreate(c *fiber.Ctx) error { return h.indicatorPut(c, true) }
func (h *handler) indicatorUpdate(c *fiber.Ctx) error { return h.indicatorPut(c, false) }

func (h *handler) indicatorPut(c *fiber.Ctx, create bool) error {
	var req forms.Indicator
	if err := decode(c, &req); err != nil {
		return err
	}
	if !create {
		req.Code = c.Params("code")
	}
	ind, err := h.Planning.PutIndicator(c.UserContext(), req, create)
	if err != nil {
		return err
	}
	h.audit(c, "indicator.put", "indicator", ind.Code, nil)
	status := fiber.StatusOK
	if create {
		status = fiber.StatusCreated
	}
	return c.Status(status).JSON(ind)
}
