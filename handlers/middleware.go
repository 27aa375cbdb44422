package handlers

import (
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"regexp"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

const (
	localRequestID = "requestID"
	localUser      = "user"
	localToken     = "token"
)

var validRequestID = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// withRequestID gives every request an id, echoed in X-Request-Id.
func withRequestID(c *fiber.Ctx) error {
	id := c.Get(fiber.HeaderXRequestID)
	if !validRequestID.MatchString(id) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id = hex.EncodeToString(b)
	}
	c.Locals(localRequestID, id)
	c.Set(fiber.HeaderXRequestID, id)
	return c.Next()
}

func requestID(c *fiber.Ctx) string {
	id, _ := c.Locals(localRequestID).(string)
	return id
}

// withLog writes one line per request; the query string and headers are
// left out so tokens and personal data never reach the log.
func withLog(log *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		start := time.Now()
		status := answer(c, c.Next())
		log.Info("request", "request_id", requestID(c), "method", c.Method(), "path", c.Path(),
			"route", c.Route().Path, "status", status, "ms", time.Since(start).Milliseconds())
		return nil
	}
}

// answer turns an error from further down the chain into its response
// (once: outer middleware then sees none) and returns the status sent.
func answer(c *fiber.Ctx, err error) int {
	if err != nil {
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			return fiber.StatusInternalServerError
		}
	}
	return c.Response().StatusCode()
}

// requireUser resolves the bearer token to the signed-in user.
func requireUser(a *auth.Service) fiber.Handler {
	return func(c *fiber.Ctx) error {
		h := c.Get(fiber.HeaderAuthorization)
		token, ok := strings.CutPrefix(h, "Bearer ")
		if !ok {
			return fail.New(fail.Unauthorized, "请先登录", "Please sign in")
		}
		u, err := a.Authenticate(c.UserContext(), strings.TrimSpace(token))
		if err != nil {
			return err
		}
		if u.MustChangePassword && !whilePasswordChange[c.Method()+" "+strings.TrimSuffix(c.Path(), "/")] {
			return passwordChangeRequired
		}
		c.Locals(localUser, u)
		c.Locals(localToken, strings.Clone(strings.TrimSpace(token)))
		return c.Next()
	}
}

// whilePasswordChange are the routes an account with a one-time password
// may use before it has changed it.
var whilePasswordChange = map[string]bool{
	"GET /api/v1/me": true, "POST /api/v1/me/password": true, "POST /api/v1/auth/logout": true,
}

var passwordChangeRequired = fail.New(fail.PasswordChange, "请先修改初始密码", "Change your one-time password first")

// requireRole lets only the given roles through; others get 403 (the route
// itself is no secret).
func requireRole(roles ...string) fiber.Handler {
	return func(c *fiber.Ctx) error {
		u := user(c)
		for _, r := range roles {
			if u.Role == r {
				return c.Next()
			}
		}
		return fail.New(fail.Forbidden, "无权执行此操作", "You are not allowed to do this")
	}
}

func user(c *fiber.Ctx) *store.User {
	u, _ := c.Locals(localUser).(*store.User)
	return u
}

// securityHeaders sets the headers every answer carries.
func securityHeaders(c *fiber.Ctx) error {
	setSecurityHeaders(c)
	return c.Next()
}

func setSecurityHeaders(c *fiber.Ctx) {
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("Referrer-Policy", "no-referrer")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'")
}
