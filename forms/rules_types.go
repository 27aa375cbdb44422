package forms

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
)

// The server (jsonlogic/v3, and the compiled rules that copy it) and the
// phone (json-logic-js) read many JSON Logic shapes differently: an argument
// that is not a list, == between a boolean and a number, a NaN's truth,
// arithmetic on texts or null, a body that is a bare variable, and more.
// CheckIndicator therefore types every rule and accepts only the grammar of
// RULES.md, on which the two agree (web/static/js/engine.js makes the
// phone's var, missing, comparisons, +, *, min, max, in, cat and substr
// read as the server's). TestPhoneAgreesWithServer holds both to it.

// tset is a set of the kinds a rule value may have.
type tset uint8

const (
	tNull tset = 1 << iota
	tBool
	tNum
	tStr
	tList
	tObj // a whole repeat row, which rules may not use
)

// typ is what a rule value may be where it stands.
type typ struct {
	set        tset
	nan, inf   bool // a number may be NaN, or infinite
	elem       tset // kinds of a list's elements: never null, never lists
	enan, einf bool // a number in the list may be NaN, or infinite
}

var (
	tyNull = typ{set: tNull}
	tyBool = typ{set: tBool}
	tyNum  = typ{set: tNum}
	tyStr  = typ{set: tStr}
)

func (t typ) is(s tset) bool  { return t.set == s }
func (t typ) has(s tset) bool { return t.set&s != 0 }

// plain is the kind of a value apart from null; single says it is one kind.
func (t typ) plain() tset   { return t.set &^ tNull }
func (t typ) single() bool  { return bits.OnesCount8(uint8(t.plain())) == 1 }
func (t typ) nullable() typ { t.set |= tNull; return t }

// element is the type of a list's elements.
func (t typ) element() typ { return typ{set: t.elem, nan: t.enan, inf: t.einf} }

func union(a, b typ) typ {
	return typ{set: a.set | b.set, nan: a.nan || b.nan, inf: a.inf || b.inf,
		elem: a.elem | b.elem, enan: a.enan || b.enan, einf: a.einf || b.einf}
}

var kindNames = []struct {
	s      tset
	zh, en string
}{{tNull, "空值", "null"}, {tBool, "布尔值", "a boolean"}, {tNum, "数字", "a number"}, {tStr, "文字", "a text"}, {tList, "列表", "a list"}}

// describe names a type for messages.
func describe(t typ) (zh, en string) {
	var zs, es []string
	for _, k := range kindNames {
		if t.has(k.s) {
			zs, es = append(zs, k.zh), append(es, k.en)
		}
	}
	return strings.Join(zs, "或"), strings.Join(es, " or ")
}

// tctx is where an expression stands.
type tctx struct {
	sc   *scope
	top  bool // outside iteration bodies, where plain variables are needed
	iter bool // in the body of map, filter, all, some or none
	elem typ  // {"var": ""} and current
	acc  typ  // accumulator
}

// typer types a rule, collecting what breaks the grammar.
type typer struct{ errs []Text }

func (c *typer) fail(zh, en string, args ...any) {
	c.errs = append(c.errs, Text{Zh: fmt.Sprintf(zh, args...), En: fmt.Sprintf(en, args...)})
}

// typeRule checks a rule that analyse found well formed against the
// grammar of RULES.md. It reports the first shape outside it: later ones
// often follow from that one.
func typeRule(rule any, sc *scope) (Text, bool) {
	c := &typer{}
	if _, ok := rule.([]any); ok {
		c.fail("规则须为运算或单个值，不能是列表", "a rule is an operation or a single value, not a list")
	} else {
		c.expr(rule, tctx{sc: sc, top: true}, 0)
	}
	if len(c.errs) == 0 {
		return Text{}, false
	}
	return c.errs[0], true
}

func (c *typer) expr(n any, x tctx, depth int) typ {
	if depth > 64 {
		return typ{}
	}
	switch v := n.(type) {
	case nil:
		return tyNull
	case bool:
		return tyBool
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			c.fail("规则中的数字须为有限值", "numbers in a rule must be finite")
		}
		return tyNum
	case string:
		return tyStr
	case []any:
		return c.literalList(v)
	case map[string]any:
		for op, raw := range v {
			return c.op(op, raw, x, depth+1)
		}
	}
	return typ{}
}

// literalList is a list written in the rule: numbers, texts or booleans,
// all of one kind.
func (c *typer) literalList(l []any) typ {
	t := typ{set: tList}
	for _, e := range l {
		switch e.(type) {
		case bool:
			t.elem |= tBool
		case float64:
			t.elem |= tNum
		case string:
			t.elem |= tStr
		default:
			c.fail("规则中的列表只能包含同一类的数字、文字或布尔值", "a list in a rule holds only numbers, texts or booleans, all of one kind")
			return t
		}
	}
	if bits.OnesCount8(uint8(t.elem)) > 1 {
		c.fail("规则中的列表只能包含同一类的数字、文字或布尔值", "a list in a rule holds only numbers, texts or booleans, all of one kind")
	}
	return t
}

// arity gives the argument counts each operator takes: at least min, at
// most max (-1: no limit), and for if an odd count.
var arity = map[string][2]int{
	"missing": {1, -1}, "==": {2, 2}, "!=": {2, 2}, "===": {2, 2}, "!==": {2, 2},
	"<": {2, 3}, "<=": {2, 3}, ">": {2, 2}, ">=": {2, 2}, "!": {1, 1}, "!!": {1, 1},
	"and": {1, -1}, "or": {1, -1}, "if": {3, -1}, "+": {1, -1}, "*": {1, -1}, "-": {1, 2},
	"/": {2, 2}, "%": {2, 2}, "min": {1, -1}, "max": {1, -1}, "map": {2, 2}, "filter": {2, 2},
	"all": {2, 2}, "some": {2, 2}, "none": {2, 2}, "reduce": {3, 3}, "merge": {1, -1},
	"in": {2, 2}, "cat": {1, -1}, "substr": {2, 3},
}

func (c *typer) op(op string, raw any, x tctx, depth int) typ {
	if op == "var" {
		return c.variable(raw, x)
	}
	args, isList := raw.([]any)
	if !isList {
		c.fail("“%[1]s”的参数须写成列表：{\"%[1]s\": [...]}", "the arguments of %[1]q must be a list: {\"%[1]s\": [...]}", op)
		return typ{}
	}
	lim := arity[op]
	if len(args) < lim[0] || lim[1] >= 0 && len(args) > lim[1] || op == "if" && len(args)%2 == 0 {
		c.arityError(op)
		return typ{}
	}
	switch op {
	case "missing":
		for _, a := range args {
			if _, ok := a.(string); !ok {
				c.fail("missing 的参数须为变量名", "missing takes variable names")
			}
		}
		return typ{set: tList, elem: tStr}
	case "map", "filter", "all", "some", "none":
		return c.iterate(op, args, x, depth)
	case "reduce":
		return c.reduce(args, x, depth)
	case "substr":
		return c.substr(args, x, depth)
	}
	ts := make([]typ, len(args))
	for i, a := range args {
		ts[i] = c.expr(a, x, depth)
	}
	switch op {
	case "==", "!=":
		return c.looseEquals(op, ts[0], ts[1])
	case "===", "!==":
		if ts[0].has(tList) || ts[1].has(tList) {
			c.fail("“%s”不能比较列表", "%q cannot compare lists", op)
		}
		return tyBool
	case "<", "<=", ">", ">=":
		return c.order(op, ts)
	case "!", "!!":
		c.truth(op, ts[0])
		return tyBool
	case "and", "or":
		for _, t := range ts {
			if !t.is(tBool) {
				zh, en := describe(t)
				c.fail("and/or 只能连接布尔值（比较的结果、是否项），不能连接%[1]s", "and/or join booleans (comparisons, yes/no fields), not %[2]s", zh, en)
				break
			}
		}
		return tyBool
	case "if":
		return c.cond(ts)
	case "+", "-", "*", "/", "%", "min", "max":
		return c.arith(op, ts)
	case "merge":
		return c.merge(ts)
	case "in":
		return c.in(ts[0], ts[1])
	}
	for _, t := range ts { // cat
		if !t.is(tStr) && !t.is(tStr|tNull) {
			zh, en := describe(t)
			c.fail("cat 只能连接文字，不能连接%[1]s", "cat joins texts, not %[2]s", zh, en)
		}
	}
	return tyStr
}

func (c *typer) arityError(op string) {
	lim := arity[op]
	switch {
	case op == "if":
		c.fail("if 的参数为：条件、值，可再接若干对条件、值，最后为其他情况的值（共奇数个，至少 3 个）", "if takes a condition and a value, more pairs if needed, and a last value for the other cases: an odd count, 3 or more")
	case lim[1] < 0:
		c.fail("“%s”至少需要 %d 个参数", "%q takes at least %d arguments", op, lim[0])
	case lim[0] == lim[1]:
		c.fail("“%s”需要 %d 个参数", "%q takes %d arguments", op, lim[0])
	default:
		c.fail("“%s”需要 %d 或 %d 个参数", "%q takes %d or %d arguments", op, lim[0], lim[1])
	}
}

// looseEquals: == and != compare two values of one kind, or any value
// with null; the engines coerce mixed kinds differently.
func (c *typer) looseEquals(op string, a, b typ) typ {
	pa, pb := a.plain(), b.plain()
	ok := (pa == 0 || pb == 0 || pa == pb && a.single()) && (pa|pb)&^(tBool|tNum|tStr) == 0
	if !ok {
		za, ea := describe(a)
		zb, eb := describe(b)
		c.fail("“%[1]s”只能比较同类的值（数字与数字、文字与文字、布尔值与布尔值），这里是%[2]s与%[3]s；要比较不同类的值请用“===”",
			"%[1]q compares values of one kind (numbers, texts or booleans), not %[4]s with %[5]s; use \"===\" to compare values of different kinds", op, za, zb, ea, eb)
	}
	return tyBool
}

// order: <, <=, > and >= compare numbers with numbers or texts with texts.
func (c *typer) order(op string, ts []typ) typ {
	if (op == ">" || op == ">=") && len(ts) == 3 {
		c.arityError(op)
	}
	want := ts[0].plain()
	for _, t := range ts {
		if !(t.is(tNum) || t.is(tStr)) || t.set != want {
			zh, en := describe(t)
			c.fail("“%[1]s”只能比较不为空的数字与数字或文字与文字，不能比较%[2]s", "%[1]q compares numbers with numbers or texts with texts, never empty, not %[3]s", op, zh, en)
			break
		}
	}
	return tyBool
}

// truth: the engines take a NaN's truth differently (the server true, the
// phone false).
func (c *typer) truth(where string, t typ) {
	if t.has(tNum) && t.nan {
		c.fail("“%s”不能取可能为 NaN 的数字（除法、取余的结果）的真假：请用比较，如 {\">\": [x, 0]}",
			"%q cannot take the truth of a number that may be NaN (a division or remainder): compare it instead, e.g. {\">\": [x, 0]}", where)
	}
}

func (c *typer) cond(ts []typ) typ {
	var out typ
	for i, t := range ts {
		if i%2 == 0 && i < len(ts)-1 {
			c.truth("if", t)
			continue
		}
		if t.has(tList) {
			c.fail("if 的取值不能是列表", "if cannot give a list")
		}
		out = union(out, t)
	}
	return out
}

func (c *typer) arith(op string, ts []typ) typ {
	out := typ{set: tNum}
	for _, t := range ts {
		if !t.is(tNum) {
			zh, en := describe(t)
			c.fail("“%[1]s”只能用于不为空的数字，不能用于%[2]s（是否项可写成 {\"if\": [{\"var\": \"x\"}, 1, 0]}）",
				"%[1]q takes numbers, never empty, not %[3]s (turn a boolean into a number with {\"if\": [{\"var\": \"x\"}, 1, 0]})", op, zh, en)
			return out
		}
		out = union(out, t)
	}
	switch {
	case op == "/":
		out.nan, out.inf = true, true
	case op == "%":
		out.nan, out.inf = true, false
	case op == "min" || op == "max" || len(ts) == 1:
	default: // + - * may overflow, and Inf-Inf or 0*Inf is NaN
		out.nan = out.nan || out.inf
		out.inf = true
	}
	return out
}

func (c *typer) merge(ts []typ) typ {
	out := typ{set: tList}
	for _, t := range ts {
		if t.has(tNull) {
			c.fail("merge 的参数不能为空值", "the arguments of merge cannot be empty (null)")
		}
		out = union(out, typ{elem: t.elem | t.plain()&^tList, enan: t.enan || t.nan, einf: t.einf || t.inf})
	}
	return out
}

// in finds a text in a text, or a value in a list of values of its kind.
func (c *typer) in(a, b typ) typ {
	ok := a.single() && !a.has(tNull|tList)
	if ok && a.is(tStr) {
		ok = b.plain()&^(tStr|tList) == 0 && b.elem&^tStr == 0 && !(b.has(tStr) && b.has(tList))
	} else if ok {
		ok = b.plain()&^tList == 0 && b.elem&^a.set == 0
	}
	if !ok {
		c.fail("in 须在文字中找文字，或在同类值的列表中找一个不为空的值", "in looks for a text in a text, or for a value (never empty) in a list of values of its kind")
	}
	return tyBool
}

// substr counts characters (code points) of a text from whole-number
// positions written in the rule; a negative length, which the server
// cannot always apply (it fails), is refused.
func (c *typer) substr(args []any, x tctx, depth int) typ {
	if t := c.expr(args[0], x, depth); !t.is(tStr) && !t.is(tStr|tNull) {
		zh, en := describe(t)
		c.fail("substr 只能截取文字，不能截取%[1]s", "substr takes a text, not %[2]s", zh, en)
	}
	for i, a := range args[1:] {
		if n, ok := a.(float64); !ok || n != math.Trunc(n) || math.Abs(n) > 1e6 || i == 1 && n < 0 {
			c.fail("substr 的起点（负数从末尾数起）和长度（不小于 0）须为写在规则中的整数",
				"the start (negative counts from the end) and the length (0 or more) of substr must be whole numbers written in the rule")
			break
		}
	}
	return tyStr
}
