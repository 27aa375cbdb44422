package handlers_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gofiber/fiber/v2"
	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/handlers"
	"github.com/tianbao-edu/tianbao/metrics"
	"github.com/tianbao-edu/tianbao/planning"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// The fixture's organisation tree: a city, two districts, three schools.
const (
	city      = "100000"
	district1 = "100001"
	district2 = "100002"
	school1   = "0100001001" // primary, district 1
	school2   = "0100001002" // kindergarten, district 1
	school3   = "0100002001" // primary, district 2
	password  = "correct horse battery"
	driveID   = "monthly-2026-11"
)

// clock is a settable time shared by the services of a fixture.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.now = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

type fixture struct {
	t      *testing.T
	store  *store.Store
	app    *fiber.App
	clock  *clock
	drives *drives.Service
	tokens map[string]string
}

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// newFixture builds the tree, one user per role and org, a monthly
// schedule of canteen, bullying and lighting, and November 2026's drive.
func newFixture(t *testing.T) *fixture {
	t.Helper()
	return newFixtureOn(t, storetest.New(t))
}

// newFixtureOn builds the fixture in the given (empty) database.
func newFixtureOn(t *testing.T, s *store.Store) *fixture {
	t.Helper()
	ctx := context.Background()
	c := &clock{now: time.Date(2026, 11, 5, 10, 0, 0, 0, shanghai)}
	catalog, err := forms.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	must(t, s.LoadBuiltins(ctx, catalog, c.Now()))
	orgs := []store.Org{
		{ID: city, Name: "市教育局", Kind: store.KindCity, Path: []string{city}},
		{ID: district1, Name: "一区", Kind: store.KindDistrict, Parent: city, Path: []string{city, district1}},
		{ID: district2, Name: "二区", Kind: store.KindDistrict, Parent: city, Path: []string{city, district2}},
		{ID: school1, Name: "一区实验小学", Kind: store.KindSchool, Parent: district1, Path: []string{city, district1, school1},
			Stages: []string{forms.Primary}, Classrooms: 1, Students: 90, Contact: "王老师", Phone: "13800000001", Public: true, Urban: true},
		{ID: school2, Name: "一区幼儿园", Kind: store.KindSchool, Parent: district1, Path: []string{city, district1, school2},
			Stages: []string{forms.Kindergarten}, Contact: "李老师", Phone: "13800000002"},
		{ID: school3, Name: "二区小学", Kind: store.KindSchool, Parent: district2, Path: []string{city, district2, school3},
			Stages: []string{forms.Primary}, Contact: "张老师", Phone: "13800000003"},
	}
	for i := range orgs {
		must(t, s.PutOrg(ctx, &orgs[i]))
	}
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	users := map[string]struct{ role, org string }{
		"admin": {store.RoleAdmin, city}, "dist1": {store.RoleDistrict, district1}, "dist2": {store.RoleDistrict, district2},
		"school1": {store.RoleSchool, school1}, "school2": {store.RoleSchool, school2}, "school3": {store.RoleSchool, school3},
		"viewer1": {store.RoleViewer, district1},
	}
	for name, u := range users {
		o := orgByID(orgs, u.org)
		must(t, s.InsertUser(ctx, &store.User{ID: name, Username: name, Name: name, Role: u.role, Org: u.org, OrgPath: o.Path, PasswordHash: hash}))
	}
	must(t, s.InsertPlan(ctx, &store.PlanDoc{Plan: forms.Plan{ID: "plan-2026", Name: "2026 工作要点", Year: 2026, Items: []forms.PlanItem{
		{Indicator: "canteen"}, {Indicator: "bullying"}, {Indicator: "lighting", Frequency: forms.Monthly},
	}}}))
	must(t, s.InsertSchedule(ctx, &store.Schedule{ID: "monthly", Name: "月度填报", Plan: "plan-2026", Frequency: forms.Monthly,
		DueDay: 10, CloseDay: 20, Scope: store.Scope{Org: city}, TZ: "Asia/Shanghai", Active: true,
		CreatedAt: time.Date(2026, 11, 1, 0, 0, 0, 0, shanghai)}))
	d := drives.New(s, c.Now, shanghai, slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	if _, err := d.Tick(ctx); err != nil {
		t.Fatal(err)
	}
	a := auth.New(s, c.Now)
	a.BcryptCost = bcrypt.MinCost
	f := &fixture{t: t, store: s, clock: c, drives: d, tokens: map[string]string{}}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		d.Wait(ctx) // background exports finish before the database goes
	})
	m := metrics.New()
	d.Metrics = m
	f.app = handlers.New(handlers.Deps{Store: s, Auth: a, Drives: d, Planning: &planning.Service{Store: s, Now: c.Now}, Metrics: m})
	for name := range users {
		f.tokens[name] = f.login(name)
	}
	return f
}

// at moves the clock and signs everyone in again (tokens expire in hours).
func (f *fixture) at(t time.Time) {
	f.clock.Set(t)
	for name := range f.tokens {
		f.tokens[name] = f.login(name)
	}
}

// addSchools adds n primary schools to district 1, each with a user
// "extra-<i>" signed in, and returns the user names.
func (f *fixture) addSchools(n int) []string {
	ctx := context.Background()
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.MinCost)
	var names []string
	for i := range n {
		code := fmt.Sprintf("01000019%02d", i)
		o := &store.Org{ID: code, Name: "一区第" + strconv.Itoa(i) + "小学", Kind: store.KindSchool, Parent: district1,
			Path: []string{city, district1, code}, Stages: []string{forms.Primary}, Classrooms: 1}
		must(f.t, f.store.PutOrg(ctx, o))
		name := "extra-" + strconv.Itoa(i)
		must(f.t, f.store.InsertUser(ctx, &store.User{ID: name, Username: name, Name: name, Role: store.RoleSchool,
			Org: code, OrgPath: o.Path, PasswordHash: hash}))
		f.tokens[name] = f.login(name)
		names = append(names, name)
	}
	return names
}

// serve puts the app on a loopback listener until the test ends and
// returns its base URL.
func (f *fixture) serve() string {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(f.t, err)
	go func() { _ = f.app.Listener(handlers.Listener(ln)) }()
	f.t.Cleanup(func() { _ = f.app.Shutdown() })
	return "http://" + ln.Addr().String()
}

// submitOver posts a submission body to a drive as a user through a real
// client, as a phone does.
func (f *fixture) submitOver(client *http.Client, base, as, drive string, body []byte) (response, error) {
	req, err := http.NewRequest(http.MethodPost, base+"/api/v1/drives/"+drive+"/submissions", bytes.NewReader(body))
	if err != nil {
		return response{}, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	res, err := client.Do(req)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: raw}, err
}

func orgByID(orgs []store.Org, id string) store.Org {
	for _, o := range orgs {
		if o.ID == id {
			return o
		}
	}
	panic("no org " + id)
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) login(name string) string {
	res := f.do("", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": name, "password": password}, nil)
	if res.status != http.StatusOK {
		f.t.Fatalf("login %s: %d %s", name, res.status, res.body)
	}
	return res.json()["token"].(string)
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func (r response) json() map[string]any {
	var m map[string]any
	_ = json.Unmarshal(r.body, &m)
	return m
}

// do sends a request as a user ("" for none); body is JSON-encoded unless
// it is already []byte.
func (f *fixture) do(as, method, path string, body any, header map[string]string) response {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case []byte:
		rd = bytes.NewReader(b)
	case string:
		rd = strings.NewReader(b)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(raw)
	}
	req := httptest.NewRequest(method, path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := f.app.Test(req, 30_000)
	if err != nil {
		f.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: raw}
}
