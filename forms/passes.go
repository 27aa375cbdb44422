package forms

import (
	"slices"
	"unicode/utf8"
)

// passes reports whether value certainly satisfies the field's validator
// tag (see fieldTag), by the comparisons the validator itself makes: min
// and max as float64 >= and <=, max as a length in runes, oneof as a
// member of the option list, unique. False means: ask the validator,
// which also words the message.
func (cf *cField) passes(value any) bool {
	f := cf.f
	switch x := value.(type) {
	case float64:
		switch f.Type {
		case Integer, Decimal:
			return (f.Min == nil || x >= *f.Min) && (f.Max == nil || x <= *f.Max)
		case Percent:
			lo, hi := percentBounds(f)
			return x >= lo && x <= hi
		}
	case string:
		switch f.Type {
		case String:
			return utf8.RuneCountInString(x) <= textMax(f)
		case Choice:
			return cf.plainOptions && hasOption(f, x)
		}
	case []string:
		if f.Type != Multi || !cf.plainOptions {
			return false
		}
		for i, s := range x {
			if !hasOption(f, s) || slices.Contains(x[:i], s) {
				return false
			}
		}
		return true
	}
	return false
}

func hasOption(f *Field, v string) bool {
	return slices.ContainsFunc(f.Options, func(o Option) bool { return o.Value == v })
}

// plainOptions reports whether the validator's oneof parameter built from
// the options splits back into exactly the option values, as it does for
// the values CheckIndicator allows.
func plainOptions(f *Field) bool {
	for _, o := range f.Options {
		if !optionPattern.MatchString(o.Value) {
			return false
		}
	}
	return true
}
