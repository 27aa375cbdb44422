package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// phone is one simulated handset: its own connection, from its own
// loopback address (the server limits logins per address), its own token.
type phone struct {
	base   string
	client *http.Client
	token  string
	school *store.Org
	form   *forms.Form // the last form fetched, sent back as If-None-Match
}

func newPhone(base string, n, spread int) *phone {
	dialer := &net.Dialer{Timeout: 5 * time.Second}
	if spread > 1 {
		// Every address of 127.0.0.0/8 reaches the loopback interface.
		dialer.LocalAddr = &net.TCPAddr{IP: net.IPv4(127, 0, 1, byte(2+n%min(spread, 250)))}
	}
	tr := &http.Transport{DialContext: dialer.DialContext, MaxIdleConnsPerHost: 1, IdleConnTimeout: time.Minute}
	return &phone{base: base, client: &http.Client{Transport: tr, Timeout: 60 * time.Second}}
}

// apiError is an answer with an unexpected status.
type apiError struct {
	status     int
	retryAfter time.Duration
	body       string
}

func (e *apiError) Error() string { return fmt.Sprintf("HTTP %d: %.300s", e.status, e.body) }

// call sends one request and decodes a JSON answer into out (when not nil).
func (p *phone) call(ctx context.Context, method, path string, body any, header map[string]string, out any) (int, http.Header, error) {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return 0, nil, err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, p.base+path, rd)
	if err != nil {
		return 0, nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if p.token != "" {
		req.Header.Set("Authorization", "Bearer "+p.token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := p.client.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return res.StatusCode, res.Header, err
	}
	if res.StatusCode >= 300 && res.StatusCode != http.StatusNotModified {
		secs, _ := strconv.Atoi(res.Header.Get("Retry-After"))
		return res.StatusCode, res.Header, &apiError{status: res.StatusCode, retryAfter: time.Duration(secs) * time.Second, body: string(raw)}
	}
	if out != nil && len(raw) > 0 {
		if err := json.Unmarshal(raw, out); err != nil {
			return res.StatusCode, res.Header, fmt.Errorf("%s %s: %w", method, path, err)
		}
	}
	return res.StatusCode, res.Header, nil
}

// login signs in, waiting out the per-address limit when it answers 429.
func (p *phone) login(ctx context.Context, username, password string) error {
	for {
		var res struct {
			Token string `json:"token"`
		}
		_, _, err := p.call(ctx, http.MethodPost, "/api/v1/auth/login", map[string]string{"username": username, "password": password}, nil, &res)
		if ae, ok := err.(*apiError); ok && ae.status == http.StatusTooManyRequests {
			if err := sleep(ctx, max(ae.retryAfter, time.Second)); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return fmt.Errorf("login %s: %w", username, err)
		}
		p.token = res.Token
		var me struct {
			Org store.Org `json:"org"`
		}
		if _, _, err := p.call(ctx, http.MethodGet, "/api/v1/me", nil, nil, &me); err != nil {
			return fmt.Errorf("me %s: %w", username, err)
		}
		p.school = &me.Org
		return nil
	}
}

// fetchForm gets a drive's form, sending the version held as If-None-Match;
// it reports whether the server answered 304.
func (p *phone) fetchForm(ctx context.Context, drive string) (bool, error) {
	h := map[string]string{}
	if p.form != nil {
		h["If-None-Match"] = `"` + p.form.Version + `"`
	}
	var f forms.Form
	status, _, err := p.call(ctx, http.MethodGet, "/api/v1/drives/"+drive+"/form", nil, h, &f)
	if err != nil {
		return false, err
	}
	if status == http.StatusNotModified {
		return true, nil
	}
	p.form = &f
	return false, nil
}

// attempt is the outcome of one POST of a submission.
type attempt struct {
	status  int // 0: network error
	latency time.Duration
}

// submit posts one submission with a fresh client id, retrying network
// errors and 5xx answers with the same id (exponential backoff, bounded).
func (p *phone) submit(ctx context.Context, drive, id string, values forms.Values, retries int) ([]attempt, error) {
	body := map[string]any{"id": id, "values": values}
	var out []attempt
	backoff := 100 * time.Millisecond
	for try := 0; ; try++ {
		start := time.Now()
		status, _, err := p.call(ctx, http.MethodPost, "/api/v1/drives/"+drive+"/submissions", body, nil, nil)
		out = append(out, attempt{status: status, latency: time.Since(start)})
		if err == nil {
			return out, nil
		}
		ae, isAPI := err.(*apiError)
		if (isAPI && ae.status < 500) || ctx.Err() != nil || try >= retries {
			return out, err
		}
		wait := backoff
		if isAPI && ae.retryAfter > 0 {
			wait = min(ae.retryAfter, 5*time.Second)
		}
		if err := sleep(ctx, wait); err != nil {
			return out, err
		}
		backoff = min(backoff*2, 3*time.Second)
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
