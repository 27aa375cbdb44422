package forms

import (
	"strings"
	"testing"
)

// Year-on-year targets read the same period of the previous year
// (prevYear.*), never the period before (prev.*).

func TestYearOnYearTargets(t *testing.T) {
	cat := mustCatalog(t)
	plan := Plan{ID: "yoy", Name: "yoy", Year: 2026, Items: []PlanItem{{Indicator: "fitness", Targets: map[string]float64{"increase_pp": 2}}}}
	fitness := mustGenerate(t, plan, cat["fitness"].Frequency, Primary)
	fit := func(good float64) map[string]any {
		return map[string]any{"tested": 100, "excellent": 10, "good": good, "passed": 80 - good, "failed": 10}
	}
	year := func(code string, v map[string]any) Env { return Env{PreviousYear: Values{code: v}} }
	cases := []struct {
		name   string
		vals   map[string]any
		env    Env
		status string
		reason string
	}{
		{"rose 2 points", fit(32), year("fitness", map[string]any{"good_rate": 40}), Compliant, ""},
		{"rose 1.9 points", fit(31), year("fitness", map[string]any{"good_rate": 39.1}), Noncompliant, "较上学年 39.1% 提高 1.9 个百分点，未达到 2 个百分点"},
		// Without last year's figure only the threshold is judged.
		{"first year", fit(32), Env{}, Compliant, ""},
		{"first year below threshold", fit(20), Env{}, Noncompliant, "优良率 30% 低于 40%"},
	}
	for _, c := range cases {
		res := fitness.Score(submit(t, fitness, "fitness", c.vals, c.env), c.env)[0]
		if res.Status != c.status || !strings.Contains(res.Reason.Zh, c.reason) {
			t.Errorf("%s: got %s %q, want %s containing %q", c.name, res.Status, res.Reason.Zh, c.status, c.reason)
		}
	}
}

// TestPrevYearComputed: a computed field reading prevYear.* is filled from
// last year's values when there are some, and left empty otherwise.
func TestPrevYearComputed(t *testing.T) {
	f := soloForm(t, "myopia")
	vals := map[string]any{"screening_date": "2026-10-12", "screened": 400, "myopic": 100}
	cases := []struct {
		name string
		env  Env
		want any
	}{
		{"last autumn", Env{PreviousYear: Values{"myopia": {"myopia_rate": 26.5}}}, -1.5},
		{"only last spring", Env{Previous: Values{"myopia": {"myopia_rate": 26.5}}}, nil},
		{"none", Env{}, nil},
	}
	for _, c := range cases {
		v := submit(t, f, "myopia", vals, c.env)
		if got := v["myopia"]["change_pp"]; got != c.want {
			t.Errorf("%s: change_pp = %v, want %v", c.name, got, c.want)
		}
	}
}

// TestPrevYearVariables: prevYear.<field> is known for the section's own
// fields only, like prev.<field>, and typed as the field.
func TestPrevYearVariables(t *testing.T) {
	v := func(p string) map[string]any { return map[string]any{"var": p} }
	cases := []struct {
		name string
		rule any
		want string // the error code on compliance[0].rule, "" when accepted
	}{
		{"own field", map[string]any{"<": []any{v("n"), v("prevYear.n")}}, ""},
		{"unknown field", map[string]any{"<": []any{v("n"), v("prevYear.zz")}}, "unknown_var"},
		{"another section's", map[string]any{"<": []any{v("n"), v("prevYear.canteen.meal_days")}}, "unknown_var"},
		{"typed as its field", map[string]any{"+": []any{v("prevYear.note"), 1}}, "rule"},
	}
	for _, c := range cases {
		ind := diffIndicator()
		ind.Compliance[0].Rule = normalize(c.rule)
		errs := CheckIndicator(ind)
		got := ""
		for _, e := range errs {
			if e.Field == "compliance[0].rule" {
				got = e.Code
			}
		}
		if got != c.want {
			t.Errorf("%s: error code %q, want %q (%v)", c.name, got, c.want, errs)
		}
	}
}
