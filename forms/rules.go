package forms

import (
	"fmt"
	"math"
	"reflect"
	"sort"
	"strings"

	"github.com/diegoholiveira/jsonlogic/v3"
)

// operators are the JSON Logic operators a rule may use: the ones that
// json-logic-js on the phone and jsonlogic/v3 on the server both implement.
var operators = map[string]bool{
	"var": true, "==": true, "===": true, "!=": true, "!==": true, "!": true, "!!": true,
	"or": true, "and": true, "if": true, "<": true, "<=": true, ">": true, ">=": true,
	"+": true, "-": true, "*": true, "/": true, "%": true, "min": true, "max": true,
	"map": true, "filter": true, "reduce": true, "all": true, "some": true, "none": true,
	"merge": true, "in": true, "cat": true, "substr": true, "missing": true,
}

// iterators change the data scope of their second argument to one element.
var iterators = map[string]bool{"map": true, "filter": true, "all": true, "some": true, "none": true}

// schoolAttrs are the school.<attr> variables rules may read.
var schoolAttrs = map[string]bool{
	"code": true, "stages": true, "classrooms": true, "students": true, "public": true, "urban": true,
}

// reservedIDs may not be field ids: they name the other parts of rule data.
var reservedIDs = map[string]bool{"target": true, "school": true, "prev": true, "prevYear": true, "row": true, "explained": true}

// scope says which variables a rule may read where it stands.
type scope struct {
	fields  map[string]*Field // bare field ids (section scope or an iteration body)
	row     map[string]*Field // row.<id> (rules of fields inside a repeat)
	targets map[string]float64
	prev    bool // prev.<id> and prevYear.<id> allowed (section scope)
	school  bool
	element bool              // the bare element "" is readable (iteration bodies)
	reduce  map[string]*Field // current.<id> and accumulator (reduce bodies)
	env     *typeEnv          // the indicator's fields, to type rules (CheckIndicator only)
}

// ruleInfo is what a static walk of a rule finds.
type ruleInfo struct {
	needs []string // var paths read without a default outside iteration bodies
	errs  []string // problems, in English, for CheckIndicator
}

// analyse walks a rule, checking operators and variables against sc.
func analyse(rule any, sc *scope) ruleInfo {
	var info ruleInfo
	walkRule(rule, sc, true, &info, 0)
	sort.Strings(info.needs)
	info.needs = compactStrings(info.needs)
	return info
}

func compactStrings(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func walkRule(node any, sc *scope, top bool, info *ruleInfo, depth int) {
	if depth > 64 {
		info.errs = append(info.errs, "rule nested too deeply")
		return
	}
	switch n := node.(type) {
	case []any:
		for _, e := range n {
			walkRule(e, sc, top, info, depth+1)
		}
	case map[string]any:
		if len(n) != 1 {
			info.errs = append(info.errs, fmt.Sprintf("an operation must have exactly one key, got %d", len(n)))
			return
		}
		for op, raw := range n {
			walkOp(op, raw, sc, top, info, depth)
		}
	case nil, bool, string, float64:
	default:
		info.errs = append(info.errs, fmt.Sprintf("unsupported value %T in rule", node))
	}
}

func walkOp(op string, raw any, sc *scope, top bool, info *ruleInfo, depth int) {
	if !operators[op] {
		info.errs = append(info.errs, fmt.Sprintf("unknown operator %q", op))
		return
	}
	args, isList := raw.([]any)
	if !isList {
		args = []any{raw}
	}
	switch {
	case op == "var":
		walkVar(args, sc, top, info)
	case op == "missing":
		for _, a := range args {
			if p, ok := a.(string); ok {
				checkPath(p, sc, info)
			} else {
				walkRule(a, sc, top, info, depth+1)
			}
		}
	case iterators[op] || op == "reduce":
		want := 2
		if op == "reduce" {
			want = 3
		}
		if len(args) != want {
			info.errs = append(info.errs, fmt.Sprintf("%s takes %d arguments", op, want))
			return
		}
		walkRule(args[0], sc, top, info, depth+1)
		body := &scope{element: true}
		if rows := repeatRows(args[0], sc); rows != nil {
			if op == "reduce" {
				body = &scope{reduce: rows}
			} else {
				body = &scope{fields: rows, element: true}
			}
		} else if op == "reduce" {
			body = &scope{reduce: map[string]*Field{}}
		}
		walkRule(args[1], body, false, info, depth+1)
		if op == "reduce" {
			switch args[2].(type) {
			case float64, bool, string:
			default:
				info.errs = append(info.errs, "reduce needs a number, boolean or string initial value")
			}
		}
	default:
		walkRule(raw, sc, top, info, depth+1)
	}
}

// repeatRows returns the row fields when node is {"var": "<repeat id>"}.
func repeatRows(node any, sc *scope) map[string]*Field {
	m, ok := node.(map[string]any)
	if !ok || sc.fields == nil {
		return nil
	}
	p, ok := m["var"].(string)
	if !ok {
		return nil
	}
	f := sc.fields[p]
	if f == nil || f.Type != Repeat {
		return nil
	}
	rows := map[string]*Field{}
	for i := range f.Fields {
		rows[f.Fields[i].ID] = &f.Fields[i]
	}
	return rows
}

func walkVar(args []any, sc *scope, top bool, info *ruleInfo) {
	if len(args) == 0 || len(args) > 2 {
		info.errs = append(info.errs, "var takes a path and an optional default")
		return
	}
	p, ok := args[0].(string)
	if !ok {
		info.errs = append(info.errs, "var path must be a string")
		return
	}
	checkPath(p, sc, info)
	if top && len(args) == 1 && p != "" {
		info.needs = append(info.needs, p)
	}
}

// checkPath reports a variable the scope does not define.
func checkPath(p string, sc *scope, info *ruleInfo) {
	if !pathKnown(p, sc) {
		info.errs = append(info.errs, fmt.Sprintf("unknown variable %q", p))
	}
}

func pathKnown(p string, sc *scope) bool {
	if p == "" {
		return sc.element
	}
	head, rest, dotted := strings.Cut(p, ".")
	if sc.reduce != nil {
		if p == "accumulator" || p == "current" {
			return true
		}
		return head == "current" && dotted && sc.reduce[rest] != nil
	}
	switch {
	case !dotted:
		return sc.fields[p] != nil
	case head == "target":
		_, ok := sc.targets[rest]
		return ok && sc.targets != nil
	case head == "school":
		return sc.school && schoolAttrs[rest]
	case head == "prev" || head == "prevYear" || head == "explained":
		return sc.prev && sc.fields[rest] != nil
	case head == "row":
		return sc.row[rest] != nil
	}
	return false
}

// eval applies the rule to data. ok is false when the rule cannot be
// evaluated: a variable it needs is empty, or evaluation failed.
// The compiled rule uses fr as its frame.
func (r *cRule) eval(fr *frame, data map[string]any) (res any, ok bool) {
	if r.folded {
		*fr = frame{m: data}
		if v, ok := r.fast(fr); ok {
			return v.toAny(), true
		}
		if fr.missing {
			return nil, false
		}
	}
	for _, parts := range r.needs {
		if lookupParts(data, parts) == nil {
			return nil, false
		}
	}
	if r.fast != nil && !r.folded {
		*fr = frame{m: data}
		if v, ok := r.fast(fr); ok {
			return v.toAny(), true
		}
	}
	return applyLogic(r.logic, data)
}

// applyLogic evaluates a rule with jsonlogic/v3, a failure (error or
// panic) giving ok false.
func applyLogic(rule any, data map[string]any) (res any, ok bool) {
	defer func() {
		if recover() != nil {
			res, ok = nil, false
		}
	}()
	//lint:ignore SA1019 the streaming Apply would re-encode the data for every rule.
	out, err := jsonlogic.ApplyInterface(rule, data)
	if err != nil {
		return nil, false
	}
	return out, true
}

func lookupParts(data map[string]any, parts []string) any {
	var cur any = data
	for _, part := range parts {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// lookup resolves a dotted path in rule data.
func lookup(data map[string]any, p string) any {
	var cur any = data
	for part := range strings.SplitSeq(p, ".") {
		m, ok := cur.(map[string]any)
		if !ok {
			return nil
		}
		cur = m[part]
	}
	return cur
}

// truthy is JSON Logic truthiness: false, null, 0, NaN, "" and [] are false.
func truthy(v any) bool {
	switch x := v.(type) {
	case nil:
		return false
	case bool:
		return x
	case float64:
		return x != 0 && !math.IsNaN(x)
	case int:
		return x != 0
	case string:
		return x != ""
	case []any:
		return len(x) > 0
	}
	return true
}

// normalize converts a value into the shapes JSON decoding produces
// (float64, string, bool, nil, []any, map[string]any), so that rules and
// values read from YAML, BSON or Go literals evaluate alike. Values it does
// not understand become nil.
func normalize(v any) any {
	switch x := v.(type) {
	case nil, bool, string, float64:
		return x
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalize(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = normalize(e)
		}
		return out
	}
	return normalizeReflect(reflect.ValueOf(v))
}

func normalizeReflect(rv reflect.Value) any {
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int())
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint())
	case reflect.Float32, reflect.Float64:
		return rv.Float()
	case reflect.Bool:
		return rv.Bool()
	case reflect.String:
		return rv.String()
	case reflect.Interface, reflect.Pointer:
		if rv.IsNil() {
			return nil
		}
		return normalize(rv.Elem().Interface())
	case reflect.Map:
		if rv.Type().Key().Kind() != reflect.String {
			return nil
		}
		out := make(map[string]any, rv.Len())
		for it := rv.MapRange(); it.Next(); {
			out[it.Key().String()] = normalize(it.Value().Interface())
		}
		return out
	case reflect.Slice, reflect.Array:
		if d, ok := keyValueDoc(rv); ok {
			return d
		}
		out := make([]any, rv.Len())
		for i := range out {
			out[i] = normalize(rv.Index(i).Interface())
		}
		return out
	}
	return nil
}

// keyValueDoc reads an ordered document (a slice of {Key, Value} structs,
// as BSON drivers decode embedded documents) as a map.
func keyValueDoc(rv reflect.Value) (map[string]any, bool) {
	et := rv.Type().Elem()
	if et.Kind() != reflect.Struct {
		return nil, false
	}
	k, okK := et.FieldByName("Key")
	_, okV := et.FieldByName("Value")
	if !okK || !okV || k.Type.Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	for i := 0; i < rv.Len(); i++ {
		e := rv.Index(i)
		out[e.FieldByName("Key").String()] = normalize(e.FieldByName("Value").Interface())
	}
	return out, true
}
