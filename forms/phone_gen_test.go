package forms

import (
	"math"
	"math/rand/v2"
)

// The random rules and data of TestPhoneAgreesWithServer. Rules are built
// from every operator RULES.md lists, over the variables of diffIndicator
// where they stand (section, row, iteration bodies); most are well formed
// with operands of matching kinds, some are not (an operand of another
// kind, an argument that is not a list, a body that is a bare variable), so
// that CheckIndicator has shapes to refuse.

// diffIndicator has a field of every type, a repeat group and computed
// fields of each result type; its targets are limit and rate.
func diffIndicator() Indicator {
	v := func(p string) map[string]any { return map[string]any{"var": p} }
	f := func(id string, t FieldType) Field { return Field{ID: id, Type: t, Label: Text{Zh: id}} }
	opts := func(vals ...string) []Option {
		var out []Option
		for _, s := range vals {
			out = append(out, Option{Value: s, Label: Text{Zh: s}})
		}
		return out
	}
	computed := func(id string, rule any) Field { c := f(id, Computed); c.Compute = rule; return c }
	kind, tags, rTags := f("kind", Choice), f("tags", Multi), f("r_tags", Multi)
	kind.Options, tags.Options, rTags.Options = opts("a", "b", "c-d"), opts("x", "y", "z"), opts("x", "y", "z")
	rows := f("rows", Repeat)
	rows.MaxRows = 5
	rows.Fields = []Field{
		f("r_n", Integer), f("r_d", Decimal), f("r_ok", Boolean), f("r_name", String), rTags,
		computed("r_sum", map[string]any{"+": []any{v("row.r_n"), 1}}),
		computed("r_flag", map[string]any{">": []any{v("row.r_n"), 0}}),
	}
	return Indicator{
		Code: "diff", Name: Text{Zh: "对照"}, Frequency: Monthly, Stages: []string{Primary},
		Targets: map[string]float64{"limit": 10, "rate": 0.5},
		Fields: []Field{
			f("n", Integer), f("d", Decimal), f("p", Percent), f("ok", Boolean), kind, tags,
			f("day", Date), f("note", String), f("constructor", Integer), rows,
			computed("total", map[string]any{"+": []any{v("n"), v("d")}}),
			computed("passed", map[string]any{">=": []any{v("n"), v("target.limit")}}),
			computed("label", map[string]any{"cat": []any{v("kind"), "-", v("note")}}),
		},
		Compliance: []ComplianceRule{{ID: "probe", Rule: true, Reason: Text{Zh: "不达标"}}},
	}
}

// withRule places rule in the indicator: as its compliance rule (section
// scope) or as the constraint of the row field r_n (row scope).
func withRule(rule any, row bool) Indicator {
	ind := diffIndicator()
	if row {
		ind.Fields[9].Fields[0].Constraints = []Constraint{{Rule: rule, Message: Text{Zh: "不符"}}}
	} else {
		ind.Compliance[0].Rule = rule
	}
	return ind
}

// Kinds of generated expressions.
type gkind int

const (
	gBool gkind = iota
	gNum
	gStr
	gStrs // list of strings
	gNums // list of numbers
	gRows // list of repeat rows
	gAny
)

// gscope is what a generated expression may read where it stands.
type gscope struct {
	vars   map[gkind][]string // variables by kind
	elem   gkind              // kind of {"var": ""}, -1 when not readable
	inBody bool               // in the body of an iterating operator
}

var (
	sectionVars = map[gkind][]string{
		gNum:  {"n", "d", "p", "constructor", "total", "target.limit", "target.rate", "school.classrooms", "school.students", "prev.n", "prev.total", "prevYear.n", "prevYear.total"},
		gBool: {"ok", "passed", "school.public", "school.urban", "prev.ok", "prevYear.ok"},
		gStr:  {"kind", "day", "note", "label", "school.code", "prev.note", "prevYear.note"},
		gStrs: {"tags", "school.stages", "prev.tags", "prevYear.tags"},
		gRows: {"rows", "prev.rows", "prevYear.rows"},
	}
	rowVars = map[gkind][]string{
		gNum:  {"row.r_n", "row.r_d", "row.r_sum", "target.limit", "school.students"},
		gBool: {"row.r_ok", "row.r_flag", "school.public"},
		gStr:  {"row.r_name", "school.code"},
		gStrs: {"row.r_tags", "school.stages"},
	}
	rowBodyVars = map[gkind][]string{
		gNum: {"r_n", "r_d", "r_sum"}, gBool: {"r_ok", "r_flag"}, gStr: {"r_name"}, gStrs: {"r_tags"},
	}
	allOps = []string{"var", "missing", "==", "===", "!=", "!==", "!", "!!", "or", "and", "if", "<", "<=", ">", ">=",
		"+", "-", "*", "/", "%", "min", "max", "map", "filter", "reduce", "all", "some", "none", "merge", "in", "cat", "substr"}
	genStrs = []any{"a", "b", "c-d", "x", "", " ", "校园", "😀", "a😀b", "👍🏽", "𠀀字", "！", "ｘ", "Ab", "12", "1e3", "true", "2026-03-01", " pad "}
	genNums = []any{0.0, 1.0, -1.0, 2.0, 3.0, 10.0, 0.5, -2.5, 100.0, 1e300, 0.1, math.Copysign(0, -1)}
)

// ruleGen builds random rules; noisy is the chance (in percent) that a node
// is built without regard to kinds.
type ruleGen struct {
	r     *rand.Rand
	noisy int
}

func (g *ruleGen) pick(xs []any) any { return xs[g.r.IntN(len(xs))] }

// rule builds a rule for the section (row false) or a row field.
func (g *ruleGen) rule(row bool) any {
	sc := &gscope{vars: sectionVars, elem: -1}
	if row {
		sc = &gscope{vars: rowVars, elem: -1}
	}
	g.noisy = 0
	if g.r.IntN(4) == 0 {
		g.noisy = 12
	}
	want := []gkind{gBool, gBool, gBool, gNum, gNum, gStr, gStrs, gNums, gAny}[g.r.IntN(9)]
	return g.expr(want, sc, 4)
}

func (g *ruleGen) expr(want gkind, sc *gscope, depth int) any {
	if want == gAny {
		want = []gkind{gBool, gNum, gStr, gStrs, gNums, gRows}[g.r.IntN(6)]
	}
	if g.r.IntN(100) < g.noisy {
		return g.noise(sc, depth)
	}
	if depth <= 0 || g.r.IntN(4) == 0 {
		return g.leaf(want, sc)
	}
	d := depth - 1
	switch want {
	case gBool:
		return g.boolean(sc, d)
	case gNum:
		return g.number(sc, d)
	case gStr:
		return g.text(sc, d)
	case gStrs, gNums:
		return g.list(want, sc, d)
	case gRows:
		return g.iterate("filter", gRows, sc, d)
	}
	return g.leaf(want, sc)
}

func op(name string, args ...any) map[string]any { return map[string]any{name: args} }

func (g *ruleGen) args(n int, want gkind, sc *gscope, depth int) []any {
	out := make([]any, n)
	for i := range out {
		out[i] = g.expr(want, sc, depth)
	}
	return out
}

// operandKind is a kind for the operands of a comparison, now and then
// not the kind of the other operand.
func (g *ruleGen) operandKind(kinds ...gkind) (gkind, gkind) {
	k := kinds[g.r.IntN(len(kinds))]
	if g.r.IntN(8) == 0 {
		return k, []gkind{gBool, gNum, gStr, gStrs}[g.r.IntN(4)]
	}
	return k, k
}

func (g *ruleGen) boolean(sc *gscope, d int) any {
	switch g.r.IntN(12) {
	case 0, 1:
		a, b := g.operandKind(gNum, gStr, gBool)
		name := []string{"==", "!=", "===", "!=="}[g.r.IntN(4)]
		if g.r.IntN(6) == 0 {
			return op(name, g.expr(a, sc, d), g.pick([]any{nil, true, false, 1.0, 0.0}))
		}
		return op(name, g.expr(a, sc, d), g.expr(b, sc, d))
	case 2, 3:
		a, b := g.operandKind(gNum, gNum, gStr)
		name := []string{"<", "<=", ">", ">="}[g.r.IntN(4)]
		if g.r.IntN(4) == 0 {
			return op(name, g.expr(a, sc, d), g.expr(a, sc, d), g.expr(b, sc, d))
		}
		return op(name, g.expr(a, sc, d), g.expr(b, sc, d))
	case 4:
		return op([]string{"!", "!!"}[g.r.IntN(2)], g.expr(gAny, sc, d))
	case 5, 6:
		k := gBool
		if g.r.IntN(8) == 0 {
			k = gAny
		}
		return op([]string{"and", "or"}[g.r.IntN(2)], g.args(1+g.r.IntN(3), k, sc, d)...)
	case 7:
		switch g.r.IntN(5) {
		case 0, 1:
			return op("in", g.expr(gStr, sc, d), g.expr([]gkind{gStr, gStrs}[g.r.IntN(2)], sc, d))
		case 2:
			return op("in", g.expr(gBool, sc, d), []any{g.r.IntN(2) == 0})
		}
		return op("in", g.expr(gNum, sc, d), g.expr(gNums, sc, d))
	case 8, 9:
		return g.iterate([]string{"all", "some", "none"}[g.r.IntN(3)], gBool, sc, d)
	case 10:
		return g.cond(gBool, sc, d)
	}
	return g.reduce(gBool, sc, d)
}

func (g *ruleGen) number(sc *gscope, d int) any {
	switch g.r.IntN(10) {
	case 0, 1:
		return op([]string{"+", "*"}[g.r.IntN(2)], g.args(1+g.r.IntN(3), gNum, sc, d)...)
	case 2:
		return op("-", g.args(1+g.r.IntN(2), gNum, sc, d)...)
	case 3:
		return op([]string{"/", "%"}[g.r.IntN(2)], g.args(2, gNum, sc, d)...)
	case 4, 5:
		return op([]string{"min", "max"}[g.r.IntN(2)], g.args(1+g.r.IntN(3), gNum, sc, d)...)
	case 6, 7:
		return g.cond(gNum, sc, d)
	}
	return g.reduce(gNum, sc, d)
}

func (g *ruleGen) text(sc *gscope, d int) any {
	switch g.r.IntN(5) {
	case 0, 1:
		return op("cat", g.args(1+g.r.IntN(3), gStr, sc, d)...)
	case 2:
		args := []any{g.expr(gStr, sc, d), float64(g.r.IntN(9) - 4)}
		if g.r.IntN(2) == 0 {
			args = append(args, float64(g.r.IntN(9)-4))
		}
		return op("substr", args...)
	case 3:
		return g.cond(gStr, sc, d)
	}
	return g.reduce(gStr, sc, d)
}

func (g *ruleGen) list(want gkind, sc *gscope, d int) any {
	switch g.r.IntN(4) {
	case 0:
		elem := gStr
		if want == gNums {
			elem = gNum
		}
		return op("merge", g.expr(want, sc, d), g.expr(elem, sc, d))
	case 1:
		if want == gNums {
			return g.iterate("map", gNum, sc, d)
		}
		var paths []any
		for _, k := range []gkind{gNum, gStr, gBool} {
			if vs := sc.vars[k]; len(vs) > 0 && !sc.inBody {
				paths = append(paths, vs[g.r.IntN(len(vs))])
			}
		}
		if len(paths) == 0 {
			return g.leaf(want, sc)
		}
		return op("missing", paths...)
	}
	return g.iterate("filter", want, sc, d)
}

func (g *ruleGen) cond(want gkind, sc *gscope, d int) any {
	args := []any{g.expr(gAny, sc, d), g.expr(want, sc, d)}
	if g.r.IntN(3) == 0 {
		args = append(args, g.expr(gBool, sc, d), g.expr(want, sc, d))
	}
	var last any = g.expr(want, sc, d)
	if g.r.IntN(4) == 0 {
		last = nil
	}
	return op("if", append(args, last)...)
}

// iterate builds map, filter, all, some or none over a list the scope can
// read, with a body over one element.
func (g *ruleGen) iterate(name string, want gkind, sc *gscope, d int) any {
	subjKind := g.subjectKind(sc)
	if name == "filter" {
		subjKind = want
		if want == gRows && len(sc.vars[gRows]) == 0 {
			subjKind = gStrs
		}
	}
	subject := g.expr(subjKind, sc, d)
	body := &gscope{elem: elemKind[subjKind], inBody: true, vars: map[gkind][]string{}}
	if v, ok := subject.(map[string]any); ok && v["var"] == "rows" {
		body.vars = rowBodyVars
	}
	bodyKind := gBool
	if name == "map" {
		bodyKind = gNum
	}
	var b any
	if g.r.IntN(8) == 0 {
		b = g.leaf(bodyKind, body) // a bare variable or literal
	} else {
		b = g.expr(bodyKind, body, d)
	}
	return op(name, subject, b)
}

// elemKind is the kind of a list's elements; rows are objects, which
// rules do not read whole.
var elemKind = map[gkind]gkind{gStrs: gStr, gNums: gNum, gRows: -1}

// subjectKind is the kind of list to iterate: rows only where a repeat
// group is readable.
func (g *ruleGen) subjectKind(sc *gscope) gkind {
	if len(sc.vars[gRows]) > 0 && g.r.IntN(2) == 0 {
		return gRows
	}
	return []gkind{gStrs, gNums}[g.r.IntN(2)]
}

// reduce folds a list into want, from an initial value of that kind.
func (g *ruleGen) reduce(want gkind, sc *gscope, d int) any {
	subjKind := g.subjectKind(sc)
	subject := g.expr(subjKind, sc, d)
	body := &gscope{elem: -1, inBody: true, vars: map[gkind][]string{}}
	k := map[gkind]gkind{gNum: gNum, gBool: gBool, gStr: gStr}[want]
	body.vars[k] = []string{"accumulator"}
	switch subjKind {
	case gStrs:
		body.vars[gStr] = append(body.vars[gStr], "current")
	case gNums:
		body.vars[gNum] = append(body.vars[gNum], "current")
	case gRows:
		if v, ok := subject.(map[string]any); ok && v["var"] == "rows" {
			for kk, vs := range rowBodyVars {
				for _, p := range vs {
					body.vars[kk] = append(body.vars[kk], "current."+p)
				}
			}
		}
	}
	init := map[gkind][]any{gNum: {0.0, 1.0, -0.5}, gBool: {true, false}, gStr: {"", "s", "😀"}}[k]
	return op("reduce", subject, g.expr(want, body, d), g.pick(init))
}

// leaf is a variable or a literal of the kind.
func (g *ruleGen) leaf(want gkind, sc *gscope) any {
	if want == gAny {
		want = gkind(g.r.IntN(int(gAny)))
	}
	if want == gStr && sc.elem == gStr || want == gNum && sc.elem == gNum {
		if g.r.IntN(2) == 0 {
			return map[string]any{"var": ""}
		}
	}
	if vs := sc.vars[want]; len(vs) > 0 && g.r.IntN(5) > 0 {
		p := vs[g.r.IntN(len(vs))]
		switch g.r.IntN(5) {
		case 0:
			return map[string]any{"var": []any{p}}
		case 1:
			return map[string]any{"var": []any{p, g.literal(want)}}
		case 2:
			return map[string]any{"var": []any{p, nil}}
		}
		return map[string]any{"var": p}
	}
	return g.literal(want)
}

func (g *ruleGen) literal(want gkind) any {
	switch want {
	case gBool:
		return g.r.IntN(2) == 0
	case gNum:
		return g.pick(genNums)
	case gStr:
		return g.pick(genStrs)
	case gStrs:
		return []any{g.pick(genStrs), g.pick(genStrs)}
	case gNums:
		return []any{g.pick(genNums), g.pick(genNums)}
	}
	return []any{map[string]any{}, 1.0} // rows cannot be written: refused
}

// noise is an operator with arguments of any kind, sometimes not in a list.
func (g *ruleGen) noise(sc *gscope, depth int) any {
	name := allOps[g.r.IntN(len(allOps))]
	if depth <= 0 {
		return g.leaf(gAny, sc)
	}
	if name == "var" {
		return g.leaf(gAny, sc)
	}
	if g.r.IntN(3) == 0 {
		return map[string]any{name: g.expr(gAny, sc, depth-1)}
	}
	return op(name, g.args(g.r.IntN(4), gAny, sc, depth-1)...)
}
