// Package fail is the one error type of Tianbao: a small set of codes that
// the HTTP layer maps to statuses in one place.
package fail

import (
	"errors"
	"fmt"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
)

// Code classifies an error.
type Code string

// The codes, each mapped to one HTTP status.
const (
	Invalid      Code = "invalid"      // 400/422: the request is wrong
	Unauthorized Code = "unauthorized" // 401
	Forbidden    Code = "forbidden"    // 403: in scope but not allowed (foreign objects are NotFound)
	// PasswordChange is 403: the account has a one-time password, and
	// nothing but changing it (or signing out) is allowed until it does.
	PasswordChange Code = "password_change_required"
	NotFound       Code = "not_found"          // 404
	Conflict       Code = "conflict"           // 409
	Locked         Code = "locked"             // 423
	TooMany        Code = "too_many"           // 429
	Timeout        Code = "timeout"            // 408: the client did not finish sending in time
	Unavailable    Code = "unavailable"        // 503
	TooLarge       Code = "too_large"          // 413
	HeadersLarge   Code = "headers_large"      // 431
	Unsupported    Code = "unsupported"        // 415
	Method         Code = "method_not_allowed" // 405
	Precondition   Code = "precondition"       // 428: If-Match missing
	Internal       Code = "internal"           // 500
)

// Error is an error with a code, a message for people and, for invalid
// input, the fields at fault.
type Error struct {
	Code       Code
	Message    forms.Text
	Fields     []forms.FieldError
	RetryAfter time.Duration
	Err        error // the cause, logged, never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message.En, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message.En)
}

func (e *Error) Unwrap() error { return e.Err }

// New returns an error with a code and a message in both languages.
func New(code Code, zh, en string) *Error {
	return &Error{Code: code, Message: forms.Text{Zh: zh, En: en}}
}

// Wrap returns an error with a code and a cause.
func Wrap(code Code, err error, zh, en string) *Error {
	return &Error{Code: code, Message: forms.Text{Zh: zh, En: en}, Err: err}
}

// Fields returns an Invalid error carrying field errors.
func Fields(errs []forms.FieldError) *Error {
	return &Error{Code: Invalid, Message: forms.Text{Zh: "提交的内容有误", En: "The submission has errors"}, Fields: errs}
}

// Field returns an Invalid error for one field.
func Field(field, code, zh, en string) *Error {
	return Fields([]forms.FieldError{{Field: field, Code: code, Message: forms.Text{Zh: zh, En: en}}})
}

// NotFoundf returns a NotFound error for a kind of object.
func NotFoundf(zhKind, enKind string) *Error {
	return New(NotFound, zhKind+"不存在", enKind+" not found")
}

// CodeOf returns the code of err, Internal when it has none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return Internal
}

// Is reports whether err carries the code.
func Is(err error, code Code) bool { return err != nil && CodeOf(err) == code }
