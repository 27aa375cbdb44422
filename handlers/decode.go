package handlers

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/fail"
)

// decode reads a JSON request body strictly into v: the content type must be
// JSON, unknown fields and trailing data are refused.
func decode(c *fiber.Ctx, v any) error {
	ct := strings.ToLower(strings.TrimSpace(strings.Split(c.Get(fiber.HeaderContentType), ";")[0]))
	if ct != fiber.MIMEApplicationJSON {
		return fail.New(fail.Unsupported, "请求内容必须是 JSON（application/json）", "The request body must be JSON (application/json)")
	}
	body := c.Body()
	if !utf8.Valid(body) {
		return fail.Field("body", "utf8", "请求内容不是有效的 UTF-8", "The request body is not valid UTF-8")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return fail.Field("body", "json", "JSON 之后还有多余内容", "Unexpected data after the JSON value")
	}
	return nil
}

func jsonError(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		field := te.Field
		if field == "" {
			field = "body"
		}
		return fail.Field(field, "type", "类型不正确，应为 "+te.Type.String(), "wrong type, expected "+te.Type.String())
	}
	if msg, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		name := strings.Trim(msg, `"`)
		return fail.Field(name, "unknown_field", "不认识的字段", "unknown field")
	}
	return fail.Field("body", "json", "JSON 格式错误", "Malformed JSON: "+err.Error())
}
