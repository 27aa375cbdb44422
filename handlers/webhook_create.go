package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/store"
)

// webhookView is a webhook as answered: its address masked (the robot's key
// is a credential; nobody reads it back, its creator included).
type webhookView struct {
	store.Webhook
	URL string `json:"url"`
}

func viewWebhook(w *store.Webhook) webhookView {
	return webhookView{Webhook: *w, URL: notify.MaskURL(w.URL)}
}

func (h *handler) webhookList(c *fiber.Ctx) error {
	list, err := h.Store.Webhooks(c.UserContext(), user(c).Org)
	if err != nil {
		return err
	}
	views := make([]webhookView, len(list))
	for i := range list {
		views[i] = viewWebhook(&list[i])
	}
	return c.JSON(fiber.Map{"webhooks": views})
}

func (h *handler) webhookCreate(c *fiber.Ctx) error {
	var req drives.WebhookInput
	if err := decode(c, &req); err != nil {
		return err
	}
	w, err := h.Drives.CreateWebhook(c.UserContext(), user(c), req)
	if err != nil {
		return err
	}
	h.audit(c, "webhook.create", "webhook", w.ID, []string{"org=" + w.Org, "format=" + w.Format})
	return c.Status(fiber.StatusCreated).JSON(viewWebhook(w))
}

func (h *handler) webhookDelete(c *fiber.Ctx) error {
	if err := h.Store.DeleteWebhook(c.UserContext(), c.Params("id"), user(c).Org); err != nil {
		return err
	}
	h.audit(c, "webhook.delete", "webhook", c.Params("id"), nil)
	return c.SendStatus(fiber.StatusNoContent)
}

// reminderFailureView is a failure's reason with what it means in the
// caller's language.
type reminderFailureView struct {
	store.ReminderFailure
	Message string `json:"message"`
}

type reminderView struct {
	store.Reminder
	Failure *reminderFailureView `json:"failure,omitempty"`
}

// driveReminders lists the reminders of a drive sent to webhooks in the
// caller's subtree.
func (h *handler) driveReminders(c *fiber.Ctx) error {
	u := user(c)
	d, err := h.Drives.Drive(c.UserContext(), u, c.Params("drive"))
	if err != nil {
		return err
	}
	list, err := h.Store.Reminders(c.UserContext(), d.ID, u.Org)
	if err != nil {
		return err
	}
	views := make([]reminderView, len(list))
	for i, r := range list {
		views[i] = reminderView{Reminder: r}
		if f := r.Failure; f != nil {
			zh, en := notify.Explain(f.Reason, f.HTTPStatus, f.ErrCode)
			msg := zh
			if lang(c) == "en" {
				msg = en
			}
			views[i].Failure = &reminderFailureView{ReminderFailure: *f, Message: msg}
		}
	}
	return c.JSON(fiber.Map{"reminders": views})
}
