package forms

import (
	"strings"
	"testing"
)

func goodClassroom() map[string]any {
	return map[string]any{
		"name": "三年级2班", "desk_lux": 320.0, "desk_uniformity": 0.75, "board_lamps": true,
		"board_lux": 520.0, "board_uniformity": 0.85, "cct": 4500, "ra": 85, "ugr": 16, "lpd": 8.5,
	}
}

func lightingValues(rooms ...map[string]any) map[string]any {
	rows := make([]any, len(rooms))
	for i, r := range rooms {
		rows[i] = r
	}
	return map[string]any{"classrooms": rows}
}

func TestLightingThresholds(t *testing.T) {
	cases := []struct {
		field  string
		value  any
		ok     bool
		reason string
	}{
		{"desk_lux", 299.9, false, "课桌面照度低于 300 lx"},
		{"desk_lux", 300.0, true, ""},
		{"desk_uniformity", 0.69, false, "均匀度低于 0.7"},
		{"desk_uniformity", 0.7, true, ""},
		{"board_lux", 499.0, false, "黑板照度低于 500 lx"},
		{"board_lux", 500.0, true, ""},
		{"board_uniformity", 0.79, false, "均匀度低于 0.8"},
		{"board_uniformity", 0.8, true, ""},
		{"cct", 3299, false, "色温不在 3300–5500 K"},
		{"cct", 3300, true, ""},
		{"cct", 5500, true, ""},
		{"cct", 5501, false, "色温不在 3300–5500 K"},
		{"ra", 79, false, "显色指数 Ra 低于 80"},
		{"ra", 80, true, ""},
		{"ugr", 19.0, true, ""},
		{"ugr", 20.0, false, "统一眩光值 UGR 高于 19"},
		{"lpd", 11.0, true, ""},
		{"lpd", 11.1, false, "照明功率密度高于 11 W/m²"},
	}
	for _, c := range cases {
		room := with(goodClassroom(), c.field, c.value)
		res := scoreOne(t, "lighting", lightingValues(room), Env{})
		if c.ok != (res.Status == Compliant) {
			t.Errorf("%s=%v: status %s (%s), want ok=%v", c.field, c.value, res.Status, res.Reason.Zh, c.ok)
		}
		if !c.ok && !strings.Contains(res.Reason.Zh, c.reason) {
			t.Errorf("%s=%v: reason %q lacks %q", c.field, c.value, res.Reason.Zh, c.reason)
		}
	}
}

func TestLightingReasonCountsClassrooms(t *testing.T) {
	rooms := make([]map[string]any, 28)
	for i := range rooms {
		rooms[i] = goodClassroom()
		if i < 3 {
			rooms[i]["desk_lux"] = 280.0
		}
	}
	res := scoreOne(t, "lighting", lightingValues(rooms...), Env{})
	if res.Status != Noncompliant || !strings.HasPrefix(res.Reason.Zh, "28 间教室中 3 间课桌面照度低于 300 lx") ||
		!strings.HasPrefix(res.Reason.En, "3 of 28 classrooms below 300 lx desk illuminance") {
		t.Fatalf("got %+v", res)
	}
	if !strings.Contains(res.Reason.Zh, "达标率 89.3%（25/28）") {
		t.Errorf("rate missing from %q", res.Reason.Zh)
	}
}

func TestLightingWithoutBoardLampsFailsAndPlanTargetsApply(t *testing.T) {
	room := with(goodClassroom(), "board_lamps", false, "board_lux", nil, "board_uniformity", nil)
	if res := scoreOne(t, "lighting", lightingValues(room), Env{}); res.Status != Noncompliant || !strings.Contains(res.Reason.Zh, "未设黑板灯") {
		t.Errorf("no blackboard lamps: %+v", res)
	}
	p := Plan{ID: "p", Name: "p", Items: []PlanItem{{Indicator: "lighting", Targets: map[string]float64{"rate": 90}}}}
	f := mustGenerate(t, p, Termly, Primary)
	rooms := []map[string]any{}
	for i := range 10 {
		r := goodClassroom()
		if i == 0 {
			r["desk_lux"] = 250.0
		}
		rooms = append(rooms, r)
	}
	v := submit(t, f, "lighting", lightingValues(rooms...), Env{})
	if res := f.Score(v, Env{})[0]; res.Status != Compliant {
		t.Errorf("9 of 10 against a 90%% target: %+v", res)
	}
	if got := v["lighting"]["compliance_rate"]; got != 90.0 {
		t.Errorf("compliance_rate = %v", got)
	}
}

func canteenValues() map[string]any {
	return map[string]any{
		"meal_days": 20, "meals": []any{"lunch"}, "accompany_days": 20, "sample_days": 20, "sample_grams_min": 125,
		"sample_hours_min": 48, "canteen_staff": 12, "staff_certified": 12, "purchase_checked": true,
		"stock_records": true, "cost_accounted": true, "camera_online": true, "self_inspected": true,
		"problems_found": 0,
	}
}

// hazardRow is a row of the hazard ledger; an open one has a measure, a
// responsible person and deadline, a closed one is closed on its deadline.
func hazardRow(id, category, status, deadline string) map[string]any {
	row := map[string]any{"category": category, "place": "教学楼", "description": "消防通道堆放杂物",
		"found_on": "2026-10-08", "level": "general", "status": status}
	if id != "" {
		row["hazard_id"] = id
	}
	if status == "closed" {
		row["closed_on"] = "2026-11-20"
		return row
	}
	row["measure"], row["responsible"] = "清理杂物", "王老师"
	if deadline != "" {
		row["deadline"] = deadline
	}
	return row
}

func TestSectionThresholds(t *testing.T) {
	prev := func(code string, vals map[string]any) Env { return Env{Previous: Values{code: vals}} }
	lastYear := func(code string, vals map[string]any) Env { return Env{PreviousYear: Values{code: vals}} }
	myopia := map[string]any{"screening_date": "2026-10-12", "screened": 1000, "myopic": 101}
	fit := map[string]any{"tested": 100, "excellent": 10, "good": 32, "passed": 48, "failed": 10}
	bully := map[string]any{"screening_done": true, "students_covered": 800, "classes_covered": 20,
		"found_physical": 1, "found_verbal": 1, "found_property": 0, "found_online": 0, "handled": 1, "escalated": 1}
	cases := []struct {
		name   string
		code   string
		vals   map[string]any
		env    Env
		status string
		reason string
	}{
		{"sample 124 g", "canteen", with(canteenValues(), "sample_grams_min", 124), Env{}, Noncompliant, "留样重量最少 124 g，低于 125 g"},
		{"sample 125 g", "canteen", canteenValues(), Env{}, Compliant, ""},
		{"sample 47 h", "canteen", with(canteenValues(), "sample_hours_min", 47), Env{}, Noncompliant, "少于 48 小时"},
		{"accompany 19/20", "canteen", with(canteenValues(), "accompany_days", 19), Env{}, Noncompliant, "陪餐率 95% 低于 100%"},
		{"samples 18/20", "canteen", with(canteenValues(), "sample_days", 18), Env{}, Noncompliant, "20 个供餐日中 2 天留样不完整"},
		{"certificates 11/12", "canteen", with(canteenValues(), "staff_certified", 11), Env{}, Noncompliant, "12 名从业人员中 1 人无有效健康证明"},
		{"camera offline", "canteen", with(canteenValues(), "camera_online", false), Env{}, Noncompliant, "明厨亮灶摄像头不在线"},
		{"problems open", "canteen", with(canteenValues(), "problems_found", 3, "problems_fixed", 2), Env{}, Noncompliant, "自查发现问题 3 个，1 个未整改"},
		{"bullying handled", "bullying", bully, Env{}, Compliant, ""},
		{"bullying lead left", "bullying", with(bully, "handled", 0), Env{}, Noncompliant, "发现苗头线索 2 条，1 条既未处置也未上报"},
		{"bullying no screening", "bullying", with(bully, "screening_done", false), Env{}, Noncompliant, "未开展"},
		{"myopia no previous", "myopia", map[string]any{"screening_date": "2026-10-12", "screened": 1000, "myopic": 300}, Env{}, NotApplicable, ""},
		{"myopia down 0.5 on last year", "myopia", myopia, lastYear("myopia", map[string]any{"myopia_rate": 10.6}), Compliant, ""},
		{"myopia down 0.49 on last year", "myopia", map[string]any{"screening_date": "2026-10-12", "screened": 10000, "myopic": 1011}, lastYear("myopia", map[string]any{"myopia_rate": 10.6}), Noncompliant, "较上年同期 10.6% 下降 0.49 个百分点，未达到 0.5"},
		{"myopia up on last year", "myopia", myopia, lastYear("myopia", map[string]any{"myopia_rate": 9}), Noncompliant, "下降 -1.1 个百分点"},
		// The previous term is not the comparison: a 0.5-point fall a year
		// would otherwise be asked for twice, spring against autumn.
		{"myopia only last term", "myopia", myopia, prev("myopia", map[string]any{"myopia_rate": 20}), NotApplicable, ""},
		{"myopia last year without a rate", "myopia", myopia, lastYear("myopia", map[string]any{"screened": 0}), NotApplicable, ""},
		{"myopia last term fell, last year did not", "myopia", myopia, Env{Previous: Values{"myopia": {"myopia_rate": 20.0}}, PreviousYear: Values{"myopia": {"myopia_rate": 10.3}}}, Noncompliant, "较上年同期 10.3%"},
		{"fitness 40%", "fitness", map[string]any{"tested": 100, "excellent": 10, "good": 30, "passed": 50, "failed": 10}, Env{}, Compliant, ""},
		{"fitness 39%", "fitness", map[string]any{"tested": 100, "excellent": 10, "good": 29, "passed": 51, "failed": 10}, Env{}, Noncompliant, "优良率 39% 低于 40%"},
		{"fitness no rise asked", "fitness", fit, lastYear("fitness", map[string]any{"good_rate": 50}), Compliant, ""},
		{"activity 119 min", "activity", map[string]any{"school_days": 20, "pe_days": 20, "daily_minutes": 119}, Env{}, Noncompliant, "少于 120 分钟"},
		{"activity 120 min", "activity", map[string]any{"school_days": 20, "pe_days": 20, "daily_minutes": 120}, Env{}, Compliant, ""},
		{"mental 99%", "mental_health", map[string]any{"enrolled": 100, "screened": 99, "flagged": 0, "teachers_full": 1, "teachers_part": 0, "room_standard": true}, Env{}, Noncompliant, "普查率 99% 低于 100%"},
		{"mental 100%", "mental_health", map[string]any{"enrolled": 100, "screened": 100, "flagged": 2, "followed_up": 2, "referred": 0, "teachers_full": 0, "teachers_part": 1, "room_standard": true}, Env{}, Compliant, ""},
		{"after-school 49%", "after_school", map[string]any{"participants": 500, "days_per_week": 5, "daily_minutes": 120, "quality_minutes": 294}, Env{}, Noncompliant, "占比 49% 低于 50%"},
		{"after-school 50%", "after_school", map[string]any{"participants": 500, "days_per_week": 5, "daily_minutes": 120, "quality_minutes": 300}, Env{}, Compliant, ""},
		{"ethics short", "ethics_training", map[string]any{"teachers": 80, "total_hours": 1590.5, "teachers_met": 79}, Env{}, Noncompliant, "80 名教师中 1 人师德培训不足 20 学时"},
		{"hazards planned", "hazards", map[string]any{"inspections": 4, "items": []any{hazardRow("", "fire", "open", "2026-12-10"), hazardRow("", "traffic", "closed", "")}}, Env{}, Compliant, ""},
		{"hazards unplanned", "hazards", map[string]any{"inspections": 4, "items": []any{with(hazardRow("", "fire", "open", ""), "responsible", nil), hazardRow("", "traffic", "closed", "")}}, Env{}, Noncompliant, "台账隐患 2 处，1 处既未整改销号也未明确整改措施、责任人和期限"},
		{"hazards all closed", "hazards", map[string]any{"inspections": 1, "items": []any{hazardRow("", "fire", "closed", "")}}, Env{}, Compliant, ""},
		{"hazards none, inspected", "hazards", map[string]any{"inspections": 1}, Env{}, Compliant, ""},
		{"hazards not inspected", "hazards", map[string]any{"inspections": 0}, Env{}, Noncompliant, "本月未开展安全隐患排查"},
		{"lamps", "lamps", map[string]any{"lamps_total": 120, "lamps_ccc": 120, "lamps_ra": 118, "lamps_r9": 120, "lamps_rg0": 120}, Env{}, Noncompliant, "120 盏灯具中 2 盏显色指数低于 80"},
	}
	for _, c := range cases {
		res := scoreOne(t, c.code, c.vals, c.env)
		if res.Status != c.status || !strings.Contains(res.Reason.Zh, c.reason) {
			t.Errorf("%s: got %s %q, want %s containing %q", c.name, res.Status, res.Reason.Zh, c.status, c.reason)
		}
	}
}
