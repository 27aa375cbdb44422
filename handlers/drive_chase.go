package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// chaseChannelView is a channel of a chase with its failure explained in
// the caller's language.
type chaseChannelView struct {
	drives.ChaseChannel
	Failure *reminderFailureView `json:"failure,omitempty"`
}

// driveChase reminds the missing schools now through every reminder channel
// in the caller's scope and answers what became of each: an empty list
// means no channel is configured.
func (h *handler) driveChase(c *fiber.Ctx) error {
	res, err := h.Drives.Chase(c.UserContext(), user(c), c.Params("drive"))
	if err != nil {
		return err
	}
	views := make([]chaseChannelView, len(res.Channels))
	for i, ch := range res.Channels {
		views[i] = chaseChannelView{ChaseChannel: ch, Failure: explainFailure(c, ch.Failure)}
	}
	return c.JSON(fiber.Map{"sent": res.Sent, "channels": views})
}

// explainFailure adds to a failed delivery's reason what it means, in the
// caller's language.
func explainFailure(c *fiber.Ctx, f *store.ReminderFailure) *reminderFailureView {
	if f == nil {
		return nil
	}
	zh, en := notify.Explain(f.Reason, f.HTTPStatus, f.ErrCode)
	msg := zh
	if lang(c) == "en" {
		msg = en
	}
	return &reminderFailureView{ReminderFailure: *f, Message: msg}
}
