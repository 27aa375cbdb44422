package forms

import (
	"math"
	"strconv"
)

// The operators below follow jsonlogic/v3 v3.5.1 (operation.go, comp.go,
// helpers.go, math.go): where the library would panic on a value, they
// return ok false so that the library runs and fails the same way.

type opCode uint8

const (
	opEq opCode = iota
	opNe
	opStrictEq
	opStrictNe
	opLt
	opLe
	opGt
	opGe
	opNot
	opNotNot
	opAnd
	opOr
	opAdd
	opSub
	opMul
	opDiv
	opMod
	opMin
	opMax
)

var opCodes = map[string]opCode{
	"==": opEq, "!=": opNe, "===": opStrictEq, "!==": opStrictNe,
	"<": opLt, "<=": opLe, ">": opGt, ">=": opGe, "!": opNot, "!!": opNotNot,
	"and": opAnd, "or": opOr, "+": opAdd, "-": opSub, "*": opMul, "/": opDiv,
	"%": opMod, "min": opMin, "max": opMax,
}

// arityOK says which argument counts of a list are compiled: those whose
// meaning in the library is plain (no undefined operands, no re-evaluation
// of values as rules except the checked three-operand comparisons).
func arityOK(code opCode, n int) bool {
	switch code {
	case opEq, opNe, opStrictEq, opStrictNe:
		return n == 2
	case opLt, opLe, opGt, opGe:
		return n == 2 || n == 3
	case opNot, opNotNot:
		return n == 1
	case opAnd, opOr, opMin, opMax:
		return true
	}
	return n >= 1
}

// truthyVal is the library's isTrue (NaN is true there).
func truthyVal(v val) bool {
	switch v.k {
	case kBool:
		return v.b
	case kNum:
		return v.n != 0
	case kStr:
		return v.s != ""
	case kList:
		return len(v.x.([]any)) > 0
	case kMap:
		return len(v.x.(map[string]any)) > 0
	}
	return false
}

// toNum is the library's toNumber: strings parse (0 when they do not),
// anything but a number or a string panics.
func toNum(v val) (float64, bool) {
	switch v.k {
	case kNum:
		return v.n, true
	case kStr:
		n, _ := strconv.ParseFloat(v.s, 64)
		return n, true
	}
	return 0, false
}

// toStr is the library's toString for the values it accepts.
func toStr(v val) (string, bool) {
	switch v.k {
	case kNum:
		return strconv.FormatFloat(v.n, 'f', -1, 64), true
	case kNil:
		return "", true
	case kStr:
		return v.s, true
	}
	return "", false
}

// coerce converts a reduce step's result to the accumulator's type.
func coerce(k kind, v val) (val, bool) {
	switch k {
	case kBool:
		return val{k: kBool, b: truthyVal(v)}, true
	case kNum:
		n, ok := toNum(v)
		return val{k: kNum, n: n}, ok
	}
	s, ok := toStr(v)
	return val{k: kStr, s: s}, ok
}

func boolVal(b bool) val { return val{k: kBool, b: b} }

// single applies an operator whose argument is one value, not a list.
func single(code opCode, v val) (val, bool) {
	switch v.k {
	case kNil:
		if code == opMin || code == opMax {
			return val{}, false
		}
		return val{}, true
	case kList, kMap:
		return val{}, false
	}
	return unary(code, v)
}

func unary(code opCode, v val) (val, bool) {
	switch code {
	case opAdd, opMul, opDiv:
		n, ok := toNum(v)
		return val{k: kNum, n: n}, ok
	case opSub:
		n, ok := toNum(v)
		return val{k: kNum, n: -1 * n}, ok
	case opNot:
		return boolVal(!truthyVal(v)), true
	}
	return boolVal(truthyVal(v)), true
}

// list applies an operator to its evaluated arguments, in the order of the
// library's operation function.
func list(code opCode, a []val) (val, bool) {
	switch code {
	case opMin, opMax:
		return minMax(code, a)
	case opAnd:
		return and(a), true
	case opOr:
		for _, v := range a {
			if truthyVal(v) {
				return v, true
			}
		}
		return boolVal(false), true
	}
	if len(a) == 1 {
		return unary(code, a[0])
	}
	switch code {
	case opAdd, opSub, opMul, opDiv:
		return arith(code, a)
	case opMod:
		x, ok1 := toNum(a[0])
		y, ok2 := toNum(a[1])
		return val{k: kNum, n: math.Mod(x, y)}, ok1 && ok2
	}
	if len(a) == 3 {
		return between(code, a[0], a[1], a[2])
	}
	x, y := a[0], a[1]
	switch code {
	case opLt:
		return boolVal(less(x, y)), true
	case opGt:
		return boolVal(less(y, x)), true
	case opLe:
		if less(x, y) {
			return boolVal(true), true
		}
		eq, ok := equals(x, y)
		return boolVal(eq), ok
	case opGe:
		if less(y, x) {
			return boolVal(true), true
		}
		eq, ok := equals(x, y)
		return boolVal(eq), ok
	case opStrictEq, opStrictNe:
		eq := x.k == y.k
		ok := true
		if eq {
			eq, ok = equals(x, y)
		}
		return boolVal(eq == (code == opStrictEq)), ok
	}
	eq, ok := equals(x, y)
	return boolVal(eq == (code == opEq)), ok
}

// numbers is list for two numbers, without the conversions; ok is false
// for an operator it leaves to list.
func numbers(code opCode, x, y float64) (v val, ok bool) {
	switch code {
	case opEq, opStrictEq:
		return boolVal(x == y), true
	case opNe, opStrictNe:
		return boolVal(x != y), true
	case opLt:
		return boolVal(x < y), true
	case opLe:
		return boolVal(x < y || x == y), true
	case opGt:
		return boolVal(y < x), true
	case opGe:
		return boolVal(y < x || x == y), true
	case opAdd:
		acc := 0.0
		acc += x
		return val{k: kNum, n: acc + y}, true
	case opSub:
		return val{k: kNum, n: x - y}, true
	case opMul:
		return val{k: kNum, n: x * y}, true
	case opDiv:
		return val{k: kNum, n: x / y}, true
	case opMod:
		return val{k: kNum, n: math.Mod(x, y)}, true
	}
	return val{}, false
}

func minMax(code opCode, a []val) (val, bool) {
	if len(a) == 0 {
		return val{}, true
	}
	best, ok := toNum(a[0])
	if !ok {
		return val{}, false
	}
	for _, v := range a[1:] {
		n, ok := toNum(v)
		if !ok {
			return val{}, false
		}
		if code == opMax && n > best || code == opMin && best > n {
			best = n
		}
	}
	return val{k: kNum, n: best}, true
}

// and is the library's _and: a list or an empty string is returned as
// is, false stops it, and numbers make it return their largest value (0 at
// least) instead of true.
func and(a []val) val {
	var most float64
	boolean := true
	for _, v := range a {
		switch {
		case v.k == kList:
			return v
		case v.k == kBool && !v.b:
			return v
		case v.k == kStr && v.s == "":
			return v
		case v.k != kNum:
			continue
		}
		boolean = false
		if v.n > most {
			most = v.n
		}
	}
	if boolean {
		return boolVal(true)
	}
	return val{k: kNum, n: most}
}

// arith folds + and * from 0 and 1 (so -0 sums to 0), - and / from the
// first argument.
func arith(code opCode, a []val) (val, bool) {
	acc := 0.0
	if code == opMul {
		acc = 1
	}
	if code == opSub || code == opDiv {
		n, ok := toNum(a[0])
		if !ok {
			return val{}, false
		}
		acc, a = n, a[1:]
	}
	for _, v := range a {
		n, ok := toNum(v)
		if !ok {
			return val{}, false
		}
		switch code {
		case opAdd:
			acc += n
		case opSub:
			acc -= n
		case opMul:
			acc *= n
		case opDiv:
			acc /= n
		}
	}
	return val{k: kNum, n: acc}, true
}
