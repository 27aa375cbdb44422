package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"strconv"
	"sync"
	"time"
)

// Sender posts messages to webhooks. It connects only to addresses
// Dialable allows, follows no redirect and uses no proxy.
type Sender struct {
	Loc *time.Location
	Now func() time.Time
	// Dialable reports whether the sender may connect to an address; nil
	// allows Public addresses only. Tests that run webhooks on loopback
	// allow it here, on their own sender.
	Dialable func(netip.Addr) bool
	// Timeout bounds one delivery; zero means ten seconds.
	Timeout time.Duration

	once   sync.Once
	client *http.Client
}

// NewSender returns a sender that reaches public addresses only.
func NewSender(loc *time.Location) *Sender {
	return &Sender{Loc: loc, Now: time.Now}
}

// httpClient is built on first use, so Dialable and Timeout may be set
// after NewSender.
func (s *Sender) httpClient() *http.Client {
	s.once.Do(func() {
		timeout := s.Timeout
		if timeout == 0 {
			timeout = 10 * time.Second
		}
		dialer := &net.Dialer{Timeout: timeout, Control: s.control}
		s.client = &http.Client{
			Timeout: timeout,
			Transport: &http.Transport{
				Proxy:               nil, // a proxy would hide the address the dialer checks
				DialContext:         dialer.DialContext,
				ForceAttemptHTTP2:   true,
				TLSHandshakeTimeout: timeout,
				MaxIdleConns:        10,
				IdleConnTimeout:     90 * time.Second,
			},
			CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
		}
	})
	return s.client
}

// Send posts a reminder to a webhook address in its format, if CheckURL
// allows the address with hosts; secret signs DingTalk requests when set.
// Every error is a *Failure.
func (s *Sender) Send(ctx context.Context, hosts []Host, format, target, secret string, r Reminder) error {
	if err := CheckURL(target, hosts); err != nil {
		return &Failure{Reason: ReasonRefusedURL, cause: err}
	}
	loc := s.Loc
	if loc == nil {
		loc = time.UTC
	}
	body, err := Body(format, r, loc)
	if err != nil {
		return &Failure{Reason: ReasonFormat, cause: err}
	}
	if format == DingTalk && secret != "" {
		now := time.Now
		if s.Now != nil {
			now = s.Now
		}
		target = signDingTalk(target, secret, now())
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return &Failure{Reason: ReasonRefusedURL, cause: errors.New("notify: unusable address")}
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	resp, err := s.httpClient().Do(req)
	if err != nil {
		return failed(err)
	}
	defer resp.Body.Close()
	reply, _ := io.ReadAll(io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return &Failure{Reason: ReasonHTTPStatus, HTTPStatus: resp.StatusCode}
	}
	// WeCom and DingTalk answer 200 with an error code in the body.
	var res struct {
		ErrCode int `json:"errcode"`
	}
	if json.Unmarshal(reply, &res) == nil && res.ErrCode != 0 {
		return &Failure{Reason: ReasonRobotError, ErrCode: res.ErrCode}
	}
	return nil
}

// signDingTalk adds DingTalk's timestamp and HMAC-SHA256 signature to an
// address CheckURL has accepted.
func signDingTalk(target, secret string, now time.Time) string {
	u, _ := url.Parse(target)
	ts := strconv.FormatInt(now.UnixMilli(), 10)
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write([]byte(ts + "\n" + secret))
	q := u.Query()
	q.Set("timestamp", ts)
	q.Set("sign", base64.StdEncoding.EncodeToString(mac.Sum(nil)))
	u.RawQuery = q.Encode()
	return u.String()
}
