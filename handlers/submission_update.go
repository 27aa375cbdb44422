package handlers

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/fail"
)

type reviseRequest struct {
	Values       json.RawMessage   `json:"values"`
	Draft        bool              `json:"draft"`
	Explanations map[string]string `json:"explanations"`
}

func (h *handler) submissionUpdate(c *fiber.Ctx) error {
	version := parseETag(c.Get(fiber.HeaderIfMatch))
	if version < 0 {
		return fail.New(fail.Precondition, "修改需要 If-Match 版本号", "A revision needs the If-Match version")
	}
	var req reviseRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if len(req.Values) == 0 {
		return fail.Field("values", "required", "缺少填报内容", "values are required")
	}
	sub, err := h.Drives.Revise(c.UserContext(), user(c), c.Params("id"), drives.ReviseInput{
		Version: version, Values: req.Values, Draft: req.Draft, Explanations: req.Explanations,
	})
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, etagOf(sub.Version))
	return c.JSON(sub)
}

type reviewRequest struct {
	Action  string `json:"action"`
	Comment string `json:"comment"`
}

func (h *handler) submissionReview(c *fiber.Ctx) error {
	var req reviewRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	sub, err := h.Drives.Review(c.UserContext(), user(c), c.Params("id"), req.Action, req.Comment)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderETag, etagOf(sub.Version))
	return c.JSON(sub)
}
