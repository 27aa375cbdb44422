package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

func fieldErrors(r response) map[string]string {
	var p struct {
		Errors []struct{ Field, Code string } `json:"errors"`
	}
	_ = json.Unmarshal(r.body, &p)
	out := map[string]string{}
	for _, e := range p.Errors {
		out[e.Field] = e.Code
	}
	return out
}

// TestCustomIndicatorRejected: a bureau's own indicator with an unknown
// field type, a rule naming a missing field, duplicate ids or a bad regex is
// refused with errors keyed by the field at fault.
func TestCustomIndicatorRejected(t *testing.T) {
	f := newFixture(t)
	base := func() map[string]any {
		return map[string]any{
			"code": "drills", "name": map[string]string{"zh": "应急疏散演练", "en": "Evacuation drills"},
			"help": map[string]string{"zh": "每月演练", "en": "Monthly drills"}, "category": "safety",
			"frequency": "monthly", "stages": []string{"primary", "junior"}, "source": "本市 2026 工作要点 §3",
			"fields": []any{
				map[string]any{"id": "held", "type": "integer", "label": map[string]string{"zh": "演练次数"}, "required": true, "min": 0},
				map[string]any{"id": "minutes", "type": "integer", "label": map[string]string{"zh": "疏散用时（秒）"}, "min": 0},
			},
			"compliance": []any{map[string]any{"id": "held", "rule": map[string]any{">=": []any{map[string]any{"var": "held"}, 1}},
				"reason": map[string]string{"zh": "本月未演练", "en": "no drill this month"}}},
		}
	}
	if res := f.do("admin", http.MethodPost, "/api/v1/indicators", base(), nil); res.status != 201 {
		t.Fatalf("a good custom indicator: %d %s", res.status, res.body)
	}
	cases := []struct {
		name  string
		edit  func(m map[string]any)
		field string
	}{
		{"unknown type", func(m map[string]any) { m["fields"].([]any)[1].(map[string]any)["type"] = "slider" }, "fields[1].type"},
		{"missing field in a rule", func(m map[string]any) {
			m["compliance"].([]any)[0].(map[string]any)["rule"] = map[string]any{">=": []any{map[string]any{"var": "drills_held"}, 1}}
		}, "compliance[0].rule"},
		{"duplicate ids", func(m map[string]any) { m["fields"].([]any)[1].(map[string]any)["id"] = "held" }, "fields[1].id"},
		{"bad regex", func(m map[string]any) {
			m["fields"] = append(m["fields"].([]any), map[string]any{"id": "note", "type": "text", "label": map[string]string{"zh": "备注"}, "pattern": "([a-z"})
		}, "fields[2].pattern"},
	}
	for _, c := range cases {
		m := base()
		m["code"] = "drills2"
		c.edit(m)
		res := f.do("admin", http.MethodPost, "/api/v1/indicators", m, map[string]string{"Accept-Language": "en"})
		errs := fieldErrors(res)
		if res.status != 422 || errs[c.field] == "" {
			t.Errorf("%s: %d %s", c.name, res.status, res.body)
		}
	}
	// Editing may not give an existing field id another meaning.
	m := base()
	m["fields"].([]any)[1].(map[string]any)["type"] = "text"
	if res := f.do("admin", http.MethodPut, "/api/v1/indicators/drills", m, nil); res.status != 422 || fieldErrors(res)["fields[1].type"] != "reused_id" {
		t.Fatalf("reusing a field id: %d %s", res.status, res.body)
	}
}

// TestPlanChangeMidYear: a plan's new target makes a new form version; the
// earlier submission keeps its version and both export side by side.
func TestPlanChangeMidYear(t *testing.T) {
	f := newFixture(t)
	first := f.do("school1", http.MethodGet, "/api/v1/drives/"+driveID+"/form", nil, nil)
	old := uuid.NewString()
	if res := create(f, "school1", old, validValues(1), false); res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	plan := f.do("admin", http.MethodGet, "/api/v1/plans/plan-2026", nil, nil)
	var p map[string]any
	must(t, json.Unmarshal(plan.body, &p))
	items := p["items"].([]any)
	// The bureau raises the desk illuminance target to 350 lx.
	items[2].(map[string]any)["targets"] = map[string]any{"desk_lux": 350}
	body := map[string]any{"name": p["name"], "year": p["year"], "items": items}
	if res := f.do("admin", http.MethodPut, "/api/v1/plans/plan-2026", body, map[string]string{"If-Match": plan.header.Get("ETag")}); res.status != 200 {
		t.Fatalf("plan update: %d %s", res.status, res.body)
	}
	if res := f.do("admin", http.MethodPut, "/api/v1/plans/plan-2026", body, map[string]string{"If-Match": plan.header.Get("ETag")}); res.status != 409 {
		t.Fatalf("stale plan update: %d", res.status)
	}
	bad := map[string]any{"name": "x", "year": 2026, "items": []any{map[string]any{"indicator": "lighting", "targets": map[string]any{"no_such": 1}}}}
	if res := f.do("admin", http.MethodPost, "/api/v1/plans", map[string]any{"id": "plan-bad", "name": bad["name"], "year": 2026, "items": bad["items"]}, nil); res.status != 422 {
		t.Fatalf("plan with an unknown target: %d %s", res.status, res.body)
	}
	// Forms are cached for a minute: let it pass.
	f.clock.Add(2 * 60e9)
	second := f.do("school3", http.MethodGet, "/api/v1/drives/"+driveID+"/form", nil, nil)
	if second.header.Get("ETag") == first.header.Get("ETag") || !bytes.Contains(second.body, []byte(`"desk_lux":350`)) {
		t.Fatalf("the plan change did not make a new form version: %s", second.header.Get("ETag"))
	}
	if res := create(f, "school3", uuid.NewString(), validValues(1), false); res.status != 201 || !strings.Contains(string(res.body), `"status":"noncompliant"`) {
		t.Fatalf("320 lx against a 350 lx target: %d %s", res.status, res.body)
	}
	if res := f.do("school1", http.MethodGet, "/api/v1/submissions/"+old, nil, nil); !strings.Contains(string(res.body), strings.Trim(first.header.Get("ETag"), `"`)) {
		t.Fatalf("the old submission lost its form version: %s", res.body)
	}
	export := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx", nil, nil)
	x, err := excelize.OpenReader(bytes.NewReader(export.body))
	must(t, err)
	defer x.Close()
	rows, err := x.GetRows(sheetFor(t, x, "照明达标情况"))
	must(t, err)
	header := rows[4] // under the title block
	var r1, r3 []string
	for _, r := range rows[5:] {
		switch r[0] {
		case school1:
			r1 = r
		case school3:
			r3 = r
		}
	}
	if r1 == nil || r3 == nil || len(r1) > len(header) || len(r3) > len(header) {
		t.Fatalf("lighting rows under %v: %v / %v", header, r1, r3)
	}
	if !contains(r1, "✓") || !contains(r3, "✗") {
		t.Fatalf("each row scored under its own version: %v / %v", r1, r3)
	}
}

// TestPlanFromText: a bureau pastes its work plan, picks the school-level
// candidates, and gets a plan whose targets come from the text.
func TestPlanFromText(t *testing.T) {
	f := newFixture(t)
	text, err := os.ReadFile("../forms/testdata/plans/2025-xiangtan-city.txt")
	must(t, err)
	res := f.do("admin", http.MethodPost, "/api/v1/plans/extract", map[string]string{"text": string(text)}, nil)
	if res.status != 200 {
		t.Fatalf("extract: %d %.300s", res.status, res.body)
	}
	var out struct {
		Candidates []struct {
			Level      string `json:"level"`
			Indicators []struct {
				Code string `json:"code"`
			} `json:"indicators"`
		} `json:"candidates"`
	}
	must(t, json.Unmarshal(res.body, &out))
	var picked []int
	for i, c := range out.Candidates {
		if c.Level == "school" && len(c.Indicators) > 0 {
			picked = append(picked, i)
		}
	}
	if len(picked) < 8 {
		t.Fatalf("only %d school-level candidates", len(picked))
	}
	create := f.do("admin", http.MethodPost, "/api/v1/plans", map[string]any{"id": "xiangtan-2025", "name": "2025 工作要点", "year": 2025,
		"fromText": map[string]any{"text": string(text), "selected": picked}}, nil)
	if create.status != 201 {
		t.Fatalf("plan from text: %d %s", create.status, create.body)
	}
	var plan struct {
		Items []struct {
			Indicator string             `json:"indicator"`
			Targets   map[string]float64 `json:"targets"`
		} `json:"items"`
	}
	must(t, json.Unmarshal(create.body, &plan))
	targets := map[string]map[string]float64{}
	for _, it := range plan.Items {
		targets[it.Indicator] = it.Targets
	}
	if targets["lighting"]["rate"] != 100 || targets["activity"]["daily_minutes"] != 120 || targets["ethics_training"]["hours"] != 20 {
		t.Fatalf("targets from the text: %v", targets)
	}
	text2 := plainRequest(f, "一、安全\n1.每月开展安全隐患排查，隐患整改率达到100%。")
	if text2.status != 200 || !strings.Contains(string(text2.body), "hazards") {
		t.Fatalf("text/plain extract: %d %s", text2.status, text2.body)
	}
}

func plainRequest(f *fixture, text string) response {
	req := httptest.NewRequest(http.MethodPost, "/api/v1/plans/extract", strings.NewReader(text))
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	req.Header.Set("Authorization", "Bearer "+f.tokens["admin"])
	res, err := f.app.Test(req, 30_000)
	must(f.t, err)
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, body: raw}
}
