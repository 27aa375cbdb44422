package handlers

import (
	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

func (h *handler) userList(c *fiber.Ctx) error {
	role := c.Query("role")
	switch role {
	case "", store.RoleAdmin, store.RoleDistrict, store.RoleSchool, store.RoleViewer:
	default:
		return fail.Field("role", "option", "角色必须是 admin、district、school 或 viewer", "role must be admin, district, school or viewer")
	}
	users, err := h.Store.Users(c.UserContext(), store.UserFilter{Under: user(c).Org, Role: role})
	if err != nil {
		return err
	}
	if users == nil {
		users = []store.User{}
	}
	return c.JSON(fiber.Map{"users": users})
}

func (h *handler) userCreate(c *fiber.Ctx) error {
	var req auth.NewUser
	if err := decode(c, &req); err != nil {
		return err
	}
	u, password, err := h.Auth.CreateUser(c.UserContext(), user(c), req)
	if err != nil {
		return err
	}
	h.audit(c, "user.create", "user", u.ID, []string{"role=" + u.Role, "org=" + u.Org})
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.Status(fiber.StatusCreated).JSON(fiber.Map{"user": u, "password": password})
}

func (h *handler) userDisable(c *fiber.Ctx) error { return h.setDisabled(c, true) }
func (h *handler) userEnable(c *fiber.Ctx) error  { return h.setDisabled(c, false) }

func (h *handler) setDisabled(c *fiber.Ctx, disabled bool) error {
	u, err := h.Auth.SetDisabled(c.UserContext(), user(c), c.Params("id"), disabled)
	if err != nil {
		return err
	}
	action := "user.enable"
	if disabled {
		action = "user.disable"
	}
	h.audit(c, action, "user", u.ID, nil)
	return c.JSON(fiber.Map{"user": u})
}

func (h *handler) userResetPassword(c *fiber.Ctx) error {
	u, password, err := h.Auth.ResetPassword(c.UserContext(), user(c), c.Params("id"))
	if err != nil {
		return err
	}
	h.audit(c, "user.reset_password", "user", u.ID, nil)
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"user": u, "password": password})
}

type passwordRequest struct {
	Old string `json:"old"`
	New string `json:"new"`
}

func (h *handler) mePassword(c *fiber.Ctx) error {
	var req passwordRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	token, _ := c.Locals(localToken).(string)
	u := user(c)
	if err := h.Auth.ChangePassword(c.UserContext(), u, token, req.Old, req.New); err != nil {
		return err
	}
	h.audit(c, "user.change_password", "user", u.ID, nil)
	return c.SendStatus(fiber.StatusNoContent)
}
