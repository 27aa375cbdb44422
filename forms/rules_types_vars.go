package forms

import (
	"math"
	"strings"
)

// Typing of variables and of the operators that give their body one
// element: map, filter, all, some, none and reduce.

// typeEnv knows where each field of an indicator stands, to type the
// rules of computed fields (the type of their values) on demand.
type typeEnv struct {
	scopeOf map[*Field]*scope
	rows    map[*Field]*scope
	types   map[*Field]typ
	busy    map[*Field]bool
}

func newTypeEnv() *typeEnv {
	return &typeEnv{scopeOf: map[*Field]*scope{}, rows: map[*Field]*scope{}, types: map[*Field]typ{}, busy: map[*Field]bool{}}
}

// rowScope is the scope of the rules of a repeat group's fields.
func (e *typeEnv) rowScope(f *Field, targets map[string]float64) *scope {
	if sc := e.rows[f]; sc != nil {
		return sc
	}
	sc := &scope{row: map[string]*Field{}, targets: targets, school: true, env: e}
	for i := range f.Fields {
		if sc.row[f.Fields[i].ID] == nil {
			sc.row[f.Fields[i].ID] = &f.Fields[i]
		}
		e.scopeOf[&f.Fields[i]] = sc
	}
	e.rows[f] = sc
	return sc
}

// fieldType is the type of a field's value, null when it is empty.
func (e *typeEnv) fieldType(f *Field) typ {
	var t typ
	switch f.Type {
	case Integer, Decimal, Percent:
		t = tyNum
	case Boolean:
		t = tyBool
	case Choice, Date, String:
		t = tyStr
	case Multi:
		t = typ{set: tList, elem: tStr}
	case Repeat:
		t = typ{set: tList, elem: tObj}
	case Computed:
		t = e.computedType(f)
	}
	return t.nullable()
}

// computedType is what a computed field may hold: a finite number, a
// boolean or a text its rule gives (anything else leaves it empty).
func (e *typeEnv) computedType(f *Field) typ {
	if t, ok := e.types[f]; ok {
		return t
	}
	sc := e.scopeOf[f]
	if e.busy[f] || sc == nil || f.Compute == nil {
		return typ{set: tBool | tNum | tStr} // a cycle, reported elsewhere
	}
	rule := normalize(f.Compute)
	if len(analyse(rule, sc).errs) > 0 {
		return typ{set: tBool | tNum | tStr} // reported with the field
	}
	e.busy[f] = true
	c := &typer{}
	t := c.expr(rule, tctx{sc: sc, top: true}, 0)
	delete(e.busy, f)
	t = typ{set: t.set & (tBool | tNum | tStr)}
	e.types[f] = t
	return t
}

func (c *typer) variable(raw any, x tctx) typ {
	path, _ := raw.(string)
	var def any
	hasDef := false
	if a, ok := raw.([]any); ok { // analyse checked: a path, then maybe a default
		path, _ = a[0].(string)
		if path == "" {
			c.fail("元素须写成 {\"var\": \"\"}", "read the element as {\"var\": \"\"}")
			return typ{}
		}
		if len(a) == 2 {
			def, hasDef = a[1], true
		}
	}
	t := c.pathType(path, x)
	if t.has(tObj) {
		c.fail("规则不能读取整行：请读取行中的填报项（主体中直接写标识，reduce 中写 current.<标识>）",
			"a rule cannot read a whole row: read its fields (by id in a body, as current.<id> in reduce)")
		return typ{}
	}
	if !hasDef {
		if x.top && path != "" {
			t.set &^= tNull // needed: the rule is not evaluated when it is empty
		}
		return t
	}
	if x.iter {
		c.fail("map、filter、all、some、none 的主体中变量不能有默认值（服务器会在元素之外读取它）",
			"inside the body of map, filter, all, some and none a variable takes no default (the server would read it outside the element)")
		return typ{}
	}
	switch def.(type) {
	case nil:
		return t
	case bool, float64, string:
		d := c.expr(def, x, 0)
		if t.plain() != d.set {
			zh, en := describe(typ{set: t.plain()})
			c.fail("变量“%[1]s”的默认值须与其值同类：%[2]s", "the default of %[1]q must be %[3]s, like its value", path, zh, en)
		}
		t.set &^= tNull
		return t
	}
	c.fail("默认值须为数字、文字、布尔值或 null", "a default is a number, a text, a boolean or null")
	return typ{}
}

// pathType is the type of a variable path that analyse found in scope.
func (c *typer) pathType(p string, x tctx) typ {
	sc := x.sc
	env := sc.env
	if p == "" {
		return x.elem
	}
	if sc.reduce != nil {
		switch p {
		case "accumulator":
			return x.acc
		case "current":
			return x.elem
		}
		return env.fieldType(sc.reduce[strings.TrimPrefix(p, "current.")])
	}
	head, rest, dotted := strings.Cut(p, ".")
	switch {
	case !dotted:
		return env.fieldType(sc.fields[p])
	case head == "target":
		return tyNum
	case head == "school":
		switch rest {
		case "code":
			return tyStr
		case "stages":
			return typ{set: tList, elem: tStr}
		case "public", "urban":
			return tyBool
		}
		return tyNum
	case head == "prev" || head == "prevYear":
		return env.fieldType(sc.fields[rest])
	case head == "explained":
		return tyBool
	}
	return env.fieldType(sc.row[rest])
}

// bodyScope is the scope of the body of an iterating operator over
// subject, as analyse gives it.
func bodyScope(subject any, sc *scope, reduce bool) *scope {
	rows := repeatRows(subject, sc)
	switch {
	case reduce && rows == nil:
		return &scope{reduce: map[string]*Field{}, env: sc.env}
	case reduce:
		return &scope{reduce: rows, env: sc.env}
	case rows == nil:
		return &scope{element: true, env: sc.env}
	}
	return &scope{fields: rows, element: true, env: sc.env}
}

// list checks the subject of an iterating operator.
func (c *typer) list(op string, t typ) bool {
	if t.plain()&^tList != 0 {
		zh, en := describe(t)
		c.fail("“%[1]s”须遍历列表，不能遍历%[2]s", "%[1]q goes over a list, not %[3]s", op, zh, en)
		return false
	}
	return true
}

func (c *typer) iterate(op string, args []any, x tctx, depth int) typ {
	subj := c.expr(args[0], x, depth)
	if !c.list(op, subj) {
		return typ{}
	}
	if m, ok := args[1].(map[string]any); !ok || m["var"] != nil {
		c.fail("“%s”的主体须为运算（不能是单个变量或值），如 {\"==\": [{\"var\": \"x\"}, true]}",
			"the body of %q must be an operation, not a bare variable or value: e.g. {\"==\": [{\"var\": \"x\"}, true]}", op)
		return typ{}
	}
	body := c.expr(args[1], tctx{sc: bodyScope(args[0], x.sc, false), iter: true, elem: subj.element()}, depth)
	switch op {
	case "map":
		if !body.is(tNum) {
			zh, en := describe(body)
			c.fail("map 的主体须得出不为空的数字，不能是%[1]s", "the body of map must give a number, never empty, not %[2]s", zh, en)
		}
		return typ{set: tList, elem: tNum, enan: body.nan, einf: body.inf}
	case "filter":
		c.truth(op, body)
		return typ{set: tList, elem: subj.elem, enan: subj.enan, einf: subj.einf}
	}
	c.truth(op, body)
	return tyBool
}

func (c *typer) reduce(args []any, x tctx, depth int) typ {
	if x.iter {
		c.fail("reduce 不能写在 map、filter、all、some、none 的主体中", "reduce cannot stand in the body of map, filter, all, some or none")
		return typ{}
	}
	subj := c.expr(args[0], x, depth)
	if !c.list("reduce", subj) {
		return typ{}
	}
	init := c.expr(args[2], x, depth)
	if n, ok := args[2].(float64); subj.has(tNull) && (!ok || n != 0 || math.Signbit(n)) { // the server gives 0 for null
		c.fail("reduce 遍历的列表可能为空值时，初始值须为 0", "reduce over a list that may be empty (null) needs the initial value 0")
		return typ{}
	}
	if _, ok := args[1].(map[string]any); !ok {
		c.fail("reduce 的主体须为运算", "the body of reduce must be an operation")
		return typ{}
	}
	acc := init
	if acc.is(tNum) {
		acc.nan, acc.inf = true, true
	}
	body := c.expr(args[1], tctx{sc: bodyScope(args[0], x.sc, true), elem: subj.element(), acc: acc}, depth)
	if body.set != init.set {
		zh, en := describe(init)
		c.fail("reduce 的主体须与初始值同类，得出不为空的%[1]s", "the body of reduce must give %[2]s like its initial value, never empty", zh, en)
	}
	init.nan, init.inf = body.nan, body.inf
	return init
}
