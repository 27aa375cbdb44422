package forms

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// 陪餐 is per meal (学校食品安全与营养健康管理规定: a school leader at every
// meal): a school serving several meals a day reports each meal's count,
// and one that records one meal of three fails, naming the meals missed.

func boarding(served, accompanied map[string]int) map[string]any {
	v := with(canteenValues(), "accompany_days", nil, "meals", []any{})
	var meals []any
	for _, m := range []string{"breakfast", "lunch", "supper"} {
		if n, ok := served[m]; ok {
			meals = append(meals, m)
			v[m+"_served"] = n
			v[m+"_accompanied"] = accompanied[m]
		}
	}
	v["meals"] = meals
	return v
}

func TestMealsAccompanied(t *testing.T) {
	all := map[string]int{"breakfast": 20, "lunch": 20, "supper": 20}
	cases := []struct {
		name    string
		vals    map[string]any
		targets map[string]float64
		status  string
		reasons []string // in the Chinese reason
		absent  []string // not in it
		rate    any      // accompany_rate
	}{
		{name: "day school, every day", vals: canteenValues(), status: Compliant, rate: 100.0},
		{name: "day school, a day missed", vals: with(canteenValues(), "accompany_days", 19), status: Noncompliant,
			reasons: []string{"陪餐率 95% 低于 100%"}, rate: 95.0},
		{name: "boarding, every meal", vals: boarding(all, all), status: Compliant, rate: 100.0},
		{name: "boarding, one meal of three each day", vals: boarding(all, map[string]int{"lunch": 20}), status: Noncompliant,
			reasons: []string{"供应早餐 20 餐，20 餐无学校负责人陪餐记录", "供应晚餐 20 餐，20 餐无学校负责人陪餐记录"},
			absent:  []string{"午餐"}, rate: 33.3},
		{name: "boarding, one supper missed", vals: boarding(all, map[string]int{"breakfast": 20, "lunch": 20, "supper": 19}),
			status: Noncompliant, reasons: []string{"供应晚餐 20 餐，1 餐无学校负责人陪餐记录"}, absent: []string{"早餐", "午餐"}, rate: 98.3},
		{name: "two meals, lunch and supper", vals: boarding(map[string]int{"lunch": 20, "supper": 18}, map[string]int{"lunch": 20, "supper": 18}),
			status: Compliant, rate: 100.0},
		{name: "no supper served this month", vals: boarding(map[string]int{"breakfast": 20, "lunch": 20, "supper": 0}, map[string]int{"breakfast": 20, "lunch": 20}),
			status: Compliant, rate: 100.0},
		{name: "target 90%, 18 of 20 breakfasts", vals: boarding(all, map[string]int{"breakfast": 18, "lunch": 20, "supper": 20}),
			targets: map[string]float64{"accompany_rate": 90}, status: Compliant, rate: 96.7},
		{name: "target 90%, 17 of 20 breakfasts", vals: boarding(all, map[string]int{"breakfast": 17, "lunch": 20, "supper": 20}),
			targets: map[string]float64{"accompany_rate": 90}, status: Noncompliant, reasons: []string{"供应早餐 20 餐，3 餐无"}, rate: 95.0},
	}
	for _, c := range cases {
		plan := Plan{ID: "meals", Name: "meals", Year: 2026, Items: []PlanItem{{Indicator: "canteen", Targets: c.targets}}}
		f := mustGenerate(t, plan, Monthly, Primary)
		v := submit(t, f, "canteen", c.vals, Env{})
		res := f.Score(v, Env{})[0]
		if res.Status != c.status {
			t.Errorf("%s: %s %q, want %s", c.name, res.Status, res.Reason.Zh, c.status)
		}
		for _, r := range c.reasons {
			if !strings.Contains(res.Reason.Zh, r) {
				t.Errorf("%s: reason %q lacks %q", c.name, res.Reason.Zh, r)
			}
		}
		for _, r := range c.absent {
			if strings.Contains(res.Reason.Zh, r) {
				t.Errorf("%s: reason %q names %q", c.name, res.Reason.Zh, r)
			}
		}
		if got := v["canteen"]["accompany_rate"]; got != c.rate {
			t.Errorf("%s: accompany_rate %v, want %v", c.name, got, c.rate)
		}
	}
}

// TestMealFields: which meal questions a school answers follows the meals
// it serves; counts stay within the month.
func TestMealFields(t *testing.T) {
	f := soloForm(t, "canteen")
	all := map[string]int{"breakfast": 20, "lunch": 20, "supper": 20}
	cases := []struct {
		name string
		vals map[string]any
		want []string // field:code
	}{
		{"day school with breakfast counts", with(canteenValues(), "breakfast_served", 20, "breakfast_accompanied", 20),
			[]string{"canteen.breakfast_accompanied:not_relevant", "canteen.breakfast_served:not_relevant"}},
		{"boarding school with accompanied days", with(boarding(all, all), "accompany_days", 20), []string{"canteen.accompany_days:not_relevant"}},
		{"boarding school without supper counts", with(boarding(all, all), "supper_served", nil, "supper_accompanied", nil),
			[]string{"canteen.supper_accompanied:required", "canteen.supper_served:required"}},
		{"supper not served, counted", with(boarding(map[string]int{"breakfast": 20, "lunch": 20}, all), "supper_served", 20),
			[]string{"canteen.supper_served:not_relevant"}},
		{"more accompanied than served", boarding(all, map[string]int{"breakfast": 21, "lunch": 20, "supper": 20}),
			[]string{"canteen.breakfast_accompanied:constraint"}},
		{"more served than meal days", boarding(map[string]int{"breakfast": 22, "lunch": 20, "supper": 20}, all),
			[]string{"canteen.breakfast_served:constraint"}},
		{"meals not given", with(canteenValues(), "meals", nil), []string{"canteen.meals:required"}},
		{"meals not given, a breakfast counted", with(canteenValues(), "meals", nil, "breakfast_served", 20),
			[]string{"canteen.breakfast_served:not_relevant", "canteen.meals:required"}},
	}
	for _, c := range cases {
		raw, _ := json.Marshal(map[string]any{"canteen": c.vals})
		_, errs := f.Validate(raw, Env{}, false)
		got := codes(errs)
		slices.Sort(got)
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: errors %v, want %v", c.name, got, c.want)
		}
	}
}
