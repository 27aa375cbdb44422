package forms

import (
	"math"
	"slices"
	"testing"
)

func TestCheckIndicatorRejects(t *testing.T) {
	v := func(p string) map[string]any { return map[string]any{"var": p} }
	cases := []struct {
		name  string
		edit  func(*Indicator)
		field string
		code  string
	}{
		{"bad code", func(i *Indicator) { i.Code = "Probe-1" }, "code", "invalid"},
		{"empty code", func(i *Indicator) { i.Code = "" }, "code", "invalid"},
		{"unknown frequency", func(i *Indicator) { i.Frequency = "daily" }, "frequency", "frequency"},
		{"unknown stage", func(i *Indicator) { i.Stages = []string{"college"} }, "stages[0]", "stage"},
		{"no stage", func(i *Indicator) { i.Stages = nil }, "stages", "stage"},
		{"unknown type", func(i *Indicator) { i.Fields[0].Type = "number" }, "fields[0].type", "type"},
		{"bad field id", func(i *Indicator) { i.Fields[1].ID = "1d" }, "fields[1].id", "invalid"},
		{"dotted field id", func(i *Indicator) { i.Fields[1].ID = "a.b" }, "fields[1].id", "invalid"},
		{"reserved id", func(i *Indicator) { i.Fields[1].ID = "target" }, "fields[1].id", "reserved"},
		{"duplicate id", func(i *Indicator) { i.Fields[2].ID = "n" }, "fields[2].id", "duplicate"},
		{"duplicate id in a repeat", func(i *Indicator) { i.Fields[10].Fields[1].ID = "n" }, "fields[10].fields[1].id", "duplicate"},
		{"missing var", func(i *Indicator) { i.Fields[9].Relevant = v("shown") }, "fields[9].relevant", "unknown_var"},
		{"missing target", func(i *Indicator) {
			i.Fields[0].Constraints[0].Rule = map[string]any{"<": []any{v("n"), v("target.nope")}}
		}, "fields[0].constraints[0].rule", "unknown_var"},
		{"row var outside a row", func(i *Indicator) { i.Fields[9].Relevant = v("row.v") }, "fields[9].relevant", "unknown_var"},
		{"section var in a row", func(i *Indicator) { i.Fields[10].Fields[2].Compute = v("n") }, "fields[10].fields[2].compute", "unknown_var"},
		{"prev of unknown field", func(i *Indicator) { i.Compliance[0].Rule = map[string]any{"<": []any{v("n"), v("prev.zz")}} }, "compliance[0].rule", "unknown_var"},
		{"target inside filter", func(i *Indicator) {
			i.Fields[12].Compute = map[string]any{"filter": []any{v("r"), map[string]any{">": []any{v("v"), v("target.limit")}}}}
		}, "fields[12].compute", "unknown_var"},
		{"unknown operator", func(i *Indicator) { i.Fields[9].Relevant = map[string]any{"regex": []any{"a", "b"}} }, "fields[9].relevant", "rule"},
		{"two keys", func(i *Indicator) { i.Fields[9].Relevant = map[string]any{"var": "show", "!": true} }, "fields[9].relevant", "rule"},
		{"bad regex", func(i *Indicator) { i.Fields[7].Pattern = "([a-z" }, "fields[7].pattern", "pattern"},
		{"choice without options", func(i *Indicator) { i.Fields[4].Options = nil }, "fields[4].options", "options"},
		{"bad option value", func(i *Indicator) { i.Fields[4].Options[1].Value = "A B" }, "fields[4].options[1].value", "options"},
		{"empty column title", func(i *Indicator) { i.Fields[0].Column = &Text{En: "n"} }, "fields[0].column", "required"},
		{"min above max", func(i *Indicator) { i.Fields[0].Min = fp(5); i.Fields[0].Max = fp(1) }, "fields[0].min", "min_max"},
		{"repeat without maxRows", func(i *Indicator) { i.Fields[10].MaxRows = 0 }, "fields[10].maxRows", "rows"},
		{"computed without rule", func(i *Indicator) { i.Fields[11].Compute = nil }, "fields[11].compute", "required"},
		{"compute cycle", func(i *Indicator) {
			i.Fields[11].Compute = v("doubled")
			i.Fields[12].Compute = v("total")
		}, "fields[12].compute", "cycle"},
		{"field stage outside the indicator", func(i *Indicator) { i.Fields[0].Stages = []string{Senior} }, "fields[0].stages[0]", "stage"},
		{"undefined placeholder", func(i *Indicator) { i.Compliance[0].Reason.Zh = "{nope}" }, "compliance[0].reason", "placeholder"},
		{"duplicate rule id", func(i *Indicator) { i.Compliance = append(i.Compliance, i.Compliance[0]) }, "compliance[1].id", "invalid"},
		{"infinite target", func(i *Indicator) { i.Targets["limit"] = math.Inf(1) }, "targets.limit", "not_finite"},
	}
	for _, c := range cases {
		ind := probeIndicator()
		c.edit(&ind)
		errs := CheckIndicator(ind)
		found := false
		for _, e := range errs {
			if e.Field == c.field && e.Code == c.code {
				found = e.Message.Zh != "" && e.Message.En != ""
			}
		}
		if !found {
			t.Errorf("%s: errors %v, want %s:%s with zh+en message", c.name, codes(errs), c.field, c.code)
		}
	}
	if errs := CheckIndicator(probeIndicator()); len(errs) > 0 {
		t.Errorf("the unedited probe must be valid: %v", codes(errs))
	}
}

func TestCheckPlan(t *testing.T) {
	cat := mustCatalog(t)
	p := Plan{ID: "p", Items: []PlanItem{
		{Indicator: "canteen", Targets: map[string]float64{"sample_grams": 150}},
		{Indicator: "nope"},
		{Indicator: "canteen"},
		{Indicator: "lighting", Frequency: "daily"},
		{Indicator: "myopia", Targets: map[string]float64{"rate": 1, "decrease_pp": math.NaN()}},
	}}
	want := []string{
		"items[1].indicator:unknown_indicator", "items[2].indicator:duplicate", "items[3].frequency:frequency",
		"items[4].targets.decrease_pp:not_finite", "items[4].targets.rate:unknown_target",
	}
	if got := codes(CheckPlan(p, cat)); !slices.Equal(got, want) {
		t.Errorf("got %v\nwant %v", got, want)
	}
	if got := CheckPlan(testPlan(), cat); len(got) > 0 {
		t.Errorf("valid plan: %v", codes(got))
	}
}
