package handlers

import (
	"bytes"
	"strconv"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// userBulk gives every open school in the caller's scope that has no
// account one (and, asked, every unit between), and answers the 账号分发表
// with their one-time passwords: the only copy, never stored.
func (h *handler) userBulk(c *fiber.Ctx) error {
	var req auth.AccountsInput
	if len(c.Body()) > 0 {
		if err := decode(c, &req); err != nil {
			return err
		}
	}
	u := user(c)
	org, err := h.Store.Org(c.UserContext(), u.Org)
	if err != nil {
		return err
	}
	issued, err := h.Auth.IssueAccounts(c.UserContext(), u, req)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	rows := make([]reports.AccountRow, len(issued))
	entries := make([]store.AuditEntry, len(issued))
	reissued := 0
	for i, is := range issued {
		rows[i] = reports.AccountRow{Code: is.Code, Name: is.Name, Username: is.Username, Password: is.Password, Reissued: is.Reissued}
		action := "user.create"
		if is.Reissued {
			action = "user.reset_password"
			reissued++
		}
		entries[i] = auditEntry(u.ID, action, "user", is.Username, []string{"role=" + is.Role, "org=" + is.Code, "bulk"})
		entries[i].At = now
	}
	if err := h.Store.InsertAudit(c.UserContext(), entries...); err != nil {
		h.Log.Error("audit entries not recorded", "request_id", requestID(c), "action", "user.bulk", "err", err)
	}
	var loc *time.Location
	if h.Drives != nil {
		loc = h.Drives.Loc
	}
	var buf bytes.Buffer
	if err := reports.WriteAccounts(&buf, reports.AccountSheet{Bureau: org.Name, Created: now, Loc: loc, Rows: rows}); err != nil {
		return err
	}
	status := fiber.StatusOK
	if len(issued) > 0 {
		status = fiber.StatusCreated
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set(fiber.HeaderContentType, xlsxType)
	c.Set(fiber.HeaderContentDisposition, reports.ContentDisposition(org.Name+"账号分发表"+now.In(orUTC(loc)).Format("20060102-1504")+".xlsx"))
	c.Set("X-Accounts-Created", strconv.Itoa(len(issued)-reissued))
	c.Set("X-Accounts-Reissued", strconv.Itoa(reissued))
	return c.Status(status).Send(buf.Bytes())
}

func orUTC(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
