package handlers

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/gofiber/fiber/v2"
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/metrics"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// orgApp serves the import routes as u, with a body limit above the
// import's own so that the handler's limit is the one tested.
func orgApp(t *testing.T, s *store.Store, u *store.User) *fiber.App {
	t.Helper()
	log := slog.New(slog.DiscardHandler)
	app := fiber.New(fiber.Config{ErrorHandler: errorHandler(log, metrics.New(), bodyLimits{large: 16 << 20}, nil), BodyLimit: 16 << 20})
	h := &handler{Deps: Deps{Store: s, Log: log}}
	h.orgImportRoutes(app.Group("/api/v1", func(c *fiber.Ctx) error {
		c.Locals(localUser, u)
		return c.Next()
	}))
	return app
}

func orgTree(t *testing.T) *store.Store {
	t.Helper()
	s := storetest.New(t)
	for _, o := range []store.Org{
		{ID: "330100", Name: "市教育局", Kind: store.KindCity, Path: []string{"330100"}},
		{ID: "330102", Name: "上城区教育局", Kind: store.KindDistrict, Parent: "330100", Path: []string{"330100", "330102"}},
	} {
		if err := s.PutOrg(context.Background(), &o); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

func schoolSheet(t *testing.T, rows ...[]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	all := append([][]any{{"学校代码", "学校名称", "所属区县", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"}}, rows...)
	for i, r := range all {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow("Sheet1", cell, &r); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

type orgResult struct {
	status int
	header http.Header
	body   []byte
}

func (r orgResult) decode(t *testing.T) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.body, &m); err != nil {
		t.Fatalf("%d %s: %v", r.status, r.body, err)
	}
	return m
}

func send(t *testing.T, app *fiber.App, method, path, contentType string, body []byte, lang string) orgResult {
	t.Helper()
	req := httptest.NewRequest(method, path, bytes.NewReader(body))
	if contentType != "" {
		req.Header.Set(fiber.HeaderContentType, contentType)
	}
	if lang != "" {
		req.Header.Set(fiber.HeaderAcceptLanguage, lang)
	}
	res, err := app.Test(req, 30_000)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return orgResult{res.StatusCode, res.Header, raw}
}

func multipartBody(t *testing.T, field string, data []byte) (string, []byte) {
	t.Helper()
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	fw, err := w.CreateFormFile(field, "学校名单.xlsx")
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(data)
	_ = w.Close()
	return w.FormDataContentType(), buf.Bytes()
}

var orgAdmin = &store.User{ID: "admin", Role: store.RoleAdmin, Org: "330100", OrgPath: []string{"330100"}}

func TestOrgImportHTTP(t *testing.T) {
	s := orgTree(t)
	app := orgApp(t, s, orgAdmin)
	sheet := schoolSheet(t,
		[]any{"0330102001", "上城区实验小学", "上城区", "小学", "公办", "城区", 24, 900, "王老师", "0571-87001234"},
		[]any{"0330102002", "上城区幼儿园", "330102", "幼儿园", "民办", "乡村", 6, 120, "", ""})

	dry := send(t, app, http.MethodPost, "/api/v1/orgs/import?dryRun=1", xlsxType, sheet, "")
	if m := dry.decode(t); dry.status != 200 || m["dryRun"] != true || len(m["created"].([]any)) != 2 {
		t.Fatalf("dry run: %d %s", dry.status, dry.body)
	}
	if n, _ := s.CountOrgs(context.Background(), store.OrgFilter{Under: "330100", Kind: store.KindSchool}); n != 0 {
		t.Fatalf("dry run wrote %d schools", n)
	}

	ct, body := multipartBody(t, "file", sheet)
	first := send(t, app, http.MethodPost, "/api/v1/orgs/import", ct, body, "")
	if m := first.decode(t); first.status != 200 || m["dryRun"] != false || len(m["created"].([]any)) != 2 {
		t.Fatalf("multipart import: %d %s", first.status, first.body)
	}
	again := send(t, app, http.MethodPost, "/api/v1/orgs/import", xlsxType, sheet, "")
	if m := again.decode(t); again.status != 200 || len(m["created"].([]any)) != 0 || len(m["updated"].([]any)) != 0 || m["unchanged"] != 2.0 {
		t.Fatalf("re-import: %d %s", again.status, again.body)
	}

	export := send(t, app, http.MethodGet, "/api/v1/orgs/export.xlsx", "", nil, "")
	if export.status != 200 || export.header.Get(fiber.HeaderContentType) != xlsxType ||
		!strings.Contains(export.header.Get(fiber.HeaderContentDisposition), "attachment") {
		t.Fatalf("export: %d %v", export.status, export.header)
	}
	back := send(t, app, http.MethodPost, "/api/v1/orgs/import", xlsxType, export.body, "")
	if m := back.decode(t); back.status != 200 || len(m["created"].([]any)) != 0 || len(m["updated"].([]any)) != 0 || m["unchanged"] != 2.0 {
		t.Fatalf("export re-imported: %d %s", back.status, back.body)
	}
}

func TestOrgImportHTTPErrors(t *testing.T) {
	s := orgTree(t)
	app := orgApp(t, s, orgAdmin)
	bad := schoolSheet(t,
		[]any{999901003, "数字代码", "上城区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"0330102002", "学校", "北区", "小学", "公办", "城区", 1, 1, "", ""},
		[]any{"0330102003", "学校", "上城区", "小学", "公办", "城区", -1, 1, "", ""})
	res := send(t, app, http.MethodPost, "/api/v1/orgs/import", xlsxType, bad, "")
	if res.status != http.StatusUnprocessableEntity || !strings.HasPrefix(res.header.Get(fiber.HeaderContentType), "application/problem+json") {
		t.Fatalf("bad rows: %d %s", res.status, res.body)
	}
	errs := res.decode(t)["errors"].([]any)
	want := []struct{ field, code string }{
		{"rows[2].学校代码", "code_leading_zeros"}, {"rows[3].所属单位", "unit_unknown"}, {"rows[4].教室数", "negative"},
	}
	if len(errs) != len(want) {
		t.Fatalf("errors = %s", res.body)
	}
	for i, w := range want {
		e := errs[i].(map[string]any)
		if e["field"] != w.field || e["code"] != w.code || e["message"] == "" {
			t.Fatalf("error %d = %v, want %v", i, e, w)
		}
	}
	en := send(t, app, http.MethodPost, "/api/v1/orgs/import", xlsxType, bad, "en")
	if msg := en.decode(t)["errors"].([]any)[0].(map[string]any)["message"].(string); !strings.Contains(msg, "Format the column as Text") {
		t.Fatalf("English message = %q", msg)
	}

	cases := []struct {
		name, contentType string
		body              []byte
		status            int
	}{
		{"too large", xlsxType, make([]byte, 6<<20), http.StatusRequestEntityTooLarge},
		{"not xlsx", xlsxType, []byte("学校代码,学校名称\n"), http.StatusBadRequest},
		{"csv", "text/csv", []byte("学校代码,学校名称\n"), http.StatusUnsupportedMediaType},
	}
	for _, c := range cases {
		if r := send(t, app, http.MethodPost, "/api/v1/orgs/import", c.contentType, c.body, ""); r.status != c.status || r.decode(t)["title"] == "" {
			t.Errorf("%s: %d %s, want %d", c.name, r.status, r.body, c.status)
		}
	}
	ct, body := multipartBody(t, "upload", schoolSheet(t))
	if r := send(t, app, http.MethodPost, "/api/v1/orgs/import", ct, body, ""); r.status != http.StatusUnprocessableEntity {
		t.Errorf("multipart without file: %d %s", r.status, r.body)
	}

	school := &store.User{ID: "s", Role: store.RoleSchool, Org: "0330102001", OrgPath: []string{"330100", "330102", "0330102001"}}
	if r := send(t, orgApp(t, s, school), http.MethodPost, "/api/v1/orgs/import", xlsxType, bad, ""); r.status != http.StatusForbidden {
		t.Errorf("school import: %d", r.status)
	}
	if n, _ := s.CountOrgs(context.Background(), store.OrgFilter{Under: "330100", Kind: store.KindSchool}); n != 0 {
		t.Fatalf("refused imports wrote %d schools", n)
	}
}
