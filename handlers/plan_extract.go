package handlers

import (
	"encoding/json"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms/extract"
)

// planExtract reads a plan's text (text/plain, or JSON {"text": …}) and
// answers the candidate indicators and targets it proposes.
func (h *handler) planExtract(c *fiber.Ctx) error {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(c.Get(fiber.HeaderContentType), ";")[0]))
	var text string
	switch ct {
	case fiber.MIMETextPlain:
		text = string(c.Body())
	case fiber.MIMEApplicationJSON:
		var req struct {
			Text string `json:"text"`
		}
		if err := decode(c, &req); err != nil {
			return err
		}
		text = req.Text
	default:
		return fail.New(fail.Unsupported, "请以 text/plain 或 JSON 提交计划文本", "Send the plan text as text/plain or JSON")
	}
	if len(text) > extract.MaxInput {
		return fail.New(fail.TooLarge, "计划文本不能超过 1 MB", "The plan text may be at most 1 MB")
	}
	res, err := extract.Extract(text)
	if err != nil {
		return fail.Field("text", "invalid", "计划文本须为 UTF-8", "The plan text must be UTF-8")
	}
	raw, err := json.Marshal(res)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSONCharsetUTF8)
	return c.Send(raw)
}
