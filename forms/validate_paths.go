package forms

import (
	"strconv"
	"strings"
)

// fieldPath names a value in errors, built only when one is reported:
// base (a section, or a repeat group's path), the row in brackets when row
// is not negative, then "." and id when id is set.
type fieldPath struct {
	base string
	row  int
	id   string
}

func (p fieldPath) String() string {
	s := p.base
	if p.row >= 0 {
		s += "[" + strconv.Itoa(p.row) + "]"
	}
	if p.id != "" {
		s += "." + p.id
	}
	return s
}

func (v *validation) addAt(p fieldPath, code string, msg Text) {
	v.add(p.String(), code, msg)
}

// allKnown reports whether every key of obj is valid and known.
func allKnown(obj map[string]any, known func(string) bool) bool {
	for k := range obj {
		if invalidKey(k) || !known(k) {
			return false
		}
	}
	return true
}

func invalidKey(k string) bool {
	return k == "" || strings.HasPrefix(k, "$") || strings.Contains(k, ".")
}

// keys reports invalid and unknown keys of an object at path, in sorted
// order.
func (v *validation) keys(obj map[string]any, known func(string) bool, path fieldPath) {
	if allKnown(obj, known) {
		return
	}
	for _, k := range sortedKeys(obj) {
		path.id = k
		switch {
		case invalidKey(k):
			v.addAt(path, "invalid_key", invalidKeyMessage(k))
		case !known(k):
			v.addAt(path, "unknown_field", unknownMessage(k, false))
		}
	}
}
