package forms

import (
	"encoding/json"
	"reflect"
	"slices"
	"strings"
	"testing"
)

func fp(v float64) *float64 { return &v }

// probeIndicator has one field of every type.
func probeIndicator() Indicator {
	return Indicator{
		Code: "probe", Name: Text{Zh: "探针", En: "Probe"}, Category: "test", Frequency: Monthly,
		Stages: []string{Primary}, Source: "test",
		Targets: map[string]float64{"limit": 13},
		Fields: []Field{
			{ID: "n", Type: Integer, Label: Text{Zh: "整数", En: "Whole"}, Required: true, Min: fp(0), Max: fp(100),
				Constraints: []Constraint{{Rule: map[string]any{"!=": []any{map[string]any{"var": "n"}, map[string]any{"var": "target.limit"}}}, Message: Text{Zh: "不能为 13", En: "not 13"}}}},
			{ID: "d", Type: Decimal, Label: Text{Zh: "小数", En: "Decimal"}, Precision: 2, Min: fp(0), Max: fp(10)},
			{ID: "p", Type: Percent, Label: Text{Zh: "比例", En: "Share"}},
			{ID: "b", Type: Boolean, Label: Text{Zh: "是否", En: "Flag"}},
			{ID: "c", Type: Choice, Label: Text{Zh: "单选", En: "Choice"}, Options: []Option{{Value: "a", Label: Text{Zh: "甲"}}, {Value: "b", Label: Text{Zh: "乙"}}}},
			{ID: "m", Type: Multi, Label: Text{Zh: "多选", En: "Multi"}, Options: []Option{{Value: "x", Label: Text{Zh: "X"}}, {Value: "y", Label: Text{Zh: "Y"}}, {Value: "z", Label: Text{Zh: "Z"}}}},
			{ID: "dt", Type: Date, Label: Text{Zh: "日期", En: "Date"}},
			{ID: "s", Type: String, Label: Text{Zh: "文字", En: "Text"}, MaxLength: 5, Pattern: `^[^0-9]*$`},
			{ID: "show", Type: Boolean, Label: Text{Zh: "显示", En: "Show"}},
			{ID: "dep", Type: Integer, Label: Text{Zh: "依赖", En: "Dependent"}, Required: true, Relevant: map[string]any{"var": "show"}},
			{ID: "r", Type: Repeat, Label: Text{Zh: "明细", En: "Rows"}, MinRows: 1, MaxRows: 3, Fields: []Field{
				{ID: "name", Type: String, Label: Text{Zh: "名称", En: "Name"}, Required: true, MaxLength: 10},
				{ID: "v", Type: Integer, Label: Text{Zh: "数值", En: "Value"}, Min: fp(0)},
				{ID: "v2", Type: Computed, Label: Text{Zh: "两倍", En: "Double"}, Compute: map[string]any{"*": []any{map[string]any{"var": "row.v"}, 2}}},
			}},
			{ID: "total", Type: Computed, Label: Text{Zh: "合计", En: "Total"}, Precision: 2,
				Compute: map[string]any{"+": []any{map[string]any{"var": "n"}, map[string]any{"var": []any{"d", 0}}}}},
			{ID: "doubled", Type: Computed, Label: Text{Zh: "行合计", En: "Row total"},
				Compute: map[string]any{"reduce": []any{map[string]any{"var": "r"}, map[string]any{"+": []any{map[string]any{"var": "accumulator"}, map[string]any{"var": []any{"current.v2", 0}}}}, 0}}},
		},
		Compliance: []ComplianceRule{{ID: "ok", Rule: map[string]any{"<": []any{map[string]any{"var": "n"}, 50}}, Reason: Text{Zh: "整数 {n} 不小于 50", En: "{n} is not below 50"}}},
	}
}

func probeForm(t testing.TB) *Form {
	t.Helper()
	ind := probeIndicator()
	if errs := CheckIndicator(ind); len(errs) > 0 {
		t.Fatalf("probe indicator invalid: %+v", errs)
	}
	f, err := Generate(Plan{ID: "probe", Name: "probe", Items: []PlanItem{{Indicator: "probe"}}}, map[string]Indicator{"probe": ind}, Monthly, []string{Primary})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestValidateFieldTypes(t *testing.T) {
	f := probeForm(t)
	cases := []struct {
		field, raw string
		code       string // "" when valid
		want       any    // normalised value when valid; nil when empty
	}{
		{"n", `5`, "", 5.0}, {"n", `5.0`, "", 5.0}, {"n", `"5"`, "type", nil}, {"n", `5.5`, "type", nil},
		{"n", `-1`, "min", nil}, {"n", `0`, "", 0.0}, {"n", `100`, "", 100.0}, {"n", `101`, "max", nil},
		{"n", `1e400`, "type", nil}, {"n", `true`, "type", nil}, {"n", `null`, "", nil}, {"n", `[1]`, "type", nil},
		{"d", `1.25`, "", 1.25}, {"d", `1.255`, "precision", nil}, {"d", `10.01`, "max", nil}, {"d", `"1.2"`, "type", nil},
		{"p", `100`, "", 100.0}, {"p", `100.5`, "max", nil}, {"p", `-0.1`, "min", nil}, {"p", `33.3`, "", 33.3},
		{"b", `true`, "", true}, {"b", `false`, "", false}, {"b", `"true"`, "type", nil}, {"b", `1`, "type", nil},
		{"c", `"a"`, "", "a"}, {"c", `"q"`, "option", nil}, {"c", `1`, "type", nil}, {"c", `"A"`, "option", nil},
		{"m", `["y","x"]`, "", []any{"x", "y"}}, {"m", `["x","x"]`, "duplicate", nil}, {"m", `["w"]`, "option", nil},
		{"m", `"x"`, "type", nil}, {"m", `[1]`, "type", nil}, {"m", `[]`, "", nil},
		{"dt", `"2026-02-28"`, "", "2026-02-28"}, {"dt", `"2026-02-30"`, "date", nil}, {"dt", `"2026-2-3"`, "date", nil},
		{"dt", `"2026-02-28T00:00:00Z"`, "date", nil}, {"dt", `20260228`, "date", nil},
		{"s", `"  你好 "`, "", "你好"}, {"s", `"五个汉字啊"`, "", "五个汉字啊"}, {"s", `"六个汉字啊呀"`, "max_length", nil},
		{"s", `"ab1"`, "pattern", nil}, {"s", `"   "`, "", nil}, {"s", `5`, "type", nil},
	}
	for _, c := range cases {
		raw := `{"probe":{"` + c.field + `":` + c.raw + `}}`
		v, errs := f.Validate([]byte(raw), Env{}, true)
		var got []string
		for _, e := range errs {
			got = append(got, e.Code)
			if e.Field != "probe."+c.field || e.Message.Zh == "" || e.Message.En == "" {
				t.Errorf("%s: error %+v lacks a path or a message", raw, e)
			}
		}
		switch {
		case c.code == "" && len(errs) > 0:
			t.Errorf("%s: unexpected errors %v", raw, got)
		case c.code != "" && !slices.Equal(got, []string{c.code}):
			t.Errorf("%s: errors %v, want [%s]", raw, got, c.code)
		case c.code == "" && !reflect.DeepEqual(v["probe"][c.field], c.want):
			t.Errorf("%s: value %#v, want %#v", raw, v["probe"][c.field], c.want)
		}
	}
}

func TestValidateTranslatedMessages(t *testing.T) {
	f := probeForm(t)
	_, errs := f.Validate([]byte(`{"probe":{"n":-1,"s":"六个汉字啊呀"}}`), Env{}, true)
	if len(errs) != 2 {
		t.Fatalf("errors: %+v", errs)
	}
	if errs[0].Message.Zh != "整数最小只能为0" || errs[0].Message.En != "Whole must be 0 or greater" {
		t.Errorf("min message: %+v", errs[0].Message)
	}
	if !strings.Contains(errs[1].Message.Zh, "文字长度不能超过5个字符") || !strings.Contains(errs[1].Message.En, "Text must be a maximum of 5 characters") {
		t.Errorf("max length message: %+v", errs[1].Message)
	}
	_, errs = f.Validate([]byte(`{"probe":{}}`), Env{}, false)
	if errs[0].Field != "probe.n" || errs[0].Message.Zh != "整数为必填字段" || errs[0].Message.En != "Whole is a required field" {
		t.Errorf("required message: %+v", errs[0])
	}
}

func TestValidateDecoding(t *testing.T) {
	f := probeForm(t)
	long := `{"probe":{"m":[` + strings.Repeat(`"x",`, 50) + `"x"]}}`
	cases := []struct{ raw, field, code string }{
		{`[]`, "", "type"}, {`"x"`, "", "type"}, {`null`, "", "type"}, {``, "", "json"}, {`{`, "", "json"},
		{`{"probe":{}} {}`, "", "json"}, {"{\"probe\":{\"s\":\"\xff\"}}", "", "utf8"},
		{`{"probe":{"n":1,"n":2}}`, "", "duplicate"}, {`{"probe":{"r":[{"name":{"a":1}}]}}`, "", "depth"},
		{`{"probe":{"b":{"x":1}}}`, "probe.b", "type"}, {long, "", "too_long"},
		{`{"$where":1}`, "$where", "invalid_key"}, {`{"probe":{"a.b":1}}`, "probe.a.b", "invalid_key"},
		{`{"probe":{"$set":1}}`, "probe.$set", "invalid_key"}, {`{"other":{}}`, "other", "unknown_field"},
		{`{"probe":{"zzz":1}}`, "probe.zzz", "unknown_field"}, {`{"probe":[]}`, "probe", "type"},
		{`{"probe":{"r":[{"name":"a","v":1,"zz":2}]}}`, "probe.r[0].zz", "unknown_field"},
		{`{"probe":{"r":[{"name":"a"},7]}}`, "probe.r[1]", "type"},
		{`{"probe":{"r":[{"name":"a"},{"name":"b","v":-2}]}}`, "probe.r[1].v", "min"},
		{`{"probe":{"r":[{},{},{},{}]}}`, "probe.r", "rows_max"},
		{`{"probe":{"show":false,"dep":3}}`, "probe.dep", "not_relevant"},
	}
	for _, c := range cases {
		_, errs := f.Validate([]byte(c.raw), Env{}, true)
		if len(errs) != 1 || errs[0].Field != c.field || errs[0].Code != c.code || errs[0].Message.Zh == "" {
			t.Errorf("%q: got %v, want %s:%s", c.raw, codes(errs), c.field, c.code)
		}
	}
}

func TestValidateFinalAndDraft(t *testing.T) {
	f := probeForm(t)
	cases := []struct {
		raw   string
		draft bool
		want  []string
	}{
		{`{"probe":{}}`, true, nil},
		{`{}`, false, []string{"probe.n:required", "probe.r:rows_min"}},
		{`{"probe":{"n":13,"r":[{"name":"a"}]}}`, true, nil},
		{`{"probe":{"n":13,"r":[{"name":"a"}]}}`, false, []string{"probe.n:constraint"}},
		{`{"probe":{"n":1,"r":[]}}`, false, []string{"probe.r:rows_min"}},
		{`{"probe":{"n":1,"r":[{"v":1}]}}`, false, []string{"probe.r[0].name:required"}},
		{`{"probe":{"n":1,"r":[{"v":1}]}}`, true, nil},
		{`{"probe":{"n":1,"show":true,"r":[{"name":"a"}]}}`, false, []string{"probe.dep:required"}},
		{`{"probe":{"n":1,"dep":4,"r":[{"name":"a"}]}}`, false, nil},
		{`{"probe":{"n":1,"show":false,"r":[{"name":"a"}]}}`, false, nil},
	}
	for _, c := range cases {
		_, errs := f.Validate([]byte(c.raw), Env{}, c.draft)
		if got := codes(errs); !slices.Equal(got, c.want) {
			t.Errorf("%s (draft=%v): %v, want %v", c.raw, c.draft, got, c.want)
		}
	}
}

func TestValidateComputesAndNormalises(t *testing.T) {
	f := probeForm(t)
	raw := `{"probe":{"n":7,"d":0.1,"total":999,"doubled":-1,"m":["z","x"],"r":[{"name":"甲","v":2,"v2":100},{"name":"乙","v":5}]}}`
	v, errs := f.Validate([]byte(raw), Env{}, false)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	want := map[string]any{
		"n": 7.0, "d": 0.1, "total": 7.1, "doubled": 14.0, "m": []any{"x", "z"},
		"r": []any{map[string]any{"name": "甲", "v": 2.0, "v2": 4.0}, map[string]any{"name": "乙", "v": 5.0, "v2": 10.0}},
	}
	if !reflect.DeepEqual(v["probe"], want) {
		t.Errorf("values\n got %#v\nwant %#v", v["probe"], want)
	}
	b, _ := json.Marshal(v)
	if _, errs := f.Validate(b, Env{}, false); len(errs) > 0 {
		t.Errorf("normalised values must validate again: %v", codes(errs))
	}
	res := f.Score(v, Env{})
	if len(res) != 1 || res[0].Status != Compliant {
		t.Errorf("score: %+v", res)
	}
	v["probe"]["n"] = 60.0
	if res := f.Score(v, Env{}); res[0].Status != Noncompliant || res[0].Reason.Zh != "整数 60 不小于 50" {
		t.Errorf("score: %+v", res)
	}
}

func TestOldFormVersionKeepsItsRules(t *testing.T) {
	old := probeForm(t)
	ind := probeIndicator()
	ind.Fields = append(ind.Fields, Field{ID: "added", Type: Integer, Label: Text{Zh: "新增", En: "Added"}, Required: true})
	newer, err := Generate(Plan{ID: "probe", Name: "probe", Items: []PlanItem{{Indicator: "probe"}}}, map[string]Indicator{"probe": ind}, Monthly, []string{Primary})
	if err != nil {
		t.Fatal(err)
	}
	if newer.Version == old.Version {
		t.Fatal("a changed definition must get a new version")
	}
	sub := []byte(`{"probe":{"n":1,"r":[{"name":"a"}]}}`)
	if _, errs := old.Validate(sub, Env{}, false); len(errs) > 0 {
		t.Errorf("old version: %v", codes(errs))
	}
	if _, errs := newer.Validate(sub, Env{}, false); !slices.Equal(codes(errs), []string{"probe.added:required"}) {
		t.Errorf("new version: %v", codes(errs))
	}
	if _, errs := old.Validate(sub, Env{}, false); len(errs) > 0 {
		t.Errorf("old version after the new one: %v", codes(errs))
	}
}

func TestBullyingZeroReport(t *testing.T) {
	f := soloForm(t, "bullying")
	base := map[string]any{"screening_done": true, "students_covered": 500, "classes_covered": 12,
		"found_physical": 0, "found_verbal": 0, "found_property": 0, "found_online": 0}
	try := func(vals map[string]any, school School) []string {
		raw, _ := json.Marshal(map[string]any{"bullying": vals})
		_, errs := f.Validate(raw, Env{School: school}, false)
		return codes(errs)
	}
	cases := []struct {
		vals   map[string]any
		school School
		want   []string
	}{
		{base, School{}, []string{"bullying.zero_report:required"}},
		{with(base, "zero_report", false), School{}, []string{"bullying.zero_report:constraint"}},
		{with(base, "zero_report", true), School{}, nil},
		{with(base, "zero_report", true), School{Students: 400}, []string{"bullying.students_covered:constraint"}},
		{with(base, "found_verbal", 2, "zero_report", true, "handled", 2, "escalated", 0), School{}, []string{"bullying.zero_report:not_relevant"}},
		{with(base, "found_verbal", 2, "handled", 3, "escalated", 0), School{}, []string{"bullying.handled:constraint"}},
		{with(base, "found_verbal", 2), School{}, []string{"bullying.handled:required", "bullying.escalated:required"}},
	}
	for _, c := range cases {
		if got := try(c.vals, c.school); !slices.Equal(got, c.want) {
			t.Errorf("%v: %v, want %v", c.vals, got, c.want)
		}
	}
}
