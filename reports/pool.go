package reports

import (
	"github.com/tianbao-edu/tianbao/forms"
)

// headline is one of an indicator's computed figures (a total, a rate, an
// average), the figures a plan states its targets in.
type headline struct {
	field  *forms.Field
	num    any     // for a ratio: the numerator and denominator
	den    any     // expressions of its rule, over the section's answers
	factor float64 // and the constant it is scaled by (100 for a rate)
	ratio  bool
}

// headlines are the computed figures of a section.
func headlines(sec *section) []headline {
	var out []headline
	for _, f := range sec.fields.fields {
		if f.Type != forms.Computed {
			continue
		}
		h := headline{field: f}
		h.num, h.den, h.factor, h.ratio = ratioOf(f.Compute)
		if !h.ratio && !summable(*f) {
			continue
		}
		out = append(out, h)
	}
	return out
}

// summable tells whether a computed figure that is not a ratio adds up over
// schools: a count does; a rate, an average or a change in points (myopia's
// change on last year) does not, and a unit's row leaves it out rather than
// print a sum of percentages.
func summable(f forms.Field) bool {
	return f.Unit != "%" && f.Unit != "百分点" && f.Precision == 0
}

// ratioOf finds the ratio a rule computes: once an "if" guard and constant
// factors are taken away, one expression divided by another. Such figures
// add up over schools as Σ numerator ÷ Σ denominator (a district's
// myopia rate is its myopic students over its screened students), never as
// an average of the schools' rates.
func ratioOf(rule any) (num, den any, factor float64, ok bool) {
	factor = 1
	for range 8 {
		m, isMap := record(rule)
		if !isMap || len(m) != 1 {
			return nil, nil, 0, false
		}
		for op, raw := range m {
			args, _ := list(raw)
			switch {
			case op == "if" && len(args) == 3:
				rule = args[1]
			case op == "*" && len(args) == 2:
				if c, isNum := Number(args[1]); isNum {
					factor, rule = factor*c, args[0]
				} else if c, isNum := Number(args[0]); isNum {
					factor, rule = factor*c, args[1]
				} else {
					return nil, nil, 0, false
				}
			case op == "/" && len(args) == 2:
				return args[0], args[1], factor, true
			default:
				return nil, nil, 0, false
			}
		}
	}
	return nil, nil, 0, false
}

// arith evaluates the arithmetic of a rule over one section's answers:
// numbers, {"var": name} (with a default), +, -, * and /. Anything else,
// or an answer missing, is no value.
func arith(expr any, values map[string]any) (float64, bool) {
	if n, ok := Number(expr); ok {
		return n, true
	}
	m, ok := record(expr)
	if !ok || len(m) != 1 {
		return 0, false
	}
	for op, raw := range m {
		if op == "var" {
			name, def := raw, any(nil)
			if args, ok := list(raw); ok && len(args) > 0 {
				name = args[0]
				if len(args) > 1 {
					def = args[1]
				}
			}
			key, _ := name.(string)
			if v, ok := Number(values[key]); ok {
				return v, true
			}
			return Number(def)
		}
		args, ok := list(raw)
		if !ok || len(args) == 0 {
			return 0, false
		}
		acc, ok := arith(args[0], values)
		if !ok {
			return 0, false
		}
		if op == "-" && len(args) == 1 {
			return -acc, true
		}
		for _, a := range args[1:] {
			v, ok := arith(a, values)
			if !ok {
				return 0, false
			}
			switch op {
			case "+":
				acc += v
			case "-":
				acc -= v
			case "*":
				acc *= v
			case "/":
				if v == 0 {
					return 0, false
				}
				acc /= v
			default:
				return 0, false
			}
		}
		return acc, true
	}
	return 0, false
}

// pool adds up the headline figures of the schools of one unit.
type pool struct {
	num [][]float64 // per section, per headline: the sum, or the numerator's
	den [][]float64 // the denominators' sums of ratios
	n   [][]int     // schools counted
}

func newPool(heads [][]headline) *pool {
	p := &pool{num: make([][]float64, len(heads)), den: make([][]float64, len(heads)), n: make([][]int, len(heads))}
	for i, hs := range heads {
		p.num[i], p.den[i], p.n[i] = make([]float64, len(hs)), make([]float64, len(hs)), make([]int, len(hs))
	}
	return p
}

// reset empties the pool for another school.
func (p *pool) reset() {
	for i := range p.num {
		clear(p.num[i])
		clear(p.den[i])
		clear(p.n[i])
	}
}

// add counts one section's answers of a submitted school.
func (p *pool) add(sec int, heads []headline, values map[string]any) {
	for j, h := range heads {
		if h.ratio {
			a, okA := arith(h.num, values)
			b, okB := arith(h.den, values)
			if okA && okB {
				p.num[sec][j] += a
				p.den[sec][j] += b
				p.n[sec][j]++
			}
			continue
		}
		if v, ok := Number(values[h.field.ID]); ok {
			p.num[sec][j] += v
			p.n[sec][j]++
		}
	}
}

// value is a headline figure of the unit as stored (a rate in percent),
// false when no school gave it.
func (p *pool) value(sec, j int, h headline) (float64, bool) {
	if p.n[sec][j] == 0 {
		return 0, false
	}
	if !h.ratio {
		return p.num[sec][j], true
	}
	if p.den[sec][j] == 0 {
		return 0, false
	}
	return p.num[sec][j] / p.den[sec][j] * h.factor, true
}
