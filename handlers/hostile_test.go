package handlers_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"net"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/handlers"
)

// TestHostileInput sends what a careless or malicious client might: every
// answer is a clear 4xx problem+json, never a 5xx, never a panic.
func TestHostileInput(t *testing.T) {
	f := newFixture(t)
	sub := uuid.NewString()
	if res := create(f, "school1", sub, validValues(1), true); res.status != 201 {
		t.Fatalf("draft: %d %s", res.status, res.body)
	}
	post := "/api/v1/drives/" + driveID + "/submissions"
	wrap := func(values string) string {
		return fmt.Sprintf(`{"id":%q,"values":%s}`, uuid.NewString(), values)
	}
	deep := strings.Repeat(`{"a":`, 5000) + "1" + strings.Repeat("}", 5000)
	xlsx := map[string]string{"Content-Type": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
	bomb := zipBomb(t)
	cases := []struct {
		name, as, method, path string
		body                   string
		header                 map[string]string
		want                   int
	}{
		{"malformed JSON", "school1", "POST", post, `{"id":`, nil, 400},
		{"wrong content type", "school1", "POST", post, `{}`, map[string]string{"Content-Type": "text/plain"}, 415},
		{"form-encoded body", "school1", "POST", post, `id=1`, map[string]string{"Content-Type": "application/x-www-form-urlencoded"}, 415},
		{"deeply nested values", "school1", "POST", post, wrap(deep), nil, 422},
		{"deeply nested body", "school1", "POST", post, deep, nil, 422},
		{"1 MB in a text field", "school1", "POST", post, wrap(`{"canteen":{"notes":"` + strings.Repeat("字", 1<<20/3) + `"}}`), nil, 422},
		{"invalid UTF-8", "school1", "POST", post, "{\"id\":\"\xff\xfe\",\"values\":{}}", nil, 400},
		{"number as a string", "school1", "POST", post, wrap(`{"canteen":{"meal_days":"20"}}`), nil, 422},
		{"NaN", "school1", "POST", post, wrap(`{"canteen":{"meal_days":NaN}}`), nil, 400},
		{"Infinity", "school1", "POST", post, wrap(`{"canteen":{"meal_days":Infinity}}`), nil, 400},
		{"number out of range", "school1", "POST", post, wrap(`{"canteen":{"meal_days":1e400}}`), nil, 422},
		{"fraction for an integer", "school1", "POST", post, wrap(`{"canteen":{"meal_days":1.5}}`), nil, 422},
		{"operator key in values", "school1", "POST", post, wrap(`{"canteen":{"$gt":""}}`), nil, 422},
		{"operator section", "school1", "POST", post, wrap(`{"$where":{"a":1}}`), nil, 422},
		{"dotted key in values", "school1", "POST", post, wrap(`{"canteen":{"meal_days.x":1}}`), nil, 422},
		{"operator object as a value", "school1", "POST", post, wrap(`{"canteen":{"meal_days":{"$ne":null}}}`), nil, 422},
		{"unknown field in the body", "school1", "POST", post, `{"id":"` + uuid.NewString() + `","values":{},"admin":true}`, nil, 422},
		{"unknown section", "school1", "POST", post, wrap(`{"payroll":{"x":1}}`), nil, 422},
		{"id that is not a UUID", "school1", "POST", post, `{"id":"../../x","values":{}}`, nil, 422},
		{"values as an array", "school1", "POST", post, `{"id":"` + uuid.NewString() + `","values":[1,2]}`, nil, 422},
		{"body as an array", "school1", "POST", post, `[1,2,3]`, nil, 400},
		{"empty body", "school1", "POST", post, ``, nil, 400},
		{"null values", "school1", "POST", post, `{"id":"` + uuid.NewString() + `","values":null}`, nil, 422},
		{"trailing data", "school1", "POST", post, `{"id":"x","values":{}} {"again":1}`, nil, 400},
		{"operator in a query parameter", "admin", "GET", "/api/v1/drives/" + driveID + "/form?school[$ne]=1", "", nil, 422},
		{"operator as a path id", "admin", "GET", "/api/v1/submissions/%7B%22$ne%22:1%7D", "", nil, 404},
		{"path traversal in a drive id", "admin", "GET", "/api/v1/drives/..%2F..%2Fetc%2Fpasswd/progress", "", nil, 404},
		{"path traversal in an export id", "admin", "GET", "/api/v1/exports/..%2F..%2Fetc%2Fpasswd/download", "", nil, 404},
		{"operator in the trend period", "admin", "GET", "/api/v1/reports/trend.xlsx?indicator=canteen&from[$gt]=&to=2026-11", "", nil, 422},
		{"huge username", "", "POST", "/api/v1/auth/login", `{"username":"` + strings.Repeat("x", 10000) + `","password":"x"}`, nil, 422},
		{"huge token", "", "GET", "/api/v1/me", "", map[string]string{"Authorization": "Bearer " + strings.Repeat("t", 10000)}, 401},
		{"review with an odd action", "dist1", "POST", "/api/v1/submissions/" + sub + "/review", `{"action":"approve; drop","comment":""}`, nil, 422},
		{"If-Match that is not a version", "school1", "PUT", "/api/v1/submissions/" + sub, `{"values":{}}`, map[string]string{"If-Match": `"abc"`}, 428},
		{"negative If-Match", "school1", "PUT", "/api/v1/submissions/" + sub, `{"values":{}}`, map[string]string{"If-Match": `"-1"`}, 428},
		{"schedule with an operator scope", "admin", "POST", "/api/v1/schedules", `{"id":"abc","name":"x","plan":"plan-2026","frequency":"monthly","dueDay":1,"closeDay":2,"scope":{"org":{"$ne":""}}}`, nil, 422},
		{"zip bomb as a school list", "admin", "POST", "/api/v1/orgs/import", bomb, xlsx, 413},
		{"text posing as a school list", "admin", "POST", "/api/v1/orgs/import", "学校代码,学校名称\n0100001001,x\n", xlsx, 400},
		{"broken multipart school list", "admin", "POST", "/api/v1/orgs/import?dryRun=1", strings.Repeat("x", 10<<10), map[string]string{"Content-Type": "multipart/form-data; boundary=x"}, 400},
		{"path traversal in an org id", "admin", "GET", "/api/v1/orgs/..%2F..%2Fetc%2Fpasswd", "", nil, 404},
		{"webhook to a file URL", "admin", "POST", "/api/v1/webhooks", `{"org":"100000","name":"x","format":"generic","url":"file:///etc/passwd"}`, nil, 422},
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
		})
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

// TestBodyOverLimit: a request announcing a body over the limit is refused
// with 413 before the body is read.
func TestBodyOverLimit(t *testing.T) {
	f, conn := rawConn(t)
	fmt.Fprintf(conn, "POST /api/v1/drives/%s/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+
		"Authorization: Bearer %s\r\nContent-Length: %d\r\n\r\n{\"id\":\"", driveID, f.tokens["school1"], 5<<20)
	res, err := http.ReadResponse(bufio.NewReader(conn), nil)
	must(t, err)
	defer res.Body.Close()
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

// zipBomb is a small zip whose worksheet unpacks to 80 MB.
func zipBomb(t *testing.T) string {
	var buf bytes.Buffer
	z := zip.NewWriter(&buf)
	for name, size := range map[string]int{"[Content_Types].xml": 8, "xl/workbook.xml": 11, "xl/worksheets/sheet1.xml": 80 << 20} {
		w, err := z.Create(name)
		must(t, err)
		_, err = w.Write(bytes.Repeat([]byte{' '}, size))
		must(t, err)
	}
	must(t, z.Close())
	return buf.String()
}
