package auth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"net/netip"
	"time"

	"github.com/tianbao-edu/tianbao/store"
)

// policy is how one counter of failed password checks slows guessing: the
// first free failures cost nothing, then each further check waits after the
// previous one a delay that starts at base and doubles per failure up to
// max. One failure is forgotten per forget of quiet; a right password
// forgets them all (reset) or only its own attempt.
type policy struct {
	kind   string
	free   int
	base   time.Duration
	max    time.Duration
	forget time.Duration
	reset  bool
}

// The counters. A sign-in counts on perAddress (the account from one
// address) and then on perAccount (the account from anywhere). A stranger's
// failures thus slow the stranger's address only, until the account as a
// whole fails far more often than its users ever do: then a distributed
// guesser meets a growing delay too, bounded by max and forgotten with time.
// perChange counts checks of the current password when changing it.
var (
	perAddress = policy{kind: "login", free: 5, base: 30 * time.Second, max: 15 * time.Minute, forget: time.Hour, reset: true}
	perAccount = policy{kind: "account", free: 50, base: time.Minute, max: 30 * time.Minute, forget: 10 * time.Minute}
	perChange  = policy{kind: "password", free: 5, base: 30 * time.Second, max: 15 * time.Minute, forget: time.Hour, reset: true}
)

// AttemptsKept is how long counted attempts are kept: every counter has
// forgotten its failures by then (see TestCountersForgetWithinAttemptsKept).
const AttemptsKept = 24 * time.Hour

// most is the most failures a counter remembers: past it the delay is at
// its longest anyway.
func (p policy) most() int {
	n := p.free + 1
	for d := p.base; d < p.max; d *= 2 {
		n++
	}
	return n
}

// carried is the failures of the latest attempt still counting at now.
func (p policy) carried(last *store.Attempt, now time.Time) int {
	f := last.Fails
	if quiet := now.Sub(last.At); quiet > 0 {
		f -= int(quiet / p.forget)
	}
	return max(f, 0)
}

// delay is the wait after the latest attempt when fails failures count.
func (p policy) delay(fails int) time.Duration {
	if fails < p.free {
		return 0
	}
	d := p.base
	for range fails - p.free {
		if d >= p.max {
			break
		}
		d *= 2
	}
	return min(d, p.max)
}

// rule lets an attempt through at now once the delay since the latest has
// passed; the attempt counts as a failure until its password proves right.
func (p policy) rule(now time.Time) store.AttemptRule {
	return func(last *store.Attempt) (int, time.Duration) {
		if last == nil {
			return 1, 0
		}
		f := p.carried(last, now)
		if wait := last.At.Add(p.delay(f)).Sub(now); wait > 0 {
			return 0, wait
		}
		return min(f+1, p.most()), 0
	}
}

// counter is a policy applied to one key (an account, an account from an
// address).
type counter struct {
	p   policy
	key string
}

// claimed is an attempt a counter let through.
type claimed struct {
	p policy
	a *store.Attempt
}

var tooManyFailures = [2]string{"密码错误次数过多，请稍后再试", "Too many wrong passwords; try again later"}

// claim takes an attempt on each counter in turn, before any password is
// checked, so that concurrent requests can never check more than the
// counters allow. When one refuses, the attempts already taken are given
// back (their password is not checked) and the answer is TooMany with the
// wait. user is the account the counters belong to, known or not: an
// unknown name is counted exactly like a real one.
func (a *Service) claim(ctx context.Context, now time.Time, user string, cs ...counter) ([]claimed, error) {
	var out []claimed
	for _, c := range cs {
		at, wait, err := a.Store.ClaimAttempt(ctx, c.p.kind+":"+digest(c.key), userTag(user), now, c.p.rule(now))
		if err == nil && wait > 0 {
			err = tooMany(wait, tooManyFailures[0], tooManyFailures[1])
		}
		if err != nil {
			for _, c := range out {
				_ = a.Store.SettleAttempt(ctx, c.a, c.a.Fails-1)
			}
			return nil, err
		}
		out = append(out, claimed{c.p, at})
	}
	return out, nil
}

// forgive records that the password of claimed attempts was right.
func (a *Service) forgive(ctx context.Context, cs []claimed) error {
	for _, c := range cs {
		fails := max(c.a.Fails-1, 0)
		if c.p.reset {
			fails = 0
		}
		if err := a.Store.SettleAttempt(ctx, c.a, fails); err != nil {
			return err
		}
	}
	return nil
}

// signInCounters are the counters of a sign-in as username from ip.
func signInCounters(username, ip string) []counter {
	return []counter{{perAddress, username + "\x00" + network(ip)}, {perAccount, username}}
}

// network is the part of a client address one party holds: an IPv4
// address, or the /64 of an IPv6 one (a subscriber gets a whole /64).
func network(ip string) string {
	addr, err := netip.ParseAddr(ip)
	if err != nil {
		return ip
	}
	if addr = addr.Unmap(); addr.Is4() {
		return addr.String()
	}
	p, _ := addr.Prefix(64)
	return p.String()
}

// userTag names an account's counters without storing the name (a password
// typed into the name field stays out of the database).
func userTag(username string) string { return digest("user\x00" + username) }

func digest(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:16])
}
