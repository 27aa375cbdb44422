package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/store/storetest"
)

// lines collects what a command prints and signals each line.
type lines struct {
	mu  sync.Mutex
	buf bytes.Buffer
	ch  chan string
}

func newLines() *lines { return &lines{ch: make(chan string, 100)} }

func (l *lines) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.buf.Write(p)
	for _, s := range strings.SplitAfter(string(p), "\n") {
		if s != "" {
			l.ch <- s
		}
	}
	return len(p), nil
}

func (l *lines) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.buf.String() }

var listeningLine = regexp.MustCompile(`listening on (http://\S+)`)

// start runs the server command in the background and returns its URL and
// a stop function that waits for a clean shutdown.
func start(t *testing.T, args ...string) (string, *lines, func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := newLines()
	done := make(chan error, 1)
	go func() { done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-log-level", "warn"}, args...), out) }()
	timeout := time.After(2 * time.Minute)
	for {
		select {
		case line := <-out.ch:
			if m := listeningLine.FindStringSubmatch(line); m != nil {
				return m[1], out, func() {
					cancel()
					if err := <-done; err != nil {
						t.Errorf("server stopped with %v", err)
					}
				}
			}
		case err := <-done:
			t.Fatalf("server exited: %v\n%s", err, out)
		case <-timeout:
			t.Fatalf("server did not start:\n%s", out)
		}
	}
}

type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) call(method, path string, body any, header ...string) (int, []byte, http.Header) {
	c.t.Helper()
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, _ := http.NewRequest(method, c.base+path, rd)
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return res.StatusCode, raw, res.Header
}

func login(t *testing.T, base, user, password string) *client {
	c := &client{t: t, base: base}
	status, body, _ := c.call(http.MethodPost, "/api/v1/auth/login", map[string]string{"username": user, "password": password})
	if status != 200 {
		t.Fatalf("login %s: %d %s", user, status, body)
	}
	var res struct{ Token string }
	_ = json.Unmarshal(body, &res)
	c.token = res.Token
	return c
}

// demoExplanations explain the demo submission's two measured classrooms
// of the school's registered ones.
var demoExplanations = map[string]string{"lighting.classrooms": "其余教室下月检测"}

// demoValues is a complete monthly submission for the demo primary school.
func demoValues(t *testing.T, form []byte) map[string]any {
	t.Helper()
	var def struct {
		Sections []struct{ Indicator string } `json:"sections"`
	}
	_ = json.Unmarshal(form, &def)
	values := map[string]any{}
	for _, s := range def.Sections {
		v, ok := demoSections[s.Indicator]
		if !ok {
			t.Fatalf("the demo's monthly form has a section %q this test cannot fill", s.Indicator)
		}
		values[s.Indicator] = v
	}
	// A copy of its own for each caller: phones that change their answers
	// run side by side.
	raw, _ := json.Marshal(values)
	var own map[string]any
	_ = json.Unmarshal(raw, &own)
	return own
}

var demoSections = map[string]any{
	"canteen": map[string]any{"meal_days": 20, "meals": []any{"lunch"}, "accompany_days": 20, "sample_days": 20, "sample_grams_min": 130,
		"sample_hours_min": 48, "canteen_staff": 8, "staff_certified": 8, "purchase_checked": true, "stock_records": true,
		"cost_accounted": true, "camera_online": true, "self_inspected": true, "problems_found": 0},
	"bullying": map[string]any{"screening_done": true, "students_covered": 400, "classes_covered": 12,
		"found_physical": 0, "found_verbal": 0, "found_property": 0, "found_online": 0, "zero_report": true},
	"activity": map[string]any{"school_days": 20, "pe_days": 20, "daily_minutes": 125},
	"hazards": map[string]any{"inspections": 4, "items": []any{map[string]any{"category": "fire", "place": "教学楼", "description": "灭火器过期",
		"found_on": "2026-11-03", "level": "general", "status": "closed", "closed_on": "2026-11-05"}}},
	"lighting": map[string]any{"classrooms": []any{
		map[string]any{"name": "101", "desk_lux": 280, "desk_uniformity": 0.72, "board_lamps": false, "cct": 4000, "ra": 82, "ugr": 18, "lpd": 9},
		map[string]any{"name": "102", "desk_lux": 350, "desk_uniformity": 0.75, "board_lamps": true, "board_lux": 510, "board_uniformity": 0.81, "cct": 4500, "ra": 85, "ugr": 16, "lpd": 8.5},
	}},
}

// TestRunEmbeddedDefault is the newcomer's path: `go run ./app` with nothing
// configured starts the embedded database, seeds the demo, and a school
// submits what the bureau then finds in its workbook; a restart keeps the
// data and seeds nothing twice.
func TestRunEmbeddedDefault(t *testing.T) {
	dir := t.TempDir()
	const pw = "demo-password-1"
	base, out, stop := start(t, "-mongodb-uri", "", "-data", dir, "-demo-password", pw)
	if !strings.Contains(out.String(), "Demo data: 31 accounts") || !strings.Contains(out.String(), pw) {
		t.Fatalf("start-up did not announce the demo accounts:\n%s", out)
	}
	if status, _, _ := (&client{t: t, base: base}).call(http.MethodGet, "/readyz", nil); status != 200 {
		t.Fatalf("readyz: %d", status)
	}
	school := login(t, base, "school-0999901003", pw)
	status, tasks, _ := school.call(http.MethodGet, "/api/v1/tasks", nil)
	drive := "monthly-" + time.Now().In(shanghaiLoc(t)).Format("2006-01")
	if status != 200 || !strings.Contains(string(tasks), drive) {
		t.Fatalf("tasks: %d %s", status, tasks)
	}
	status, form, _ := school.call(http.MethodGet, "/api/v1/drives/"+drive+"/form", nil)
	if status != 200 {
		t.Fatalf("form: %d %s", status, form)
	}
	id := uuid.NewString()
	req := map[string]any{"id": id, "values": demoValues(t, form), "explanations": demoExplanations}
	status, first, _ := school.call(http.MethodPost, "/api/v1/drives/"+drive+"/submissions", req)
	if status != 201 {
		t.Fatalf("submit: %d %s", status, first)
	}
	status, again, _ := school.call(http.MethodPost, "/api/v1/drives/"+drive+"/submissions", req)
	if status != 200 || !bytes.Equal(first, again) {
		t.Fatalf("replay: %d %s", status, again)
	}
	admin := login(t, base, "admin", pw)
	status, book, hdr := admin.call(http.MethodGet, "/api/v1/drives/"+drive+"/export.xlsx", nil)
	if status != 200 || !strings.Contains(hdr.Get("Content-Disposition"), "filename*=UTF-8''") {
		t.Fatalf("export: %d %v", status, hdr)
	}
	x, err := excelize.OpenReader(bytes.NewReader(book))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := x.GetRows("汇总")
	if err != nil || len(rows) < 5 {
		t.Fatalf("summary sheet: %v %v", rows, err)
	}
	total := rows[len(rows)-1]
	if total[0] != "合计" || total[1] != "27" || total[2] != "1" {
		t.Fatalf("summary total row %v: want 27 expected, 1 submitted", total)
	}
	lighting := ""
	for _, s := range x.GetSheetList() {
		if strings.Contains(s, "照明") && !strings.Contains(s, "-") {
			lighting = s
		}
	}
	found := false
	lrows, _ := x.GetRows(lighting)
	for _, r := range lrows {
		if len(r) > 0 && r[0] == "0999901003" {
			found = true
			if !strings.Contains(strings.Join(r, "|"), "✗") {
				t.Errorf("a 280 lx classroom should fail lighting: %v", r)
			}
		}
	}
	if !found {
		t.Fatalf("the submission is not on sheet %q of %v", lighting, x.GetSheetList())
	}
	x.Close()
	stop()

	const pw2 = "demo-password-2" // changed between starts: applied, not ignored
	base, out, stop = start(t, "-mongodb-uri", "", "-data", dir, "-demo-password", pw2)
	defer stop()
	if strings.Contains(out.String(), "Demo data") || !strings.Contains(out.String(), "Demo accounts: the password of 31 accounts set from TIANBAO_DEMO_PASSWORD") {
		t.Fatalf("the restart seeded again or kept the old password:\n%s", out)
	}
	school = login(t, base, "school-0999901003", pw2)
	if status, body, _ := school.call(http.MethodGet, "/api/v1/submissions/"+id, nil); status != 200 || !strings.Contains(string(body), `"status":"submitted"`) {
		t.Fatalf("after restart: %d %s", status, body)
	}
}

// TestSeedDemoCommand seeds a MongoDB given by URI, once.
func TestSeedDemoCommand(t *testing.T) {
	db := fmt.Sprintf("seed_%d", time.Now().UnixNano())
	args := []string{"seed-demo", "-mongodb-uri", storetest.URI(), "-db", db, "-demo-password", "another-pw-2"}
	var out bytes.Buffer
	if err := run(context.Background(), args, &out); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "Demo data: 31 accounts") {
		t.Fatalf("first seed: %s", out.String())
	}
	out.Reset()
	if err := run(context.Background(), args, &out); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(out.String(), "Demo data") {
		t.Fatalf("second seed created accounts again: %s", out.String())
	}
	// The export command writes the city's workbook of this month's drive.
	file := t.TempDir() + "/月报.xlsx"
	drive := "monthly-" + time.Now().In(shanghaiLoc(t)).Format("2006-01")
	if err := run(context.Background(), []string{"export", "-mongodb-uri", storetest.URI(), "-db", db, drive, file}, &out); err != nil {
		t.Fatal(err)
	}
	x, err := excelize.OpenFile(file)
	if err != nil {
		t.Fatal(err)
	}
	defer x.Close()
	if rows, _ := x.GetRows("未提交"); len(rows) != 5+27 {
		t.Fatalf("the missing sheet has %d rows, want the title block, a header and 27 schools", len(rows))
	}
}

func shanghaiLoc(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

// TestExtractPlanCommand prints the candidates of a real plan as a table.
func TestExtractPlanCommand(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"extract-plan", "../forms/testdata/plans/2024-huangshi-city.txt"}, &out); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"clause", "lighting", "school", "school-level with an indicator"} {
		if !strings.Contains(out.String(), want) {
			t.Fatalf("output lacks %q:\n%s", want, out.String())
		}
	}
	if err := run(context.Background(), []string{"extract-plan"}, &out); err == nil {
		t.Fatal("extract-plan without a file succeeded")
	}
}
