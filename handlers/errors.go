package handlers

import (
	"errors"
	"log/slog"
	"math"
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/metrics"
)

var statusOf = map[fail.Code]int{
	fail.Invalid:        fiber.StatusBadRequest,
	fail.Unauthorized:   fiber.StatusUnauthorized,
	fail.Forbidden:      fiber.StatusForbidden,
	fail.PasswordChange: fiber.StatusForbidden,
	fail.NotFound:       fiber.StatusNotFound,
	fail.Conflict:       fiber.StatusConflict,
	fail.Locked:         fiber.StatusLocked,
	fail.TooMany:        fiber.StatusTooManyRequests,
	fail.Unavailable:    fiber.StatusServiceUnavailable,
	fail.TooLarge:       fiber.StatusRequestEntityTooLarge,
	fail.HeadersLarge:   fiber.StatusRequestHeaderFieldsTooLarge,
	fail.Unsupported:    fiber.StatusUnsupportedMediaType,
	fail.Method:         fiber.StatusMethodNotAllowed,
	fail.Precondition:   fiber.StatusPreconditionRequired,
	fail.Internal:       fiber.StatusInternalServerError,
	fail.Timeout:        fiber.StatusRequestTimeout,
}

// fiberCodes turns Fiber's own errors (unknown route, body too large...)
// into ours; a body over the limit is answered by bodyTooLarge.
var fiberCodes = map[int]*fail.Error{
	fiber.StatusNotFound:                    fail.New(fail.NotFound, "地址不存在", "No such address"),
	fiber.StatusMethodNotAllowed:            fail.New(fail.Method, "该地址不支持这种请求方法", "This address does not take this method"),
	fiber.StatusRequestTimeout:              fail.New(fail.Timeout, "请求超时：请检查网络后重试", "The request timed out: check the connection and retry"),
	fiber.StatusRequestHeaderFieldsTooLarge: fail.New(fail.HeadersLarge, "请求头过大", "The request headers are too large"),
	fiber.StatusBadGateway:                  fail.New(fail.Invalid, "请求读取失败", "The request could not be read"),
	fiber.StatusBadRequest:                  fail.New(fail.Invalid, "请求格式错误", "Malformed request"),
}

type problemField struct {
	Field   string `json:"field"`
	Code    string `json:"code"`
	Message string `json:"message"`
}

type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail,omitempty"`
	Instance  string         `json:"instance,omitempty"`
	Code      fail.Code      `json:"code"`
	Errors    []problemField `json:"errors,omitempty"`
	RequestID string         `json:"requestId,omitempty"`
}

// lang is the caller's language: "en" when Accept-Language prefers English,
// Chinese otherwise.
func lang(c *fiber.Ctx) string {
	al := strings.ToLower(strings.TrimSpace(c.Get(fiber.HeaderAcceptLanguage)))
	if strings.HasPrefix(al, "en") {
		return "en"
	}
	return "zh"
}

// errorHandler is the one place errors become HTTP answers (RFC 9457).
func errorHandler(log *slog.Logger, m *metrics.Metrics, limits bodyLimits, routes *allowed) fiber.ErrorHandler {
	return func(c *fiber.Ctx, err error) error {
		var fe *fail.Error
		var fbe *fiber.Error
		switch {
		case errors.As(err, &fe):
		case errors.As(err, &fbe) && fbe.Code == fiber.StatusRequestEntityTooLarge:
			fe = bodyTooLarge(limits.of(c.Method(), c.Path()))
			if l, ok := c.Context().Conn().(lingerer); ok {
				l.lingerOnClose() // the rest of the body is still coming
			}
		case errors.As(err, &fbe):
			fe = fiberCodes[fbe.Code]
			if fe == nil {
				fe = fail.Wrap(fail.Internal, err, "服务器内部错误", "Internal error")
			}
		default:
			fe = fail.Wrap(fail.Internal, err, "服务器内部错误", "Internal error")
		}
		// Errors Fiber raises before routing (413, 408, 431) miss the
		// middleware: the headers every answer carries are set here too.
		setSecurityHeaders(c)
		status := statusOf[fe.Code]
		if fe.Code == fail.Unavailable {
			m.DBErrors.Inc()
		}
		if fe.Code == fail.Invalid && len(fe.Fields) > 0 && !bodyOnly(fe.Fields) {
			status = fiber.StatusUnprocessableEntity
		}
		rid := requestID(c)
		if status >= 500 {
			log.Error("request failed", "request_id", rid, "method", c.Method(), "path", c.Path(), "status", status, "err", err)
		}
		l := lang(c)
		p := problem{
			Type: "about:blank", Title: fe.Message.In(l), Status: status, Code: fe.Code,
			Instance: c.OriginalURL(), RequestID: rid,
		}
		if status == fiber.StatusInternalServerError {
			p.Title = forms.Text{Zh: "服务器内部错误", En: "Internal error"}.In(l)
		}
		for _, f := range fe.Fields {
			p.Errors = append(p.Errors, problemField{Field: f.Field, Code: f.Code, Message: f.Message.In(l)})
		}
		if fe.Code == fail.Method && routes != nil {
			c.Set(fiber.HeaderAllow, routes.of(c.Path()))
		}
		if fe.RetryAfter > 0 {
			secs := int(fe.RetryAfter.Seconds() + 0.999)
			c.Set(fiber.HeaderRetryAfter, strconv.Itoa(max(secs, 1)))
		}
		if len(p.Instance) > 200 {
			p.Instance = p.Instance[:200]
		}
		c.Set(fiber.HeaderContentLanguage, map[string]string{"en": "en", "zh": "zh-CN"}[l])
		return c.Status(status).JSON(p, "application/problem+json")
	}
}

// bodyOnly reports whether the errors are about the body as a whole (it is
// not JSON at all: 400) rather than about its fields (422).
func bodyOnly(errs []forms.FieldError) bool {
	for _, e := range errs {
		if e.Field != "body" {
			return false
		}
	}
	return true
}

// bodyTooLarge is the answer to a request body over the server's limit,
// which it names.
func bodyTooLarge(limit int) *fail.Error {
	return fail.New(fail.TooLarge, "请求内容超过 "+sizeText(limit), "The request body is larger than "+sizeText(limit))
}

// sizeText writes a byte count for people, rounded down: "4 MB", "1.5 MB",
// "512 KB".
func sizeText(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.FormatFloat(math.Floor(float64(n)*10/(1<<20))/10, 'f', -1, 64) + " MB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + " KB"
	}
	return strconv.Itoa(n) + " B"
}
