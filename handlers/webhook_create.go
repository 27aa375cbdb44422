package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/store"
)

func (h *handler) webhookList(c *fiber.Ctx) error {
	list, err := h.Store.Webhooks(c.UserContext(), user(c).Org)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Webhook{}
	}
	return c.JSON(fiber.Map{"webhooks": list})
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
	return c.Status(fiber.StatusCreated).JSON(w)
}

func (h *handler) webhookDelete(c *fiber.Ctx) error {
	if err := h.Store.DeleteWebhook(c.UserContext(), c.Params("id"), user(c).Org); err != nil {
		return err
	}
	h.audit(c, "webhook.delete", "webhook", c.Params("id"), nil)
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handler) driveChase(c *fiber.Ctx) error {
	n, err := h.Drives.Chase(c.UserContext(), user(c), c.Params("drive"))
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"sent": n})
}

func (h *handler) driveReminders(c *fiber.Ctx) error {
	d, err := h.Drives.Drive(c.UserContext(), user(c), c.Params("drive"))
	if err != nil {
		return err
	}
	list, err := h.Store.Reminders(c.UserContext(), d.ID)
	if err != nil {
		return err
	}
	if list == nil {
		list = []store.Reminder{}
	}
	return c.JSON(fiber.Map{"reminders": list})
}
