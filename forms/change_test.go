package forms

import (
	"bytes"
	"encoding/json"
	"reflect"
	"testing"
)

// changeForm has a number for each way of declaring a change, a group of
// classrooms and a date held within the period; the rate's label has no
// English, which then falls back to the Chinese.
func changeForm(t *testing.T) *Form {
	t.Helper()
	ind := Indicator{
		Code: "moves", Name: Text{Zh: "变化"}, Category: "test", Frequency: Monthly, Stages: []string{Primary}, Source: "test",
		Fields: []Field{
			{ID: "days", Type: Integer, Label: Text{Zh: "陪餐天数", En: "Days accompanied"}, Min: fp(0), Max: fp(31), Change: &Change{Floor: 2}},
			{ID: "staff", Type: Integer, Label: Text{Zh: "人数", En: "Staff"}, Min: fp(0), Max: fp(500), Change: &Change{Method: Relative, Limit: 0.2}},
			{ID: "rate", Type: Decimal, Label: Text{Zh: "比率"}, Precision: 1, Min: fp(0), Max: fp(100), Change: &Change{Method: Absolute, Limit: 5}},
			{ID: "rooms", Type: Repeat, Label: Text{Zh: "教室", En: "Classrooms"}, MaxRows: 50, Rooms: true,
				Fields: []Field{{ID: "name", Type: String, Label: Text{Zh: "名称"}, Carry: true}}},
			{ID: "held", Type: Date, Label: Text{Zh: "筛查日期", En: "Screening date"}, Within: &Window{Grace: 31}},
		},
	}
	if errs := CheckIndicator(ind); len(errs) > 0 {
		t.Fatal(errs)
	}
	f, err := Generate(Plan{ID: "p", Name: "p", Year: 2026, Items: []PlanItem{{Indicator: "moves"}}},
		map[string]Indicator{"moves": ind}, Monthly, []string{Primary})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// hist is a history of one section's values, the previous period first; a
// nil number is a period without a report.
func hist(field string, vals ...any) []Values {
	out := make([]Values, len(vals))
	for i, v := range vals {
		if v != nil {
			out[i] = Values{"moves": {field: v}}
		}
	}
	return out
}

type changeCase struct {
	name    string
	values  map[string]any
	history []Values
	rooms   int
	want    []string // field:low:high of the anomalies
}

var changeCases = []changeCase{
	{"no history", map[string]any{"days": 2.0}, nil, 0, nil},
	{"first period after a gap", map[string]any{"days": 2.0}, hist("days", nil, 21.0), 0, nil},
	// one earlier period: ±50 % of it, at least the floor
	{"fallback at the low edge", map[string]any{"days": 11.0}, hist("days", 22.0), 0, nil},
	{"fallback just below", map[string]any{"days": 10.0}, hist("days", 21.0), 0, []string{"moves.days:10.5:31.5"}},
	{"fallback at the high edge", map[string]any{"days": 31.0}, hist("days", 21.0), 0, nil},
	{"21 then 2", map[string]any{"days": 2.0}, hist("days", 21.0), 0, []string{"moves.days:10.5:31.5"}},
	{"floor wins for small numbers", map[string]any{"days": 4.0}, hist("days", 2.0), 0, nil},
	{"floor exceeded", map[string]any{"days": 5.0}, hist("days", 2.0), 0, []string{"moves.days:0:4"}},
	{"three periods still fall back", map[string]any{"days": 10.0}, hist("days", 21.0, 21.0, 21.0), 0, []string{"moves.days:10.5:31.5"}},
	// four or more: median ± 3.5 × 1.4826 × MAD, at least the floor
	{"robust inside", map[string]any{"days": 23.0}, hist("days", 20.0, 21.0, 22.0, 21.0), 0, nil},
	{"robust above", map[string]any{"days": 24.0}, hist("days", 20.0, 21.0, 22.0, 21.0), 0, []string{"moves.days:18.41:23.59"}},
	{"robust below", map[string]any{"days": 18.0}, hist("days", 20.0, 21.0, 22.0, 21.0), 0, []string{"moves.days:18.41:23.59"}},
	{"robust without spread uses the floor", map[string]any{"days": 22.0}, hist("days", 20.0, 20.0, 20.0, 20.0), 0, nil},
	{"robust without spread, beyond the floor", map[string]any{"days": 23.0}, hist("days", 20.0, 20.0, 20.0, 20.0), 0, []string{"moves.days:18:22"}},
	{"robust skips a missing period", map[string]any{"days": 30.0}, hist("days", nil, 20.0, 21.0, 22.0, 21.0), 0, []string{"moves.days:18.41:23.59"}},
	{"robust reads six periods only", map[string]any{"days": 5.0}, hist("days", 5.0, 5.0, 5.0, 20.0, 20.0, 20.0, 20.0, 20.0, 20.0), 0, nil},
	{"no previous period and a short history", map[string]any{"days": 30.0}, hist("days", nil, 20.0, 21.0), 0, nil},
	{"relative 20 % edge", map[string]any{"staff": 12.0}, hist("staff", 10.0), 0, nil},
	{"relative 20 % beyond", map[string]any{"staff": 13.0}, hist("staff", 10.0), 0, []string{"moves.staff:8:12"}},
	{"relative from zero", map[string]any{"staff": 1.0}, hist("staff", 0.0), 0, []string{"moves.staff:0:0"}},
	{"absolute edge", map[string]any{"rate": 15.0}, hist("rate", 10.0), 0, nil},
	{"absolute beyond", map[string]any{"rate": 4.9}, hist("rate", 10.0), 0, []string{"moves.rate:5:15"}},
	{"fewer rooms than registered", map[string]any{"rooms": []any{map[string]any{"name": "1班"}, map[string]any{"name": "2班"}}}, nil, 12, []string{"moves.rooms:12:12"}},
	{"as many rooms as registered", map[string]any{"rooms": []any{map[string]any{"name": "1班"}}}, nil, 1, nil},
	{"no classrooms registered", map[string]any{"rooms": []any{map[string]any{"name": "1班"}}}, nil, 0, nil},
}

func anomalyKeys(as []Anomaly) []string {
	var out []string
	for _, a := range as {
		out = append(out, a.Field+":"+num(a.Low)+":"+num(a.High))
	}
	return out
}

// TestChanges checks the ranges at their edges on the server.
func TestChanges(t *testing.T) {
	f := changeForm(t)
	for _, c := range changeCases {
		t.Run(c.name, func(t *testing.T) {
			env := Env{School: School{Classrooms: c.rooms}, History: c.history}
			if got := anomalyKeys(f.Anomalies(Values{"moves": c.values}, env)); !reflect.DeepEqual(got, c.want) {
				t.Errorf("anomalies %v, want %v", got, c.want)
			}
		})
	}
}

func TestExplained(t *testing.T) {
	as := []Anomaly{{Field: "moves.days", Kind: "change", Label: Text{Zh: "陪餐天数"}, Value: 2, Low: 10.5, High: 31.5, Previous: []float64{21}}}
	_, errs := Explained(as, map[string]string{"moves.days": "  "}, false)
	if len(errs) != 1 || errs[0].Field != "moves.days" || errs[0].Code != "explain" ||
		errs[0].Message.Zh != "陪餐天数为 2，超出本校往期的常见范围 10.5–31.5（往期：21），请填写说明" {
		t.Fatalf("a blank explanation: %+v", errs)
	}
	if _, errs := Explained(as, nil, true); len(errs) != 0 {
		t.Fatalf("a draft needs no explanation: %+v", errs)
	}
	got, errs := Explained(as, map[string]string{"moves.days": " 寒假 ", "moves.staff": "x"}, false)
	if len(errs) != 0 || got[0].Explanation != "寒假" {
		t.Fatalf("explained: %+v %+v", got, errs)
	}
	long := string(bytes.Repeat([]byte("说"), MaxExplanation+1))
	if _, errs := Explained(as, map[string]string{"moves.days": long}, false); len(errs) != 1 || errs[0].Code != "max_length" {
		t.Fatalf("too long: %+v", errs)
	}
}

// dateCases check a date held within 2026-T2 (August to December) with a
// grace of 31 days, on 2 December 2026 unless today says otherwise.
var dateCases = []struct {
	date, today, code string
}{
	{"2026-06-30", "", "period"},
	{"2026-07-01", "", ""},
	{"2026-12-02", "", ""},
	{"2026-12-03", "", "future"},
	{"2027-03-01", "", "future"},
	{"2027-01-31", "2027-06-30", ""},
	{"2027-02-01", "2027-06-30", "period"},
	{"2026-02-30", "", "date"},
}

// termSpan is 2026-T2 on the day a date case is checked.
func termSpan(today string) Span {
	if today == "" {
		today = "2026-12-02"
	}
	return Span{Start: "2026-08-01", End: "2026-12-31", Today: today}
}

func TestDatesWithinPeriod(t *testing.T) {
	f := changeForm(t)
	for _, c := range dateCases {
		raw, _ := json.Marshal(Values{"moves": {"held": c.date}})
		_, errs := f.Validate(raw, Env{Period: termSpan(c.today)}, false)
		var got string
		if len(errs) > 0 {
			got = errs[0].Code
		}
		if got != c.code {
			t.Errorf("%s on %s: %v, want %q", c.date, c.today, errs, c.code)
		}
	}
	raw, _ := json.Marshal(Values{"moves": {"held": "2027-02-01"}})
	if _, errs := f.Validate(raw, Env{Period: termSpan("2027-06-30")}, false); len(errs) != 1 || errs[0].Code != "period" ||
		errs[0].Message.Zh != "筛查日期须在本期 2026-07-01 至 2027-01-31 之间" {
		t.Errorf("a month past the grace: %+v", errs)
	}
}

// TestRateOverRegisteredRooms: two measured classrooms of twelve
// registered count as two of twelve unless explained, on both sides.
func TestRateOverRegisteredRooms(t *testing.T) {
	f := soloForm(t, "lighting")
	row := map[string]any{"name": "一班", "desk_lux": 320.5, "desk_uniformity": 0.75, "board_lamps": true, "board_lux": 520,
		"board_uniformity": 0.82, "cct": 4500, "ra": 85, "ugr": 17, "lpd": 9.5}
	vals := map[string]any{"classrooms": []any{row, row}}
	school := School{Code: "0100001001", Stages: []string{Primary}, Classrooms: 12}
	cases := []struct {
		explained bool
		rate      float64
		status    string
	}{{false, 16.7, Noncompliant}, {true, 100, Compliant}}
	var lines []map[string]any
	for _, c := range cases {
		env := Env{School: school, Explained: map[string]bool{"lighting.classrooms": c.explained}}
		v := submit(t, f, "lighting", vals, env)
		if got := v["lighting"]["compliance_rate"]; got != c.rate {
			t.Errorf("explained %v: rate %v, want %v", c.explained, got, c.rate)
		}
		if res := f.Score(v, env); res[0].Status != c.status {
			t.Errorf("explained %v: %+v", c.explained, res)
		}
		raw, _ := json.Marshal(Values{"lighting": vals})
		var rawm map[string]any
		_ = json.Unmarshal(raw, &rawm)
		lines = append(lines, map[string]any{"form": f, "raw": rawm, "school": schoolData(school), "draft": false,
			"past": map[string]any{"explained": map[string]bool{"lighting.classrooms": c.explained}}})
	}
	for i, got := range phoneChecks(t, lines) {
		if got.Computed["lighting.compliance_rate"] != cases[i].rate {
			t.Errorf("phone, explained %v: rate %v, want %v", cases[i].explained, got.Computed["lighting.compliance_rate"], cases[i].rate)
		}
	}
}

// TestDeclarationsChecked: change, within, rooms and carry only where they
// mean something.
func TestDeclarationsChecked(t *testing.T) {
	ind := Indicator{
		Code: "bad", Name: Text{Zh: "错"}, Category: "test", Frequency: Monthly, Stages: []string{Primary}, Source: "test",
		Fields: []Field{
			{ID: "name", Type: String, Label: Text{Zh: "名称"}, Change: &Change{}},
			{ID: "n", Type: Integer, Label: Text{Zh: "数"}, Change: &Change{Method: "mean"}, Within: &Window{}, Rooms: true},
			{ID: "m", Type: Integer, Label: Text{Zh: "数"}, Change: &Change{Method: Absolute}},
			{ID: "d", Type: Date, Label: Text{Zh: "日期"}, Within: &Window{Grace: 400}},
			{ID: "rows", Type: Repeat, Label: Text{Zh: "行"}, MaxRows: 5,
				Fields: []Field{{ID: "x", Type: Integer, Label: Text{Zh: "数"}, Change: &Change{}}}},
		},
	}
	got := codes(CheckIndicator(ind))
	want := []string{"fields[0].change:change", "fields[1].change:option", "fields[1].within:within", "fields[1].rooms:rooms",
		"fields[2].change:limit", "fields[3].within.grace:grace", "fields[4].fields[0].change:change"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("problems\n got %v\nwant %v", got, want)
	}
}
