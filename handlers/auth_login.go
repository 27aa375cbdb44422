package handlers

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

type loginRequest struct {
	Username string `json:"username"`
	Password string `json:"password"`
}

type userView struct {
	ID                 string `json:"id"`
	Name               string `json:"name"`
	Role               string `json:"role"`
	Org                string `json:"org"`
	MustChangePassword bool   `json:"mustChangePassword"`
}

func viewUser(u *store.User) userView {
	return userView{ID: u.ID, Name: u.Name, Role: u.Role, Org: u.Org, MustChangePassword: u.MustChangePassword}
}

func (h *handler) authLogin(c *fiber.Ctx) error {
	if err := h.Auth.Admit(c.IP()); err != nil {
		return err
	}
	var req loginRequest
	if err := decode(c, &req); err != nil {
		return err
	}
	req.Username = strings.TrimSpace(req.Username)
	if req.Username == "" || len(req.Username) > 64 {
		return fail.Field("username", "required", "请输入用户名", "username is required")
	}
	if req.Password == "" {
		return fail.Field("password", "required", "请输入密码", "password is required")
	}
	token, u, err := h.Auth.Login(c.UserContext(), req.Username, req.Password, c.IP())
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	return c.JSON(fiber.Map{"token": token, "user": viewUser(u)})
}

func (h *handler) authLogout(c *fiber.Ctx) error {
	token, _ := c.Locals(localToken).(string)
	if err := h.Auth.Logout(c.UserContext(), token); err != nil {
		return err
	}
	return c.SendStatus(fiber.StatusNoContent)
}

func (h *handler) me(c *fiber.Ctx) error {
	u := user(c)
	org, err := h.Store.Org(c.UserContext(), u.Org)
	if err != nil {
		return err
	}
	return c.JSON(fiber.Map{"user": viewUser(u), "org": org})
}
