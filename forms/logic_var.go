package forms

import (
	"strconv"
	"strings"
)

func (c *compiler) variable(raw any, red bool) (node, bool) {
	var path string
	var def val
	need := false
	switch a := raw.(type) {
	case string:
		if a == "" {
			if red {
				return nil, false
			}
			return func(f *frame) (val, bool) { return val{k: kMap, x: f.m}, true }, true
		}
		path, need = a, true
	case []any:
		if len(a) == 0 || len(a) > 2 {
			return nil, false
		}
		p, ok := a[0].(string)
		if !ok {
			return nil, false
		}
		path, need = p, len(a) == 1 && p != ""
		if len(a) == 2 {
			if def, ok = literal(a[1]); !ok {
				return nil, false
			}
		}
	default:
		return nil, false
	}
	var parts []string
	for p := range strings.SplitSeq(path, ".") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if need && !red && c.fold {
		c.needs = append(c.needs, path)
		return neededVar(path, parts), true
	}
	switch len(parts) {
	case 1:
		p0 := parts[0]
		return func(f *frame) (val, bool) {
			v, ok := f.get(p0)
			if v.k == kNil {
				return def, ok
			}
			return v, ok
		}, true
	case 2:
		// The common case of a field of target, school, prev, row or
		// current: an object read in an object.
		p0, p1 := parts[0], parts[1]
		return func(f *frame) (val, bool) {
			var m map[string]any
			if !f.red {
				m, _ = f.m[p0].(map[string]any)
			} else if p0 == "current" {
				m, _ = f.cur.(map[string]any)
			}
			if m == nil {
				return resolve(f, parts, def)
			}
			v, ok := fromAny(m[p1])
			if v.k == kNil {
				return def, ok
			}
			return v, ok
		}, true
	}
	return func(f *frame) (val, bool) { return resolve(f, parts, def) }, true
}

// resolve follows jsonlogic/v3's getVar: a primitive met on the way is
// stepped over (the next part is read from the same object), a null gives
// the default, and list elements are read by number.
func resolve(f *frame, parts []string, def val) (val, bool) {
	var cur val
	var data any
	root := true
	for _, part := range parts {
		ok := true
		if root {
			cur, ok = f.get(part)
		} else {
			switch d := data.(type) {
			case map[string]any:
				cur, ok = fromAny(d[part])
			case []any:
				n, _ := strconv.ParseFloat(part, 64)
				pos := int(n)
				if pos >= len(d) {
					return def, true
				}
				if pos < 0 {
					return val{}, false
				}
				cur, ok = fromAny(d[pos])
			}
		}
		if !ok {
			return val{}, false
		}
		switch cur.k {
		case kNil:
			return def, true
		case kList, kMap:
			root, data = false, cur.x
		}
	}
	return cur, true
}

// neededVar reads a variable the rule needs: empty (as lookupParts sees
// it) stops the rule; otherwise there is no default to apply.
func neededVar(path string, parts []string) node {
	full := strings.Split(path, ".")
	switch len(full) {
	case 1:
		return func(f *frame) (val, bool) {
			raw := f.m[path]
			if raw == nil {
				f.missing = true
				return val{}, false
			}
			return fromAny(raw)
		}
	case 2:
		p0, p1 := full[0], full[1]
		return func(f *frame) (val, bool) {
			m, _ := f.m[p0].(map[string]any)
			raw := m[p1]
			if raw == nil {
				f.missing = true
				return val{}, false
			}
			if len(parts) != 2 {
				return resolve(f, parts, val{})
			}
			return fromAny(raw)
		}
	}
	return func(f *frame) (val, bool) {
		if lookupParts(f.m, full) == nil {
			f.missing = true
			return val{}, false
		}
		return resolve(f, parts, val{})
	}
}
