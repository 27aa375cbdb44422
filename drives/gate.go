package drives

import (
	"cmp"
	"sync"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
)

// Reports (workbooks and trends) are the costliest requests: each reads a
// whole drive or year. However many are asked for at once, an instance
// builds only a few at a time — a handful per user and a few more in all —
// and answers the rest 429 with a time to retry, so twenty taps on
// "export" cannot take the memory and the cores the submissions need.
const (
	reportsPerUser = 2
	reportsInAll   = 6
	reportRetry    = 15 * time.Second
)

// reportGate counts the reports being built, per user and in all; its
// limits are reportsPerUser and reportsInAll unless set.
type reportGate struct {
	PerUser, InAll int

	mu     sync.Mutex
	byUser map[string]int
	n      int
}

var tooManyReports = func() *fail.Error {
	e := fail.New(fail.TooMany, "正在生成的报表过多，请稍后再试", "Too many reports are being built; try again shortly")
	e.RetryAfter = reportRetry
	return e
}()

// enter takes a place for a report of user's, or fails with 429; the
// returned func gives the place back.
func (g *reportGate) enter(user string) (func(), error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.byUser == nil {
		g.byUser = map[string]int{}
	}
	perUser, inAll := cmp.Or(g.PerUser, reportsPerUser), cmp.Or(g.InAll, reportsInAll)
	if g.n >= inAll || g.byUser[user] >= perUser {
		return nil, tooManyReports
	}
	g.n++
	g.byUser[user]++
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.n--
			if g.byUser[user]--; g.byUser[user] == 0 {
				delete(g.byUser, user)
			}
		})
	}, nil
}
