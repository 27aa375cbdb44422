package handlers

import (
	"encoding/json"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/fail"
)

type submissionRequest struct {
	ID     string          `json:"id"`
	School string          `json:"school"`
	Values json.RawMessage `json:"values"`
	Draft  bool            `json:"draft"`
	// Explanations explain values outside their usual range, by field path.
	Explanations map[string]string `json:"explanations"`
}

func (h *handler) submissionCreate(c *fiber.Ctx) error {
	var req submissionRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	if len(req.Values) == 0 {
		return fail.Field("values", "required", "缺少填报内容", "values are required")
	}
	sub, created, err := h.Drives.Create(c.UserContext(), user(c), c.Params("drive"), drives.SubmitInput{
		ID: req.ID, School: req.School, Values: req.Values, Draft: req.Draft, Explanations: req.Explanations,
	})
	if err != nil {
		return err
	}
	status := fiber.StatusOK
	if created {
		status = fiber.StatusCreated
	}
	c.Set(fiber.HeaderLocation, "/api/v1/submissions/"+sub.ID)
	c.Set(fiber.HeaderETag, etagOf(sub.Version))
	return c.Status(status).JSON(sub)
}
