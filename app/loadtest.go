package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/bench"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// loadtestConfig is what a load test is told on its command line.
type loadtestConfig struct {
	URL, Password, Admin, Users, Drive string
	Phones, PerPhone, Retries, Spread  int
	Timeout                            time.Duration
	BaselineURI, MongoURI, DB          string
	Setup                              int
	SetupUnder                         string
}

// runLoadtest simulates phones submitting to a running server:
//
//	tianbao loadtest -url http://127.0.0.1:8080 -phones 50 -per-phone 4 -password …
//
// As admin it opens one-off drives (copies of -drive) so that phones ×
// submissions are all real creates of distinct (drive, school) pairs, then
// every phone signs in as a school, fetches the form, fills it in and posts
// it. With -baseline-uri it inserts as many equivalent documents straight
// into the same database at the same concurrency and prints the ratio.
// With -setup N it only adds N schools and their users to the database
// (-mongodb-uri, -db). Only loopback servers are accepted.
func runLoadtest(ctx context.Context, args []string, stdout io.Writer) error {
	c, err := parseLoadtest(args)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, c.Timeout)
	defer cancel()
	if c.Setup > 0 {
		return setupLoadSchools(ctx, c, stdout)
	}
	plan, err := prepareLoad(ctx, c)
	if err != nil {
		return err
	}
	res, err := plan.run(ctx, c)
	if err != nil {
		return err
	}
	rep := res.report(c, plan)
	if c.BaselineURI != "" {
		rate, err := baseline(ctx, c, res)
		if err != nil {
			return fmt.Errorf("baseline: %w", err)
		}
		rep.baseline = rate
	}
	rep.print(stdout)
	return nil
}

func parseLoadtest(args []string) (*loadtestConfig, error) {
	c := &loadtestConfig{}
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.StringVar(&c.URL, "url", "http://127.0.0.1:8080", "server base URL (loopback only)")
	fs.IntVar(&c.Phones, "phones", 10, "concurrent simulated phones")
	fs.IntVar(&c.PerPhone, "per-phone", 3, "submissions per phone")
	fs.StringVar(&c.Password, "password", os.Getenv("TIANBAO_DEMO_PASSWORD"), "password of the admin and school accounts")
	fs.StringVar(&c.Admin, "admin", "admin", "admin username (opens the one-off drives, lists the schools)")
	fs.StringVar(&c.Users, "users", "", "comma-separated school usernames (default: every school user the admin sees)")
	fs.StringVar(&c.Drive, "drive", "", "drive to copy (default: this month's drive of the monthly schedule)")
	fs.IntVar(&c.Retries, "retries", 5, "retries of a submission after a network error or 5xx")
	fs.IntVar(&c.Spread, "spread", 64, "loopback source addresses the phones connect from (1: one)")
	fs.DurationVar(&c.Timeout, "timeout", 10*time.Minute, "give up after this long")
	fs.StringVar(&c.BaselineURI, "baseline-uri", "", "MongoDB URI of the server's database, for the raw-insert baseline")
	fs.StringVar(&c.MongoURI, "mongodb-uri", "", "MongoDB URI of the server's database, for -setup")
	fs.StringVar(&c.DB, "db", "tianbao", "database name (baseline and setup)")
	fs.IntVar(&c.Setup, "setup", 0, "add this many load-test schools and users, then exit")
	fs.StringVar(&c.SetupUnder, "setup-under", demoCity, "org the load-test district is added under")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	switch {
	case c.Phones < 1 || c.Phones > 1000:
		return nil, errors.New("loadtest: -phones must be 1–1000")
	case c.PerPhone < 1 || c.PerPhone > 100:
		return nil, errors.New("loadtest: -per-phone must be 1–100")
	case c.Setup < 0 || c.Setup > 5000:
		return nil, errors.New("loadtest: -setup must be 0–5000")
	case c.Retries < 0 || c.Retries > 10:
		return nil, errors.New("loadtest: -retries must be 0–10")
	case c.Timeout <= 0 || c.Timeout > time.Hour:
		return nil, errors.New("loadtest: -timeout must be positive and at most 1h")
	case c.Password == "" && c.Setup == 0:
		return nil, errors.New("loadtest: -password (or TIANBAO_DEMO_PASSWORD) is required")
	}
	if c.Setup > 0 {
		return c, checkMongoLoopback(c.MongoURI)
	}
	if err := checkLoopback(c.URL); err != nil {
		return nil, err
	}
	if c.BaselineURI != "" {
		return c, checkMongoLoopback(c.BaselineURI)
	}
	return c, nil
}

// checkLoopback refuses any server but this machine's.
func checkLoopback(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") {
		return fmt.Errorf("loadtest: -url %q is not an http(s) URL", raw)
	}
	return loopbackHost(u.Hostname())
}

func loopbackHost(host string) error {
	ips, err := net.LookupIP(host)
	if err != nil || len(ips) == 0 {
		return fmt.Errorf("loadtest: cannot resolve %q", host)
	}
	for _, ip := range ips {
		if !ip.IsLoopback() {
			return fmt.Errorf("loadtest: %s is not a loopback address; load tests run against this machine only", host)
		}
	}
	return nil
}

// checkMongoLoopback accepts Unix sockets and loopback hosts only.
func checkMongoLoopback(uri string) error {
	rest, ok := cutScheme(uri)
	if !ok {
		return errors.New("loadtest: a mongodb:// URI is required")
	}
	hosts, _, _ := cutAny(rest, "/?")
	if _, after, found := cutAny(hosts, "@"); found {
		hosts = after
	}
	for _, h := range splitComma(hosts) {
		if dec, err := url.PathUnescape(h); err == nil && len(dec) > 0 && dec[0] == '/' {
			continue
		}
		host, _, err := net.SplitHostPort(h)
		if err != nil {
			host = h
		}
		if err := loopbackHost(host); err != nil {
			return err
		}
	}
	return nil
}

// loadPlan is what the phones will do: who signs in as which school and
// which drives each submits to.
type loadPlan struct {
	users  []string
	drives []string
	form   string // the drive copied
	period string
}

// prepareLoad signs in as admin, finds the schools and opens the drives:
// phone p is school p mod S and submits to drives [g·K, g·K+K) with
// g = p div S, so no (drive, school) pair is used twice.
func prepareLoad(ctx context.Context, c *loadtestConfig) (*loadPlan, error) {
	admin := newPhone(c.URL, 0, 1)
	if err := admin.login(ctx, c.Admin, c.Password); err != nil {
		return nil, err
	}
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	if c.Drive == "" {
		c.Drive = "monthly-" + time.Now().In(shanghai).Format("2006-01")
	}
	var list struct {
		Drives []store.Drive `json:"drives"`
	}
	if _, _, err := admin.call(ctx, http.MethodGet, "/api/v1/drives", nil, nil, &list); err != nil {
		return nil, err
	}
	i := slices.IndexFunc(list.Drives, func(d store.Drive) bool { return d.ID == c.Drive })
	if i < 0 {
		return nil, fmt.Errorf("loadtest: no drive %q", c.Drive)
	}
	src := list.Drives[i]
	users, err := loadUsers(ctx, c, admin, src.ID)
	if err != nil {
		return nil, err
	}
	p := &loadPlan{users: users, form: src.ID, period: src.Period}
	groups := (c.Phones + len(users) - 1) / len(users)
	run := time.Now().Format("0102-150405")
	for n := range groups * c.PerPhone {
		in := map[string]any{
			"name": fmt.Sprintf("压测 %s 第%d批", run, n+1), "plan": src.Plan, "period": src.Period,
			"dueAt": time.Now().Add(7 * 24 * time.Hour), "scope": map[string]any{"org": src.Scope.Org, "stages": src.Scope.Stages},
		}
		var d store.Drive
		if _, _, err := admin.call(ctx, http.MethodPost, "/api/v1/drives", in, nil, &d); err != nil {
			return nil, fmt.Errorf("open drive: %w", err)
		}
		p.drives = append(p.drives, d.ID)
	}
	return p, nil
}

// loadUsers returns the school users to sign in as: -users, or every
// school user whose school has a form in the drive.
func loadUsers(ctx context.Context, c *loadtestConfig, admin *phone, drive string) ([]string, error) {
	if c.Users != "" {
		return splitComma(c.Users), nil
	}
	var res struct {
		Users []store.User `json:"users"`
	}
	if _, _, err := admin.call(ctx, http.MethodGet, "/api/v1/users?role=school", nil, nil, &res); err != nil {
		return nil, err
	}
	var out []string
	for _, u := range res.Users {
		if u.Disabled {
			continue
		}
		_, _, err := admin.call(ctx, http.MethodGet, "/api/v1/drives/"+drive+"/form?school="+url.QueryEscape(u.Org), nil, nil, nil)
		if ae, ok := err.(*apiError); ok && ae.status == http.StatusNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, u.Username)
	}
	if len(out) == 0 {
		return nil, errors.New("loadtest: no school users with a form in the drive")
	}
	return out, nil
}

// submission is one planned and, after the run, attempted create.
type submission struct {
	id       string
	drive    string
	school   *store.Org
	values   forms.Values
	attempts []attempt
	err      error
}

// loadResult is what the phones did.
type loadResult struct {
	subs        []*submission
	elapsed     time.Duration
	formFresh   int
	formCached  int
	loginFailed int
}

// run signs every phone in, prepares its answers, then releases them all
// at once and times the fetch-and-submit phase.
func (p *loadPlan) run(ctx context.Context, c *loadtestConfig) (*loadResult, error) {
	res := &loadResult{}
	var mu sync.Mutex
	var ready, done sync.WaitGroup
	start := make(chan struct{})
	errs := make(chan error, c.Phones)
	for n := range c.Phones {
		ready.Add(1)
		done.Add(1)
		go func() {
			defer done.Done()
			ph := newPhone(c.URL, n, c.Spread)
			subs, err := p.prepare(ctx, c, ph, n)
			ready.Done()
			if err != nil {
				errs <- err
				return
			}
			<-start
			fresh, cached := 0, 0
			for _, s := range subs {
				hit, err := ph.fetchForm(ctx, s.drive)
				if err != nil {
					s.err = err
					continue
				}
				if hit {
					cached++
				} else {
					fresh++
				}
				s.attempts, s.err = ph.submit(ctx, s.drive, s.id, s.values, c.Retries)
			}
			mu.Lock()
			res.subs = append(res.subs, subs...)
			res.formFresh += fresh
			res.formCached += cached
			mu.Unlock()
		}()
	}
	ready.Wait()
	t0 := time.Now()
	close(start)
	done.Wait()
	res.elapsed = time.Since(t0)
	close(errs)
	for err := range errs {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		res.loginFailed++
		fmt.Fprintln(os.Stderr, "loadtest:", err)
	}
	if res.loginFailed == c.Phones {
		return nil, errors.New("loadtest: no phone could sign in and fetch its form")
	}
	return res, nil
}

// prepare signs a phone in and fills in its forms before the clock starts,
// so the timed phase measures the server, not the generator.
func (p *loadPlan) prepare(ctx context.Context, c *loadtestConfig, ph *phone, n int) ([]*submission, error) {
	user := p.users[n%len(p.users)]
	if err := ph.login(ctx, user, c.Password); err != nil {
		return nil, err
	}
	if _, err := ph.fetchForm(ctx, p.form); err != nil {
		return nil, fmt.Errorf("form for %s: %w", user, err)
	}
	s := ph.school
	a := bench.NewAnswerer(ph.form, forms.Env{School: forms.School{Code: s.ID, Stages: s.Stages, Classrooms: s.Classrooms,
		Students: s.Students, Public: s.Public, Urban: s.Urban}}, uint64(n), time.Now())
	g := n / len(p.users)
	var out []*submission
	for k := range c.PerPhone {
		vals, bad := a.Answer()
		if len(bad) > 0 {
			fmt.Fprintf(os.Stderr, "loadtest: %s: answer still invalid at %s (%s)\n", user, bad[0].Field, bad[0].Code)
		}
		out = append(out, &submission{id: uuid.NewString(), drive: p.drives[g*c.PerPhone+k], school: s, values: vals})
	}
	return out, nil
}
