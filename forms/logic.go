package forms

import "slices"

// The rules of a compiled form are turned into trees of Go closures that
// give exactly the results of jsonlogic/v3 (quirks included, see
// logic_ops.go) without its reflection and allocations. Only the operators
// and shapes the catalog uses are compiled; a rule holding anything else is
// left to the library, and a compiled rule that meets a value it does not
// handle at run time (or one on which the library would fail) bails out,
// and the library evaluates the whole rule instead. Rules are pure, so the
// fallback gives the library's answer, failures included.

// kind is the type of a rule value: one per type that rule data holds.
type kind uint8

const (
	kNil kind = iota
	kBool
	kNum
	kStr
	kList
	kMap
)

// val is a rule value held without boxing numbers and booleans.
type val struct {
	k kind
	b bool
	n float64
	s string
	x any // []any or map[string]any
}

func fromAny(x any) (val, bool) {
	switch v := x.(type) {
	case nil:
		return val{}, true
	case bool:
		return val{k: kBool, b: v}, true
	case float64:
		return val{k: kNum, n: v}, true
	case string:
		return val{k: kStr, s: v}, true
	case []any:
		return val{k: kList, x: v}, true
	case map[string]any:
		return val{k: kMap, x: v}, true
	}
	return val{}, false
}

func (v val) toAny() any {
	switch v.k {
	case kBool:
		return v.b
	case kNum:
		return v.n
	case kStr:
		return v.s
	case kList, kMap:
		return v.x
	}
	return nil
}

// frame is the data a rule reads: the rule data of a section or row, or
// the context jsonlogic/v3 gives the body of a reduce.
type frame struct {
	m       map[string]any
	red     bool
	cur     any
	acc     val
	vt      string
	missing bool // a variable the rule needs is empty (see compiler.fold)
}

// get reads one key of the frame's top-level object.
func (f *frame) get(key string) (val, bool) {
	if !f.red {
		return fromAny(f.m[key])
	}
	switch key {
	case "current":
		return fromAny(f.cur)
	case "accumulator":
		return f.acc, true
	case "valueType":
		return val{k: kStr, s: f.vt}, true
	}
	return val{}, true
}

// node evaluates a compiled rule; ok false means: let the library decide.
type node func(f *frame) (v val, ok bool)

// compileLogic compiles a normalised rule, or returns nil when the rule
// uses something it does not cover.
func compileLogic(rule any) node {
	n, _ := compileRule(rule, nil)
	return n
}

// compileRule compiles a normalised rule whose needs (see ruleInfo) are
// given. When folded is true the compiled rule checks the needs itself, as
// it reads them: on an empty one it stops with ok false and frame.missing
// set, the answer of the needs check.
func compileRule(rule any, needs []string) (n node, folded bool) {
	if _, ok := rule.([]any); ok {
		return nil, false
	}
	c := compiler{fold: true}
	n, ok := c.node(rule, false)
	if !ok {
		return nil, false
	}
	slices.Sort(c.needs)
	if slices.Equal(slices.Compact(c.needs), needs) {
		return n, true
	}
	c = compiler{}
	n, _ = c.node(rule, false)
	return n, false
}

// compiler holds the state of compiling one rule: whether plain variables
// outside reduce bodies check that they are not empty, and their paths.
type compiler struct {
	fold  bool
	needs []string
}

// literal is a constant operand: null, a boolean, a number or a string.
func literal(x any) (val, bool) {
	switch x.(type) {
	case nil, bool, float64, string:
		return fromAny(x)
	}
	return val{}, false
}

func (c *compiler) node(x any, red bool) (node, bool) {
	if c, ok := literal(x); ok {
		return func(*frame) (val, bool) { return c, true }, true
	}
	m, ok := x.(map[string]any)
	if !ok || len(m) != 1 {
		return nil, false
	}
	for op, raw := range m {
		switch op {
		case "var":
			return c.variable(raw, red)
		case "reduce":
			return c.reduce(raw, red)
		case "if":
			return c.cond(raw, red)
		}
		code, known := opCodes[op]
		if !known {
			return nil, false
		}
		if args, isList := raw.([]any); isList {
			return c.list(code, args, red)
		}
		arg, ok := c.node(raw, red)
		if !ok {
			return nil, false
		}
		return func(f *frame) (val, bool) {
			v, ok := arg(f)
			if !ok {
				return val{}, false
			}
			return single(code, v)
		}, true
	}
	return nil, false
}

func (c *compiler) args(args []any, red bool) ([]node, bool) {
	kids := make([]node, len(args))
	for i, a := range args {
		n, ok := c.node(a, red)
		if !ok {
			return nil, false
		}
		kids[i] = n
	}
	return kids, true
}

// evalArgs evaluates every argument (as the library does, whatever an
// operator then looks at) into buf when it is large enough.
func evalArgs(kids []node, f *frame, buf []val) ([]val, bool) {
	args := buf[:0]
	for _, k := range kids {
		v, ok := k(f)
		if !ok {
			return nil, false
		}
		args = append(args, v)
	}
	return args, true
}

func (c *compiler) list(code opCode, args []any, red bool) (node, bool) {
	if !arityOK(code, len(args)) {
		return nil, false
	}
	kids, ok := c.args(args, red)
	if !ok {
		return nil, false
	}
	if len(kids) == 2 {
		a, b := kids[0], kids[1]
		return func(f *frame) (val, bool) {
			var args [2]val
			var ok bool
			if args[0], ok = a(f); !ok {
				return val{}, false
			}
			if args[1], ok = b(f); !ok {
				return val{}, false
			}
			if args[0].k == kNum && args[1].k == kNum {
				if v, ok := numbers(code, args[0].n, args[1].n); ok {
					return v, true
				}
			}
			return list(code, args[:])
		}, true
	}
	return func(f *frame) (val, bool) {
		var buf [4]val
		vals, ok := evalArgs(kids, f, buf[:])
		if !ok {
			return val{}, false
		}
		return list(code, vals)
	}, true
}

func (c *compiler) cond(raw any, red bool) (node, bool) {
	args, isList := raw.([]any)
	if !isList {
		return nil, false
	}
	kids, ok := c.args(args, red)
	if !ok {
		return nil, false
	}
	if len(kids) == 3 {
		c, a, b := kids[0], kids[1], kids[2]
		return func(f *frame) (val, bool) {
			cv, ok1 := c(f)
			av, ok2 := a(f)
			bv, ok3 := b(f)
			switch {
			case !ok1 || !ok2 || !ok3 || cv.k == kMap:
				return val{}, false
			case !truthyVal(cv):
				return bv, true
			case av.k == kList || av.k == kMap:
				return val{}, false
			}
			return av, true
		}, true
	}
	return func(f *frame) (val, bool) {
		var buf [4]val
		vals, ok := evalArgs(kids, f, buf[:])
		if !ok {
			return val{}, false
		}
		n := len(vals)
		for i := 0; i < n-1; i += 2 {
			if vals[i].k == kMap {
				return val{}, false
			}
			if truthyVal(vals[i]) {
				// The library evaluates the chosen value once more: a
				// list or an object would be read as a rule.
				if c := vals[i+1].k; c == kList || c == kMap {
					return val{}, false
				}
				return vals[i+1], true
			}
		}
		if n%2 == 1 {
			return vals[n-1], true
		}
		return val{}, true
	}, true
}

func (c *compiler) reduce(raw any, red bool) (node, bool) {
	args, isList := raw.([]any)
	if !isList || len(args) != 3 {
		return nil, false
	}
	if _, ok := args[0].(map[string]any); !ok {
		return nil, false
	}
	if _, ok := args[1].(map[string]any); !ok {
		return nil, false
	}
	init, ok := literal(args[2])
	if !ok || init.k == kNil {
		return nil, false
	}
	subject, ok := c.node(args[0], red)
	if !ok {
		return nil, false
	}
	body, ok := c.node(args[1], true)
	if !ok {
		return nil, false
	}
	vt := map[kind]string{kBool: "bool", kNum: "number", kStr: "string"}[init.k]
	return func(f *frame) (val, bool) {
		s, ok := subject(f)
		if !ok {
			return val{}, false
		}
		switch s.k {
		case kNil:
			return val{k: kNum}, true
		case kList:
		default:
			return val{}, false
		}
		inner := frame{red: true, acc: init, vt: vt}
		for _, e := range s.x.([]any) {
			if e == nil {
				continue
			}
			inner.cur = e
			v, ok := body(&inner)
			if !ok {
				return val{}, false
			}
			if inner.acc, ok = coerce(init.k, v); !ok {
				return val{}, false
			}
		}
		return inner.acc, true
	}, true
}
