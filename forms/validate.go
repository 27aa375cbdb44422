package forms

import (
	"bytes"
	"errors"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Validate decodes and checks a submission of values for the form:
// {"<indicator>": {"<field>": value}}. Decoding is strict (one JSON object,
// valid UTF-8, no duplicate keys, nesting no deeper than the form, no keys
// starting with "$" or holding "."). Each value is type-checked and then
// checked against the definition with the shared validator; fields hidden by
// their relevant rule must be empty; computed fields are computed (values
// sent for them are ignored); then required fields and constraints are
// checked. A draft is only checked for types, keys, lengths and relevance.
//
// The returned values are normalised (numbers float64, booleans bool, multi
// choices []any of strings in option order, repeat groups []any of
// map[string]any, computed values included, empty answers left out). They
// are nil when raw cannot be decoded, and worth storing only when there are
// no errors.
func (f *Form) Validate(raw []byte, env Env, draft bool) (vals Values, errs []FieldError) {
	defer func() {
		if recover() != nil {
			vals = nil
			errs = []FieldError{{Code: "internal", Message: Text{Zh: "无法校验该提交内容", En: "the submission could not be checked"}}}
		}
	}()
	c := f.compiled()
	root, err := decodeSubmission(raw, c.maxDepth, c.maxList+1)
	if err != nil {
		var de decodeError
		code := "json"
		if errors.As(err, &de) {
			code = de.code
		}
		return nil, []FieldError{{Code: code, Message: decodeMessages[code]}}
	}
	v := &validation{draft: draft, school: schoolData(env.School), period: env.Period}
	if !allKnown(root, func(k string) bool { return c.byCode[k] != nil }) {
		for _, k := range sortedKeys(root) {
			if bad := invalidKey(k); bad {
				v.add(k, "invalid_key", invalidKeyMessage(k))
			} else if c.byCode[k] == nil {
				v.add(k, "unknown_field", unknownMessage(k, true))
			}
		}
	}
	vals = Values{}
	for _, cs := range c.sections {
		code := cs.sec.Indicator
		obj, ok := root[code].(map[string]any)
		if !ok {
			if root[code] != nil {
				v.add(code, "type", sectionTypeMessage(code))
			}
			obj = map[string]any{}
		}
		data := v.section(cs, obj, earlier(env, code), explainedData(env, cs))
		vals[code] = fieldValues(data)
	}
	return vals, v.errs
}

type validation struct {
	draft   bool
	school  map[string]any
	period  Span
	targets map[string]any // of the section being checked
	errs    []FieldError
	fr      frame // reused by the rules
}

func (v *validation) add(path, code string, msg Text) {
	v.errs = append(v.errs, FieldError{Field: path, Code: code, Message: msg})
}

// section checks one section's object and returns its rule data: the
// field values by id plus target, school, prev and prevYear.
func (v *validation) section(cs *cSection, obj map[string]any, past pastData, explained map[string]any) map[string]any {
	path := fieldPath{base: cs.sec.Indicator, row: -1}
	v.keys(obj, func(k string) bool { return cs.byID[k] != nil }, path)
	v.targets = cs.targets
	data := make(map[string]any, len(cs.fields)+4)
	data["target"], data["school"], data["prev"], data["prevYear"] = cs.targets, v.school, past.prev, past.year
	data["explained"] = explained
	for _, cf := range cs.fields {
		if raw := obj[cf.f.ID]; raw != nil && cf.f.Type != Computed {
			path.id = cf.f.ID
			if val := v.value(cf, raw, path); val != nil {
				data[cf.f.ID] = val
			}
		}
	}
	runComputes(&v.fr, cs.computes, data, data)
	path.id = ""
	v.finish(cs.fields, data, data, path)
	return data
}

// finish applies relevance, required and constraints to fields whose
// values (computed ones included) are in vals, at path; rules read data.
func (v *validation) finish(fields []*cField, vals, data map[string]any, path fieldPath) {
	for _, cf := range fields {
		id := cf.f.ID
		path.id = id
		val := vals[id]
		rel := relevance(&v.fr, cf, data)
		if rel == hidden {
			if val != nil && cf.f.Type != Computed {
				v.addAt(path, "not_relevant", notRelevantMessage(cf.f))
			}
			delete(vals, id)
			continue
		}
		if v.draft {
			continue
		}
		if val == nil {
			switch {
			case rel != shown:
			case cf.f.Required:
				v.addAt(path, "required", requiredMessage(cf.f))
			case cf.f.Type == Repeat && cf.f.MinRows > 0:
				v.addAt(path, "rows_min", rowsMessage(cf.f, true, cf.f.MinRows))
			}
			continue
		}
		if rows, ok := val.([]any); ok && cf.f.Type == Repeat && len(rows) < cf.f.MinRows {
			v.addAt(path, "rows_min", rowsMessage(cf.f, true, cf.f.MinRows))
		}
		for _, k := range cf.constraints {
			if res, ok := k.rule.eval(&v.fr, data); ok && !truthy(res) {
				v.addAt(path, "constraint", k.msg)
			}
		}
	}
}

// Relevance of a field: shown, hidden, or unknown when its relevant rule
// reads an empty field; an unknown field is optional and may hold a value.
const (
	shown = iota
	hidden
	unknown
)

func relevance(fr *frame, cf *cField, data map[string]any) int {
	if cf.relevant == nil {
		return shown
	}
	res, ok := cf.relevant.eval(fr, data)
	switch {
	case !ok:
		return unknown
	case truthy(res):
		return shown
	}
	return hidden
}

// runComputes evaluates computed fields in dependency order into vals;
// rules read data.
func runComputes(fr *frame, order []*cField, vals, data map[string]any) {
	for _, cf := range order {
		delete(vals, cf.f.ID)
		if cf.compute == nil {
			continue
		}
		res, ok := cf.compute.eval(fr, data)
		if val := computedValue(cf.f, res, ok); val != nil {
			vals[cf.f.ID] = val
		}
	}
}

func computedValue(f *Field, res any, ok bool) any {
	if !ok {
		return nil
	}
	switch x := res.(type) {
	case float64:
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return nil
		}
		if f.Precision > 0 {
			p := math.Pow(10, float64(f.Precision))
			x = math.Round(x*p) / p
		}
		return x + 0 // no negative zero
	case bool, string:
		return x
	}
	return nil
}

// value type-checks one raw value; it returns nil (after recording the
// error) when the value is unusable, or when it is empty.
func (v *validation) value(cf *cField, raw any, path fieldPath) any {
	f := cf.f
	fail := func(code string, msg Text) any { v.addAt(path, code, msg); return nil }
	switch f.Type {
	case Integer, Decimal, Percent:
		n, ok := raw.(float64)
		if !ok || math.IsNaN(n) || math.IsInf(n, 0) {
			return fail("type", typeMessage(f))
		}
		if f.Type == Integer && (n != math.Trunc(n) || math.Abs(n) > 1<<53) {
			return fail("type", typeMessage(f))
		}
		if f.Type != Integer && f.Precision > 0 && !hasPrecision(n, f.Precision) {
			return fail("precision", precisionMessage(f))
		}
		out := raw // n itself, boxed by the decoder
		if n == 0 {
			out = 0.0 // no negative zero
		}
		return v.checked(cf, out, out, path)
	case Boolean:
		if b, ok := raw.(bool); ok {
			return b
		}
		return fail("type", typeMessage(f))
	case Choice:
		s, ok := raw.(string)
		if !ok {
			return fail("type", typeMessage(f))
		}
		var out any = s
		return v.checked(cf, out, out, path)
	case Multi:
		return v.multi(cf, raw, path)
	case Date:
		s, ok := raw.(string)
		if !ok || len(s) != 10 {
			return fail("date", typeMessage(f))
		}
		if _, err := time.Parse(time.DateOnly, s); err != nil {
			return fail("date", typeMessage(f))
		}
		if f.Within != nil {
			if code, msg := v.period.outside(f, s); code != "" {
				return fail(code, msg)
			}
		}
		return s
	case String:
		s, ok := raw.(string)
		if !ok || !utf8.ValidString(s) {
			return fail("type", typeMessage(f))
		}
		if s = strings.TrimSpace(s); s == "" {
			return nil
		}
		var out any = s
		if v.checked(cf, out, out, path) == nil {
			return nil
		}
		if cf.re != nil && !cf.re.MatchString(s) {
			return fail("pattern", patternMessage(f))
		}
		return out
	case Repeat:
		return v.repeat(cf, raw, path)
	}
	return fail("type", typeMessage(f))
}

// checked runs the shared validator on check and returns out when it
// passes; values that plainly pass it skip the call.
func (v *validation) checked(cf *cField, check, out any, path fieldPath) any {
	if cf.passes(check) {
		return out
	}
	if code, msg, ok := checkVar(cf.f, check, cf.tag); !ok {
		v.addAt(path, code, msg)
		return nil
	}
	return out
}

func (v *validation) multi(cf *cField, raw any, path fieldPath) any {
	list, ok := raw.([]any)
	if !ok {
		v.addAt(path, "type", typeMessage(cf.f))
		return nil
	}
	strs := make([]string, 0, len(list))
	for _, e := range list {
		s, ok := e.(string)
		if !ok {
			v.addAt(path, "type", typeMessage(cf.f))
			return nil
		}
		strs = append(strs, s)
	}
	if len(strs) == 0 || v.checked(cf, strs, strs, path) == nil {
		return nil
	}
	out := make([]any, 0, len(strs))
	for _, o := range cf.f.Options {
		if slices.Contains(strs, o.Value) {
			out = append(out, o.Value)
		}
	}
	return out
}

func (v *validation) repeat(cf *cField, raw any, path fieldPath) any {
	list, ok := raw.([]any)
	if !ok {
		v.addAt(path, "type", typeMessage(cf.f))
		return nil
	}
	if len(list) > cf.f.MaxRows {
		v.addAt(path, "rows_max", rowsMessage(cf.f, false, cf.f.MaxRows))
		return nil
	}
	rows := make([]any, 0, len(list))
	data := map[string]any{"target": v.targets, "school": v.school}
	known := func(k string) bool { return cf.rowByID[k] != nil }
	base := path.String()
	for i, r := range list {
		rp := fieldPath{base: base, row: i}
		obj, ok := r.(map[string]any)
		if !ok {
			v.addAt(rp, "type", rowTypeMessage(cf.f))
			obj = map[string]any{}
		}
		row := make(map[string]any, len(cf.rows))
		n := len(v.errs)
		present := 0
		for _, rf := range cf.rows {
			rv, ok := obj[rf.f.ID]
			if ok {
				present++
			}
			if rv != nil && rf.f.Type != Computed {
				rp.id = rf.f.ID
				if val := v.value(rf, rv, rp); val != nil {
					row[rf.f.ID] = val
				}
			}
		}
		if present != len(obj) || len(cf.rowByID) != len(cf.rows) {
			// A key is not a row field: its error goes before the
			// row's value errors.
			later := slices.Clone(v.errs[n:])
			v.errs = v.errs[:n]
			rp.id = ""
			v.keys(obj, known, rp)
			v.errs = append(v.errs, later...)
		}
		data["row"] = row
		runComputes(&v.fr, cf.rowComputes, row, data)
		rp.id = ""
		v.finish(cf.rows, row, data, rp)
		rows = append(rows, row)
	}
	return rows
}

// hasPrecision reports whether n has at most p decimal places.
func hasPrecision(n float64, p int) bool {
	var buf [32]byte
	s := strconv.AppendFloat(buf[:0], n, 'f', -1, 64)
	_, frac, _ := bytes.Cut(s, []byte("."))
	return len(frac) <= p
}
