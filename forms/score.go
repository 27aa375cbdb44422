package forms

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

var (
	notReported     = Text{Zh: "未填报", En: "not reported"}
	nothingToAssess = Text{Zh: "缺少评价所需数据", En: "no data to assess"}
)

// Score decides each section's compliance for a submission's values: a
// section is noncompliant when one of its compliance rules evaluates falsy
// (the reasons of all failing rules, placeholders filled, joined), compliant
// when at least one rule holds and none fails, and not applicable when no
// rule could be evaluated (the values a rule reads are empty, e.g. no
// previous period) or the section was not filled in. Computed fields are
// recomputed from the values first, so that the verdict follows this
// form's version of the rules.
func (f *Form) Score(v Values, env Env) (results []Result) {
	c := f.compiled()
	school := schoolData(env.School)
	for _, cs := range c.sections {
		code := cs.sec.Indicator
		results = append(results, scoreSection(cs, v[code], school, earlier(env, code), explainedData(env, cs)))
	}
	return results
}

func scoreSection(cs *cSection, vals map[string]any, school map[string]any, past pastData, explained map[string]any) (res Result) {
	res = Result{Indicator: cs.sec.Indicator, Status: NotApplicable, Reason: notReported}
	defer func() {
		if recover() != nil {
			res = Result{Indicator: cs.sec.Indicator, Status: NotApplicable, Reason: nothingToAssess}
		}
	}()
	norm := vals
	if !isNormal(vals) {
		norm, _ = normalize(vals).(map[string]any)
	}
	if len(norm) == 0 {
		return res
	}
	var fr frame
	data := map[string]any{"target": cs.targets, "school": school, "prev": past.prev, "prevYear": past.year, "explained": explained}
	for _, cf := range cs.fields {
		if val, ok := norm[cf.f.ID]; ok && val != nil {
			data[cf.f.ID] = val
		}
		if cf.f.Type != Repeat {
			continue
		}
		rows, ok := data[cf.f.ID].([]any)
		if ok {
			rows = slices.Clone(rows) // rows are replaced below, never the caller's
			data[cf.f.ID] = rows
		}
		rdata := map[string]any{"target": cs.targets, "school": school}
		for i, r := range rows {
			row, ok := r.(map[string]any)
			if !ok {
				continue
			}
			row = copyMap(row)
			rdata["row"] = row
			runComputes(&fr, cf.rowComputes, row, rdata)
			rows[i] = row
		}
	}
	runComputes(&fr, cs.computes, data, data)
	var failed []Text
	passed := false
	for _, r := range cs.compliance {
		out, ok := r.rule.eval(&fr, data)
		switch {
		case !ok || out == nil:
		case truthy(out):
			passed = true
		default:
			failed = append(failed, fillReason(&fr, r, data))
		}
	}
	switch {
	case len(failed) > 0:
		return Result{Indicator: res.Indicator, Status: Noncompliant, Reason: joinTexts(failed)}
	case passed:
		return Result{Indicator: res.Indicator, Status: Compliant}
	}
	return Result{Indicator: res.Indicator, Status: NotApplicable, Reason: nothingToAssess}
}

// isNormal reports whether v already has the shapes normalize produces, so
// that it can be read without a copy.
func isNormal(v any) bool {
	switch x := v.(type) {
	case nil, bool, string, float64:
		return true
	case []any:
		for _, e := range x {
			if !isNormal(e) {
				return false
			}
		}
		return true
	case map[string]any:
		for _, e := range x {
			if !isNormal(e) {
				return false
			}
		}
		return true
	}
	return false
}

func copyMap(m map[string]any) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// fillReason replaces {name} placeholders with the rule's Vars, evaluated,
// or with the value of the variable path name.
func fillReason(fr *frame, r cCompliance, data map[string]any) Text {
	fill := func(s string) string {
		return placeholder.ReplaceAllStringFunc(s, func(m string) string {
			name := m[1 : len(m)-1]
			if expr, ok := r.vars[name]; ok {
				out, _ := expr.eval(fr, data)
				return formatValue(out)
			}
			return formatValue(lookup(data, name))
		})
	}
	return Text{Zh: fill(r.reason.Zh), En: fill(r.reason.En)}
}

// formatValue prints a value for a reason: numbers with at most two
// decimals, empty values as a dash.
func formatValue(v any) string {
	switch x := v.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return "—"
		}
		return strconv.FormatFloat(math.Round(x*100)/100+0, 'f', -1, 64)
	case string:
		return x
	case bool:
		return strconv.FormatBool(x)
	case []any:
		parts := make([]string, len(x))
		for i, e := range x {
			parts[i] = formatValue(e)
		}
		return strings.Join(parts, ", ")
	}
	return "—"
}
