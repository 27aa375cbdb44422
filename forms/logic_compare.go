package forms

import (
	"math"
	"strconv"
)

// between is the three-operand comparison. The library evaluates the
// operands once more, so lists and objects are left to it.
func between(code opCode, a, b, c val) (val, bool) {
	for _, v := range []val{a, b, c} {
		if v.k == kList || v.k == kMap {
			return val{}, false
		}
	}
	lessEq := func(x, y val) (bool, bool) {
		if less(x, y) {
			return true, true
		}
		return equals(x, y)
	}
	switch code {
	case opLt:
		return boolVal(less(a, b) && less(b, c)), true
	case opLe:
		ab, ok1 := lessEq(a, b)
		if !ok1 || !ab {
			return boolVal(false), ok1
		}
		bc, ok2 := lessEq(b, c)
		return boolVal(bc), ok2
	case opGe:
		cb, ok1 := lessEq(c, b)
		if !ok1 || !cb {
			return boolVal(false), ok1
		}
		ba, ok2 := lessEq(b, a)
		return boolVal(ba), ok2
	}
	return boolVal(less(c, b) && less(b, a)), true
}

// less is the library's JavaScript-like "<": strings compare as strings,
// anything else as numbers (null 0, booleans 0 and 1, unparsable NaN).
func less(a, b val) bool {
	if a.k == kStr && b.k == kStr {
		return b.s > a.s
	}
	return numForLess(b) > numForLess(a)
}

func numForLess(v val) float64 {
	switch v.k {
	case kNil:
		return 0
	case kNum:
		return v.n
	case kBool:
		if v.b {
			return 1
		}
		return 0
	case kStr:
		// The library keeps the value on strconv.ErrRange itself, which
		// ParseFloat never returns (it wraps it): any error gives NaN.
		n, err := strconv.ParseFloat(v.s, 64)
		if err != nil {
			return math.NaN()
		}
		return n
	}
	return math.NaN()
}

// equals is the library's loose "==".
func equals(a, b val) (bool, bool) {
	if a.k == kNil || b.k == kNil {
		return a.k == b.k, true
	}
	switch a.k {
	case kNum:
		y, ok := toNum(b)
		return a.n == y, ok
	case kBool:
		return b.k == kBool && a.b == b.b, true
	}
	x, ok1 := toStr(a)
	y, ok2 := toStr(b)
	if !ok1 || !ok2 {
		return false, false
	}
	return x == y, true
}
