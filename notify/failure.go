package notify

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/url"
	"strconv"
)

// Reasons a delivery failed (Failure.Reason). They are all that is kept of
// a failure: never the webhook's address, which holds its key, nor what the
// remote end wrote back.
const (
	ReasonTimeout        = "timeout"         // no answer in time
	ReasonRefusedURL     = "refused_url"     // the address is not allowed (CheckURL)
	ReasonRefusedAddress = "refused_address" // the host resolved to an address the sender may not dial
	ReasonHTTPStatus     = "http_status"     // answered with a status other than 2xx, redirects included
	ReasonRobotError     = "robot_error"     // answered 200 with a non-zero errcode
	ReasonUnreachable    = "unreachable"     // no connection: unknown host, refused, TLS failure
	ReasonFormat         = "format"          // the webhook's message format is unknown
	ReasonUnknown        = "unknown"         // recorded before reasons were kept
)

// Failure is why a reminder was not delivered.
type Failure struct {
	Reason     string
	HTTPStatus int // with ReasonHTTPStatus
	ErrCode    int // with ReasonRobotError
	cause      error
}

func (f *Failure) Error() string {
	msg := "notify: " + f.Reason
	switch f.Reason {
	case ReasonHTTPStatus:
		msg += " " + strconv.Itoa(f.HTTPStatus)
	case ReasonRobotError:
		msg += " " + strconv.Itoa(f.ErrCode)
	}
	if f.cause != nil {
		msg += ": " + f.cause.Error()
	}
	return msg
}

func (f *Failure) Unwrap() error { return f.cause }

// failed classifies an error of the HTTP client. The client's *url.Error
// names the whole URL, key included, so only the error inside it is kept.
func failed(err error) *Failure {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var refused *addressRefused
	var ne net.Error
	switch {
	case errors.As(err, &refused):
		return &Failure{Reason: ReasonRefusedAddress, cause: refused}
	case errors.Is(err, context.DeadlineExceeded) || errors.As(err, &ne) && ne.Timeout():
		return &Failure{Reason: ReasonTimeout, cause: err}
	}
	return &Failure{Reason: ReasonUnreachable, cause: err}
}

// Explain says in Chinese and English what a failure reason means.
func Explain(reason string, httpStatus, errCode int) (zh, en string) {
	switch reason {
	case ReasonTimeout:
		return "对方在规定时间内没有应答", "the webhook did not answer in time"
	case ReasonRefusedURL:
		return "网址不在允许的范围内（企业微信、钉钉群机器人或管理员允许的主机），未发送",
			"the address is not allowed (WeCom or DingTalk robots, or hosts the admin allows); nothing was sent"
	case ReasonRefusedAddress:
		return "网址的主机解析到内网、本机或保留地址，未发送",
			"the host resolves to an internal, loopback or reserved address; nothing was sent"
	case ReasonHTTPStatus:
		return fmt.Sprintf("对方应答 HTTP %d", httpStatus), fmt.Sprintf("the webhook answered HTTP status %d", httpStatus)
	case ReasonRobotError:
		return fmt.Sprintf("群机器人返回错误码 %d", errCode), fmt.Sprintf("the robot answered error code %d", errCode)
	case ReasonUnreachable:
		return "无法连接对方（主机不存在、拒绝连接或证书无效）",
			"the webhook could not be reached (unknown host, connection refused or invalid certificate)"
	case ReasonFormat:
		return "未知的消息格式，未发送", "unknown message format; nothing was sent"
	}
	return "发送失败，原因未记录", "delivery failed; the reason was not recorded"
}
