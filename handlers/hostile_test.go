package handlers_test

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/handlers"
	"github.com/tianbao-edu/tianbao/metrics"
)

// TestHostileInput sends what a careless or malicious client might: every
// answer is a clear 4xx problem+json, never a 5xx, never a panic. A case's
// field is the one the answer's errors must name; "-" for an answer about
// the request as a whole, which carries no field errors.
func TestHostileInput(t *testing.T) {
	f := newFixture(t)
	sub := uuid.NewString()
	if res := create(f, "school1", sub, validValues(1), true); res.status != 201 {
		t.Fatalf("draft: %d %s", res.status, res.body)
	}
	post := "/api/v1/drives/" + driveID + "/submissions"
	form := "/api/v1/drives/" + driveID + "/form"
	trend := "/api/v1/reports/trend.xlsx?"
	wrap := func(values string) string {
		return fmt.Sprintf(`{"id":%q,"values":%s}`, uuid.NewString(), values)
	}
	deep := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	xlsx := map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	bomb := zipBomb(t)
	traversal, traversalType := multipartFile(t, "../../../../../../etc/passwd", []byte("root:x:0:0:root:/root:/bin/sh\n"))
	cases := []struct {
		name, as, method, path string
		body                   string
		header                 map[string]string
		want                   int
		field                  string
	}{
		{"malformed JSON", "school1", "POST", post, `{"id":`, nil, 400, "body"},
		{"wrong content type", "school1", "POST", post, `{}`, map[string]string{"Content-Type": "text/plain"}, 415, "-"},
		{"form-encoded body", "school1", "POST", post, `id=1`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415, "-"},
		{"deeply nested values", "school1", "POST", post, wrap(deep), nil, 422, ""},
		{"deeply nested body", "school1", "POST", post, deep, nil, 422, "a"},
		{"1 MB in a text field", "school1", "POST", post, wrap(`{"canteen":{"notes":"` + strings.Repeat("字", 1<<20/3) + `"}}`), nil, 422, "canteen.notes"},
		{"invalid UTF-8", "school1", "POST", post, "{\"id\":\"\xff\xfe\",\"values\":{}}", nil, 400, "body"},
		{"number as a string", "school1", "POST", post, wrap(`{"canteen":{"meal_days":"20"}}`), nil, 422, "canteen.meal_days"},
		{"NaN", "school1", "POST", post, wrap(`{"canteen":{"meal_days":NaN}}`), nil, 400, "body"},
		{"Infinity", "school1", "POST", post, wrap(`{"canteen":{"meal_days":Infinity}}`), nil, 400, "body"},
		{"number out of range", "school1", "POST", post, wrap(`{"canteen":{"meal_days":1e400}}`), nil, 422, "canteen.meal_days"},
		{"fraction for an integer", "school1", "POST", post, wrap(`{"canteen":{"meal_days":1.5}}`), nil, 422, "canteen.meal_days"},
		{"operator key in values", "school1", "POST", post, wrap(`{"canteen":{"$gt":""}}`), nil, 422, "canteen.$gt"},
		{"operator section", "school1", "POST", post, wrap(`{"$where":{"a":1}}`), nil, 422, "$where"},
		{"dotted key in values", "school1", "POST", post, wrap(`{"canteen":{"meal_days.x":1}}`), nil, 422, "canteen.meal_days.x"},
		{"operator object as a value", "school1", "POST", post, wrap(`{"canteen":{"meal_days":{"$ne":null}}}`), nil, 422, "canteen.meal_days"},
		{"unknown field in the body", "school1", "POST", post, `{"id":"` + uuid.NewString() + `","values":{},"admin":true}`, nil, 422, "admin"},
		{"unknown section", "school1", "POST", post, wrap(`{"payroll":{"x":1}}`), nil, 422, "payroll"},
		{"id that is not a UUID", "school1", "POST", post, `{"id":"../../x","values":{}}`, nil, 422, "id"},
		{"values as an array", "school1", "POST", post, `{"id":"` + uuid.NewString() + `","values":[1,2]}`, nil, 422, ""},
		{"body as an array", "school1", "POST", post, `[1,2,3]`, nil, 400, "body"},
		{"empty body", "school1", "POST", post, ``, nil, 400, "body"},
		{"null values", "school1", "POST", post, `{"id":"` + uuid.NewString() + `","values":null}`, nil, 422, ""},
		{"trailing data", "school1", "POST", post, `{"id":"x","values":{}} {"again":1}`, nil, 400, "body"},
		{"operator in a query parameter", "admin", "GET", form + "?school[$ne]=1", "", nil, 422, "school"},
		{"operator as the school", "admin", "GET", form + "?school=$ne", "", nil, 404, "-"},
		{"operator object as the school", "admin", "GET", form + "?school=%7B%22$ne%22:1%7D", "", nil, 404, "-"},
		{"operator object for another district's school", "dist1", "GET", form + "?school=%7B%22$in%22:[%22" + school3 + "%22]%7D", "", nil, 404, "-"},
		{"dotted school code", "admin", "GET", form + "?school=" + school1 + ".x", "", nil, 404, "-"},
		{"operator as a path id", "admin", "GET", "/api/v1/submissions/%7B%22$ne%22:1%7D", "", nil, 404, "-"},
		{"path traversal in a drive id", "admin", "GET", "/api/v1/drives/..%2F..%2Fetc%2Fpasswd/progress", "", nil, 404, "-"},
		{"path traversal in an export id", "admin", "GET", "/api/v1/exports/..%2F..%2Fetc%2Fpasswd/download", "", nil, 404, "-"},
		{"operator in the trend period", "admin", "GET", trend + "indicator=canteen&from[$gt]=&to=2026-11", "", nil, 422, "from"},
		{"operator as the trend period", "admin", "GET", trend + "indicator=canteen&from=$gt&to=2026-11", "", nil, 422, "from"},
		{"operator object as the trend end", "admin", "GET", trend + "indicator=canteen&from=2026-01&to=%7B%22$gt%22:%22%22%7D", "", nil, 422, "to"},
		{"operator as the indicator", "admin", "GET", trend + "indicator=$where&from=2026-01&to=2026-11", "", nil, 422, "indicator"},
		{"dotted indicator", "admin", "GET", trend + "indicator=a.b&from=2026-01&to=2026-11", "", nil, 422, "indicator"},
		{"operator as the trend field", "admin", "GET", trend + "indicator=canteen&field=$where&from=2026-01&to=2026-11", "", nil, 422, "field"},
		{"dotted trend field", "admin", "GET", trend + "indicator=canteen&field=canteen.meal_days&from=2026-01&to=2026-11", "", nil, 422, "field"},
		{"operator as the org kind", "dist1", "GET", "/api/v1/orgs?kind=$ne", "", nil, 422, "kind"},
		{"operator as the role", "dist1", "GET", "/api/v1/users?role=$ne", "", nil, 422, "role"},
		{"operator object as the role", "dist1", "GET", "/api/v1/users?role=%7B%22$ne%22:%22%22%7D", "", nil, 422, "role"},
		{"dotted role", "dist1", "GET", "/api/v1/users?role=school.x", "", nil, 422, "role"},
		{"dotted org kind", "dist1", "GET", "/api/v1/orgs?kind=school.x", "", nil, 422, "kind"},
		{"operator as an org id", "dist1", "GET", "/api/v1/orgs/$gt", "", nil, 404, "-"},
		{"huge username", "", "POST", "/api/v1/auth/login", `{"username":"` + strings.Repeat("x", 5000) + `","password":"x"}`, nil, 422, "username"},
		{"sign-in over its body limit", "", "POST", "/api/v1/auth/login", `{"username":"` + strings.Repeat("x", 10000) + `","password":"x"}`, nil, 413, "-"},
		{"huge token", "", "GET", "/api/v1/me", "", map[string]string{"Authorization": "Bearer " + strings.Repeat("t", 10000)}, 401, "-"},
		{"review with an odd action", "dist1", "POST", "/api/v1/submissions/" + sub + "/review", `{"action":"approve; drop","comment":""}`, nil, 422, "action"},
		{"If-Match that is not a version", "school1", "PUT", "/api/v1/submissions/" + sub, `{"values":{}}`, map[string]string{"If-Match": `"abc"`}, 428, "-"},
		{"negative If-Match", "school1", "PUT", "/api/v1/submissions/" + sub, `{"values":{}}`, map[string]string{"If-Match": `"-1"`}, 428, "-"},
		{"schedule with an operator scope", "admin", "POST", "/api/v1/schedules", `{"id":"abc","name":"x","plan":"plan-2026","frequency":"monthly","dueDay":1,"closeDay":2,"scope":{"org":{"$ne":""}}}`, nil, 422, "scope.org"},
		{"zip bomb as a school list", "admin", "POST", "/api/v1/orgs/import", bomb, xlsx, 413, "-"},
		{"text posing as a school list", "admin", "POST", "/api/v1/orgs/import", "学校代码,学校名称\n0100001001,x\n", xlsx, 400, "-"},
		{"broken multipart school list", "admin", "POST", "/api/v1/orgs/import?dryRun=1", strings.Repeat("x", 10<<10), map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, 400, "-"},
		{"path traversal in an upload file name", "admin", "POST", "/api/v1/orgs/import?dryRun=1", string(traversal), map[string]string{"Content-Type": traversalType}, 400, "-"},
		{"path traversal in an org id", "admin", "GET", "/api/v1/orgs/..%2F..%2Fetc%2Fpasswd", "", nil, 404, "-"},
		{"drive name with NUL", "admin", "POST", "/api/v1/drives", `{"name":"月报\u0000","plan":"plan-2026","period":"2026-11","dueAt":"2026-12-01T00:00:00Z"}`, nil, 422, "name"},
		{"drive name with a lone surrogate", "admin", "POST", "/api/v1/drives", `{"name":"月报\ud800","plan":"plan-2026","period":"2026-11","dueAt":"2026-12-01T00:00:00Z"}`, nil, 422, "name"},
		{"drive name with a line break", "admin", "POST", "/api/v1/drives", `{"name":"月\n报","plan":"plan-2026","period":"2026-11","dueAt":"2026-12-01T00:00:00Z"}`, nil, 422, "name"},
		{"schedule name with a control character", "admin", "POST", "/api/v1/schedules", `{"id":"abc","name":"月报\u0007","plan":"plan-2026","frequency":"monthly","dueDay":1,"closeDay":2}`, nil, 422, "name"},
		{"schedule name reading backwards", "admin", "POST", "/api/v1/schedules", `{"id":"abc","name":"\u202e报月","plan":"plan-2026","frequency":"monthly","dueDay":1,"closeDay":2}`, nil, 422, "name"},
		{"plan name with NUL", "admin", "POST", "/api/v1/plans", `{"id":"plan-x","name":"计划\u0000","year":2026,"items":[{"indicator":"canteen"}]}`, nil, 422, "name"},
		{"webhook to a file URL", "admin", "POST", "/api/v1/webhooks", `{"org":"100000","name":"x","format":"generic","url":"file:///etc/passwd"}`, nil, 422, "url"},
	}
	base := f.serve()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
			must(t, err)
			if c.method == "POST" || c.method == "PUT" {
				req.Header.Set("Content-Type", "application/json")
			}
			if c.as != "" {
				req.Header.Set("Authorization", "Bearer "+f.tokens[c.as])
			}
			for k, v := range c.header {
				req.Header.Set(k, v)
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var body bytes.Buffer
			_, _ = body.ReadFrom(res.Body)
			if res.StatusCode != c.want {
				t.Errorf("status %d, want %d: %.300s", res.StatusCode, c.want, body.String())
			}
			if ct := res.Header.Get("Content-Type"); ct != "application/problem+json" {
				t.Errorf("content type %q: %.200s", ct, body.String())
			}
			checkProblem(t, res.StatusCode, body.Bytes(), c.field)
		})
	}
}

// checkProblem checks an RFC 9457 body: an object with a title, the status
// and a code; field errors each with a field, a code and a message; and,
// unless field is "-", one about field. A 422 always names its fields.
func checkProblem(t *testing.T, status int, body []byte, field string) {
	t.Helper()
	var p struct {
		Title  *string          `json:"title"`
		Status int              `json:"status"`
		Code   string           `json:"code"`
		Errors []map[string]any `json:"errors"`
	}
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("not a JSON object: %v: %.200s", err, body)
	}
	if p.Title == nil || strings.TrimSpace(*p.Title) == "" || p.Status != status || p.Code == "" {
		t.Errorf("title, status or code missing: %.300s", body)
	}
	named := false
	for _, e := range p.Errors {
		f, ok := e["field"].(string)
		code, _ := e["code"].(string)
		msg, _ := e["message"].(string)
		if !ok || code == "" || msg == "" {
			t.Errorf("field error without field, code or message: %v", e)
		}
		named = named || (ok && f == field)
	}
	switch {
	case status == http.StatusUnprocessableEntity && len(p.Errors) == 0:
		t.Errorf("422 without field errors: %.300s", body)
	case field != "-" && !named:
		t.Errorf("no error about %q: %.300s", field, body)
	}
}

// rawConn serves a fixture on a real listener and opens a bare connection
// to it, for requests a client library would not send.
func rawConn(t *testing.T) (*fixture, net.Conn) {
	f := newFixture(t)
	conn, err := net.Dial("tcp", strings.TrimPrefix(f.serve(), "http://"))
	must(t, err)
	t.Cleanup(func() { conn.Close() })
	return f, conn
}

// overLimit sends a submission announcing a 5 MB body, with only its first
// bytes, over a raw connection and returns the answer.
func overLimit(t *testing.T) (*fixture, *http.Response) {
	f, conn := rawConn(t)
	fmt.Fprintf(conn, "POST /api/v1/drives/%s/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n{\"id\":\"", driveID, f.tokens["school1"], 5<<20)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	must(t, err)
	t.Cleanup(func() { res.Body.Close() })
	return f, res
}

// TestBodyOverLimit: a request announcing a body over the limit is refused
// with 413 before the body is read.
func TestBodyOverLimit(t *testing.T) {
	_, res := overLimit(t)
	if res.StatusCode != 413 || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// TestHeadersOverLimit: oversized headers get 431 problem+json. A raw
// connection, since the server may answer before a client finished writing.
func TestHeadersOverLimit(t *testing.T) {
	_, conn := rawConn(t)
	_, _ = fmt.Fprintf(conn, "GET /api/v1/me HTTP/1.1\r\nHost: x\r\nX-Padding: %s\r\n\r\n", strings.Repeat("p", 20<<10))
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	must(t, err)
	defer res.Body.Close()
	if res.StatusCode != http.StatusRequestHeaderFieldsTooLarge || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d, %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
}

// TestFormulaTextStaysText: text that looks like a formula is exported as
// text, and a drive named like a path gives a safe file name.
func TestFormulaTextStaysText(t *testing.T) {
	f := newFixture(t)
	v := validValues(1)
	v["canteen"].(map[string]any)["notes"] = `=HYPERLINK("http://evil.example","点我")`
	v["lighting"].(map[string]any)["classrooms"].([]any)[0].(map[string]any)["name"] = "@SUM(1+1)\x07"
	if res := create(f, "school1", uuid.NewString(), v, false); res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	export := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx", nil, nil)
	x, err := excelize.OpenReader(bytes.NewReader(export.body))
	must(t, err)
	defer x.Close()
	seen := 0
	for _, sheet := range x.GetSheetList() {
		rows, _ := x.GetRows(sheet)
		for r, row := range rows {
			for c, cell := range row {
				if !strings.HasPrefix(cell, "=HYPERLINK") && !strings.HasPrefix(cell, "@SUM") {
					continue
				}
				seen++
				name, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if formula, _ := x.GetCellFormula(sheet, name); formula != "" {
					t.Errorf("%s!%s became a formula: %s", sheet, name, formula)
				}
				if strings.ContainsRune(cell, '\x07') {
					t.Errorf("%s!%s kept a control character", sheet, name)
				}
			}
		}
	}
	if seen != 2 {
		t.Fatalf("found the formula-like text %d times, want 2", seen)
	}
	d := f.do("admin", http.MethodPost, "/api/v1/drives", map[string]any{"name": `../../etc/passwd"; x=`, "plan": "plan-2026",
		"period": "2026-11", "dueAt": "2026-12-01T00:00:00Z"}, nil)
	if d.status != 201 {
		t.Fatalf("one-off drive: %d %s", d.status, d.body)
	}
	res := f.do("admin", http.MethodGet, "/api/v1/drives/"+d.json()["id"].(string)+"/export.xlsx", nil, nil)
	cd := res.header.Get("Content-Disposition")
	if res.status != 200 || strings.Contains(cd, "/") || strings.Count(cd, `"`) != 2 {
		t.Fatalf("Content-Disposition %q", cd)
	}
}

// TestCORS: no cross-origin access unless configured, then only for the
// listed origins.
func TestCORS(t *testing.T) {
	f := newFixture(t)
	preflight := func(app interface {
		Test(*http.Request, ...int) (*http.Response, error)
	}, origin string) string {
		req, _ := http.NewRequest(http.MethodOptions, "/api/v1/tasks", nil)
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "GET")
		res, err := app.Test(req)
		must(t, err)
		res.Body.Close()
		return res.Header.Get("Access-Control-Allow-Origin")
	}
	if got := preflight(f.app, "https://evil.example"); got != "" {
		t.Fatalf("CORS is on by default: %q", got)
	}
	withCORS := handlers.New(handlers.Deps{Store: f.store, Drives: f.drives, CORSOrigins: "https://portal.edu.example"})
	if got := preflight(withCORS, "https://portal.edu.example"); got != "https://portal.edu.example" {
		t.Fatalf("a listed origin: %q", got)
	}
	if got := preflight(withCORS, "https://evil.example"); got != "" {
		t.Fatalf("an unlisted origin: %q", got)
	}
}

// TestSlowRequest: a request the client does not finish within the read
// timeout gets 408 problem+json; a slow client is not a database error.
func TestSlowRequest(t *testing.T) {
	f := newFixture(t)
	m := metrics.New()
	app := handlers.New(handlers.Deps{Store: f.store, Drives: f.drives, Metrics: m, ReadTimeout: 200 * time.Millisecond})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	must(t, err)
	go func() { _ = app.Listener(ln) }()
	t.Cleanup(func() { _ = app.Shutdown() })
	conn, err := net.Dial("tcp", ln.Addr().String())
	must(t, err)
	defer conn.Close()
	fmt.Fprint(conn, "POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user")
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	must(t, err)
	raw, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != http.StatusRequestTimeout || res.Header.Get("Content-Type") != "application/problem+json" {
		t.Fatalf("status %d %s: %s", res.StatusCode, res.Header.Get("Content-Type"), raw)
	}
	checkProblem(t, res.StatusCode, raw, "-")
	if !strings.Contains(string(raw), `"code":"timeout"`) {
		t.Errorf("code: %s", raw)
	}
	scrape, err := app.Test(httptest.NewRequest(http.MethodGet, "/metrics", nil))
	must(t, err)
	metricsText, _ := io.ReadAll(scrape.Body)
	scrape.Body.Close()
	if !strings.Contains(string(metricsText), "\ntianbao_database_errors_total 0\n") {
		t.Errorf("the timeout was counted as a database error:\n%s", regexp.MustCompile(`(?m)^tianbao_database.*$`).Find(metricsText))
	}
}
