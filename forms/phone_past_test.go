package forms

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os/exec"
	"reflect"
	"slices"
	"testing"
)

// pastIndicator reads the previous period and the same period of the
// previous year in a constraint, a relevant rule and computed fields.
func pastIndicator() Indicator {
	v := func(p string) map[string]any { return map[string]any{"var": p} }
	return Indicator{
		Code: "trend", Name: Text{Zh: "变化"}, Frequency: Monthly, Stages: []string{Primary},
		Fields: []Field{
			{ID: "n", Type: Integer, Label: Text{Zh: "人数"}, Required: true, Min: fp(0), Max: fp(1000),
				Constraints: []Constraint{{Rule: map[string]any{"<=": []any{v("n"), map[string]any{"+": []any{v("prevYear.n"), 100}}}},
					Message: Text{Zh: "较上年同期增加不能超过 100", En: "at most 100 more than a year before"}}}},
			{ID: "why", Type: String, Label: Text{Zh: "增加原因"}, Required: true,
				Relevant: map[string]any{">": []any{v("n"), v("prevYear.n")}}},
			{ID: "year_change", Type: Computed, Label: Text{Zh: "较上年同期"}, Compute: map[string]any{"-": []any{v("n"), v("prevYear.n")}}},
			{ID: "change", Type: Computed, Label: Text{Zh: "较上期"}, Compute: map[string]any{"-": []any{v("n"), v("prev.n")}}},
		},
		Compliance: []ComplianceRule{{ID: "fell", Rule: map[string]any{"<": []any{v("n"), v("prevYear.n")}}, Reason: Text{Zh: "未下降"}}},
	}
}

// phoneCheck is the phone's check of one form, as the harness writes it.
type phoneCheck struct {
	Values   Values         `json:"values"`
	Computed map[string]any `json:"computed"`
	Hidden   map[string]any `json:"hidden"`
	Errors   []FieldError   `json:"errors"`
}

func phoneChecks(t *testing.T, lines []map[string]any) []phoneCheck {
	t.Helper()
	node := nodePath(t)
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, l := range lines {
		if err := enc.Encode(l); err != nil {
			t.Fatal(err)
		}
	}
	var stderr bytes.Buffer
	cmd := exec.Command(node, "testdata/phone_check.mjs")
	cmd.Stdin, cmd.Stderr = &in, &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node testdata/phone_check.mjs: %v\n%s", err, stderr.String())
	}
	var res []phoneCheck
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var c phoneCheck
		if err := dec.Decode(&c); err != nil {
			t.Fatal(err)
		}
		res = append(res, c)
	}
	if len(res) != len(lines) {
		t.Fatalf("the harness answered %d of %d cases", len(res), len(lines))
	}
	return res
}

func errorKeys(errs []FieldError) []string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field+":"+e.Code+":"+e.Message.Zh)
	}
	slices.Sort(out)
	return out
}

// TestPhoneChecksPast: the phone's check reads prev.* and prevYear.* from
// the school's earlier values as the server's Validate does: the same
// errors, the same fields shown, the same computed values.
func TestPhoneChecksPast(t *testing.T) {
	nodePath(t)
	ind := pastIndicator()
	if errs := CheckIndicator(ind); len(errs) > 0 {
		t.Fatalf("indicator: %v", errs)
	}
	form, err := Generate(Plan{ID: "p", Name: "p", Year: 2026, Items: []PlanItem{{Indicator: "trend"}}},
		map[string]Indicator{"trend": ind}, Monthly, []string{Primary})
	if err != nil {
		t.Fatal(err)
	}
	school := School{Code: "0999901004", Stages: []string{Primary}, Students: 800}
	past := func(prev, year any) Env {
		e := Env{School: school}
		if prev != nil {
			e.Previous = Values{"trend": {"n": prev}}
		}
		if year != nil {
			e.PreviousYear = Values{"trend": {"n": year}}
		}
		return e
	}
	cases := []struct {
		name string
		raw  map[string]any
		env  Env
		// what the server must find, so that agreement is not agreement on nothing
		errs []string
		year any
	}{
		{"no history", map[string]any{"n": 500}, past(nil, nil), nil, nil},
		{"last year only, more", map[string]any{"n": 500}, past(nil, 450.0), []string{"trend.why:required"}, 50.0},
		{"last year only, explained", map[string]any{"n": 500, "why": "扩招"}, past(nil, 450.0), nil, 50.0},
		{"too many more than last year", map[string]any{"n": 600, "why": "扩招"}, past(nil, 450.0), []string{"trend.n:constraint"}, 150.0},
		// Without last year's value the rule reading it is unknown: the
		// field is shown but optional.
		{"last period only", map[string]any{"n": 600}, past(590.0, nil), nil, nil},
		{"both, fewer than last year", map[string]any{"n": 400}, past(380.0, 450.0), nil, -50.0},
	}
	var lines []map[string]any
	var server []struct {
		vals Values
		errs []FieldError
	}
	for _, c := range cases {
		raw, _ := json.Marshal(map[string]any{"trend": c.raw})
		vals, errs := form.Validate(raw, c.env, false)
		var got []string
		for _, e := range errs {
			got = append(got, e.Field+":"+e.Code)
		}
		if !slices.Equal(got, c.errs) {
			t.Errorf("%s: server errors %v, want %v", c.name, got, c.errs)
		}
		if y := vals["trend"]["year_change"]; fmt.Sprint(y) != fmt.Sprint(c.year) && !(y == nil && c.year == nil) {
			t.Errorf("%s: server year_change %v, want %v", c.name, y, c.year)
		}
		server = append(server, struct {
			vals Values
			errs []FieldError
		}{vals, errs})
		lines = append(lines, map[string]any{"form": form, "raw": map[string]any{"trend": c.raw}, "school": schoolData(school),
			"draft": false, "past": map[string]any{"previous": c.env.Previous, "previousYear": c.env.PreviousYear}})
	}
	phone := phoneChecks(t, lines)
	for i, c := range cases {
		if p, s := errorKeys(phone[i].Errors), errorKeys(server[i].errs); !reflect.DeepEqual(p, s) {
			t.Errorf("%s: phone errors %v, server %v", c.name, p, s)
		}
		for _, id := range []string{"year_change", "change"} {
			p, s := phone[i].Computed["trend."+id], server[i].vals["trend"][id]
			if fmt.Sprint(p) != fmt.Sprint(s) {
				t.Errorf("%s: %s phone %v, server %v", c.name, id, p, s)
			}
		}
	}
}
