package forms

import (
	"math/rand/v2"
	"slices"
)

// Random data of the kinds forms gives rules: numbers (whole, fractional,
// negative, huge), texts of CJK and emoji, booleans, lists, rows; values
// left out or null.

var (
	dataInts  = []any{0.0, 1.0, -1.0, 2.0, 3.0, 7.0, 10.0, 100.0, -25.0, 9007199254740992.0}
	dataDecs  = []any{0.0, 0.1, 0.2, 0.3, 2.5, -0.5, 1e-7, 33.33, 1e21, 1e300, -1e300, 12.0}
	dataTexts = []any{"校园", "😀", "a😀b", "👍🏽", "𠀀字", "！", "abc", "Ab", "12", "1e3", "true", "0x10", "Infinity", "ｘ", "a b", "naïve"}
	dataCStrs = append([]any{"", " a ", "x"}, dataTexts...)
)

type dataGen struct{ r *rand.Rand }

func (g *dataGen) pick(xs []any) any { return xs[g.r.IntN(len(xs))] }

// value is a random value of a field, nil for an empty one.
func (g *dataGen) value(f *Field) any {
	if g.r.IntN(7) == 0 {
		return nil
	}
	switch f.Type {
	case Integer:
		return g.pick(dataInts)
	case Decimal:
		return g.pick(dataDecs)
	case Percent:
		return g.pick([]any{0.0, 50.0, 99.5, 100.0, 0.01})
	case Boolean:
		return g.r.IntN(2) == 0
	case Choice:
		return f.Options[g.r.IntN(len(f.Options))].Value
	case Multi:
		var out []any
		for _, o := range f.Options {
			if g.r.IntN(2) == 0 {
				out = append(out, o.Value)
			}
		}
		if len(out) == 0 {
			return nil
		}
		return out
	case Date:
		return g.pick([]any{"2026-03-01", "2025-12-31", "2026-03-10"})
	case String:
		return g.pick(dataTexts)
	case Repeat:
		rows := make([]any, g.r.IntN(4))
		for i := range rows {
			rows[i] = g.object(f.Fields)
		}
		return rows
	case Computed:
		switch f.ID {
		case "total", "r_sum":
			return g.pick(append(slices.Clone(dataInts), dataDecs...))
		case "passed", "r_flag":
			return g.r.IntN(2) == 0
		}
		return g.pick(dataCStrs)
	}
	return nil
}

// object holds values of fields, some left out and a few null.
func (g *dataGen) object(fields []Field) map[string]any {
	m := map[string]any{}
	for i := range fields {
		v := g.value(&fields[i])
		switch {
		case v != nil:
			m[fields[i].ID] = v
		case g.r.IntN(4) == 0:
			m[fields[i].ID] = nil
		}
	}
	return m
}

// data is the rule data of a section or of a row of "rows".
func (g *dataGen) data(ind Indicator, row bool) map[string]any {
	var stages []any
	for _, s := range []string{Kindergarten, Primary, Junior} {
		if g.r.IntN(2) == 0 {
			stages = append(stages, s)
		}
	}
	if stages == nil {
		stages = []any{}
	}
	school := map[string]any{
		"code": g.pick([]any{"", "0999901004", "校"}), "stages": stages,
		"classrooms": g.pick([]any{0.0, 12.0, 800.0}), "students": g.pick([]any{0.0, 12.0, 800.0}),
		"public": g.r.IntN(2) == 0, "urban": g.r.IntN(2) == 0,
	}
	target := map[string]any{"limit": g.pick([]any{0.0, 10.0, -3.0, 0.5}), "rate": g.pick([]any{0.5, 95.0, 0.0})}
	if row {
		return map[string]any{"row": g.object(ind.Fields[9].Fields), "target": target, "school": school}
	}
	data := g.object(ind.Fields)
	data["target"], data["school"] = target, school
	for _, past := range []string{"prev", "prevYear"} {
		data[past] = map[string]any{}
		if g.r.IntN(2) == 0 {
			data[past] = g.object(ind.Fields)
		}
	}
	return data
}
