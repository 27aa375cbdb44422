package forms

import (
	"encoding/json"
	"math"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

// catalogRules lists every rule of every catalog indicator and of the
// probe indicator of the validation tests.
func catalogRules(t testing.TB) []any {
	var rules []any
	var fields func([]Field)
	fields = func(fs []Field) {
		for _, f := range fs {
			for _, r := range []any{f.Relevant, f.Compute} {
				if r != nil {
					rules = append(rules, normalize(r))
				}
			}
			for _, k := range f.Constraints {
				rules = append(rules, normalize(k.Rule))
			}
			fields(f.Fields)
		}
	}
	inds := []Indicator{probeIndicator()}
	for _, ind := range mustCatalog(t) {
		inds = append(inds, ind)
	}
	for _, ind := range inds {
		fields(ind.Fields)
		for _, c := range ind.Compliance {
			rules = append(rules, normalize(c.Rule))
			for _, v := range c.Vars {
				rules = append(rules, normalize(v))
			}
		}
	}
	return rules
}

// edgeRules are shapes whose results in jsonlogic/v3 are surprising.
var edgeRules = []string{
	`{"!": {"var": "a"}}`, `{"!": [{"var": "a"}]}`, `{"!!": {"var": "a"}}`, `{"-": {"var": "a"}}`,
	`{"max": {"var": "a"}}`, `{"and": {"var": "a"}}`, `{"and": [{"var": "a"}, {"var": "b"}, 3]}`,
	`{"and": []}`, `{"or": []}`, `{"max": []}`, `{"min": [{"var": "a"}]}`, `{"+": []}`, `{"*": []}`,
	`{"or": [{"var": "a"}, {"var": "b"}]}`, `{"==": [{"var": "a"}, {"var": "b"}]}`,
	`{"===": [{"var": "a"}, {"var": "b"}]}`, `{"!==": [{"var": "a"}, {"var": "b"}]}`,
	`{"!=": [{"var": "a"}, {"var": "b"}]}`, `{"<": [{"var": "a"}, {"var": "b"}, {"var": "c.d"}]}`,
	`{"<=": [{"var": "a"}, {"var": "b"}, {"var": "c.d"}]}`, `{">": [{"var": "a"}, {"var": "b"}, 4]}`,
	`{">=": [{"var": "a"}, {"var": "b"}, {"var": "l"}]}`, `{"%": [{"var": "a"}, {"var": "b"}]}`,
	`{"%": [{"var": "a"}]}`, `{"-": [{"var": "a"}, {"var": "b"}, 1]}`, `{"/": [{"var": "a"}, {"var": "b"}]}`,
	`{"+": [{"var": "a"}, -0]}`, `{"var": "a.b"}`, `{"var": "c.d"}`, `{"var": "l.0"}`, `{"var": "l.1.x"}`,
	`{"var": "l.-1"}`, `{"var": "l.nan"}`, `{"var": ""}`, `{"var": "."}`, `{"var": [""]}`, `{"var": ["", 1]}`,
	`{"var": ["a"]}`, `{"var": ["a", "d"]}`, `{"var": ["c.d", false]}`, `{"var": ["a", 1, 2]}`,
	`{"if": []}`, `{"if": [{"var": "a"}]}`, `{"if": [{"var": "a"}, {"var": "b"}]}`,
	`{"if": [{"var": "c"}, 1, 2]}`, `{"if": [{"var": "a"}, {"var": "l"}, {"var": "c"}]}`,
	`{"if": [{"var": "a"}, 1, {"var": "b"}, 2, 3]}`, `{"if": [{"var": "a"}, {"/": [1, 0]}, null]}`,
	`{"reduce": [{"var": "l"}, {"+": [{"var": "accumulator"}, {"var": "current.x"}]}, 0]}`,
	`{"reduce": [{"var": "l"}, {"and": [{"var": "accumulator"}, {"var": "current.x"}]}, true]}`,
	`{"reduce": [{"var": "l"}, {"var": "current.x"}, ""]}`, `{"reduce": [{"var": "a"}, {"var": "valueType"}, "s"]}`,
	`{"reduce": [{"var": "l"}, {"var": "accumulator.current"}, 1]}`, `{"reduce": [{"var": "l"}, 1, null]}`,
	`{"in": [{"var": "a"}, ["x", "y"]]}`, `{"cat": [{"var": "a"}, " "]}`, `{"missing": ["a"]}`, `{"foo": [1]}`,
	`{"==": [1, 2, 3]}`, `{"!": []}`, `{"<": [1]}`, `{"var": 1}`, `true`, `null`, `"s"`, `[1, {"var": "a"}]`,
}

// ruleValues are the values random data is made of.
func ruleValues(r *rand.Rand, depth int) any {
	pool := []any{nil, true, false, 0.0, math.Copysign(0, -1), 1.0, -3.5, 2.25, 100.0, 1e300, 5e-324,
		"", "0", "1.5", "abc", " 7 ", "1e400", "true", []any{}, map[string]any{}}
	if depth > 0 && r.IntN(4) == 0 {
		if r.IntN(2) == 0 {
			return ruleObject(r, depth-1)
		}
		l := make([]any, r.IntN(4))
		for i := range l {
			l[i] = ruleValues(r, depth-1)
		}
		return l
	}
	return pool[r.IntN(len(pool))]
}

var ruleKeys = []string{"a", "b", "c", "d", "l", "x", "row", "target", "current"}

func ruleObject(r *rand.Rand, depth int) map[string]any {
	m := map[string]any{}
	for _, k := range ruleKeys {
		if r.IntN(3) > 0 {
			m[k] = ruleValues(r, depth)
		}
	}
	return m
}

// ruleData makes data for a rule: random values at every path it reads
// (rows of objects for the lists reduce walks), sometimes left out.
func ruleData(r *rand.Rand, rule any) map[string]any {
	data := ruleObject(r, 2)
	collectVars(rule, func(p string) {
		if r.IntN(8) == 0 {
			return
		}
		parts := strings.Split(p, ".")
		m := data
		for i, part := range parts {
			if part == "" || part == "current" || part == "accumulator" {
				return
			}
			if i == len(parts)-1 {
				if r.IntN(3) == 0 {
					rows := make([]any, r.IntN(5))
					for j := range rows {
						rows[j] = ruleObject(r, 1)
						if r.IntN(10) == 0 {
							rows[j] = ruleValues(r, 0)
						}
					}
					m[part] = rows
				} else {
					m[part] = ruleValues(r, 1)
				}
				return
			}
			next, ok := m[part].(map[string]any)
			if !ok {
				next = map[string]any{}
				m[part] = next
			}
			m = next
		}
	})
	return data
}

// sameResult compares results exactly: numbers by their bits, NaN alike.
func sameResult(a, b any) bool {
	x, ok1 := a.(float64)
	y, ok2 := b.(float64)
	if ok1 && ok2 {
		return math.Float64bits(x) == math.Float64bits(y) || math.IsNaN(x) && math.IsNaN(y)
	}
	return reflect.DeepEqual(a, b)
}

// compareRule evaluates rule on data both ways, alone and as a compiled
// form evaluates it (needs checked, then the rule); it reports whether the
// compiled evaluator answered itself (rather than leaving it to the library).
func compareRule(t *testing.T, rule any, data map[string]any) bool {
	t.Helper()
	r := newRule(rule, &scope{})
	got, gotOK := r.eval(&frame{}, data)
	want, wantOK := applyLogic(r.logic, data)
	for _, p := range analyse(r.logic, &scope{}).needs {
		if lookup(data, p) == nil {
			want, wantOK = nil, false
		}
	}
	if gotOK != wantOK || !sameResult(got, want) {
		rj, _ := json.Marshal(rule)
		t.Fatalf("rule %s on %#v: eval gives %#v (ok %v), needs and library %#v (ok %v)", rj, data, got, gotOK, want, wantOK)
	}
	return compareCompiled(t, rule, data)
}

func compareCompiled(t *testing.T, rule any, data map[string]any) bool {
	t.Helper()
	fast := compileLogic(rule)
	if fast == nil {
		return false
	}
	got, ok := fast(&frame{m: data})
	want, wantOK := applyLogic(rule, data)
	if !ok {
		return false
	}
	if !wantOK || !sameResult(got.toAny(), want) {
		rj, _ := json.Marshal(rule)
		t.Fatalf("rule %s on %#v: compiled %#v, library %#v (ok %v)", rj, data, got.toAny(), want, wantOK)
	}
	return true
}

func TestCompiledRulesMatchLibrary(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	catalog := catalogRules(t)
	for _, rule := range catalog {
		if _, folded := compileRule(rule, analyse(rule, &scope{}).needs); !folded {
			rj, _ := json.Marshal(rule)
			t.Errorf("catalog rule not compiled with its needs: %s", rj)
		}
	}
	var edge []any
	for _, s := range edgeRules {
		var rule any
		if err := json.Unmarshal([]byte(s), &rule); err != nil {
			t.Fatal(s, err)
		}
		edge = append(edge, rule)
	}
	var random []any
	for range 3000 {
		random = append(random, randomRule(r, 3, false))
	}
	for _, set := range []struct {
		name  string
		rules []any
		min   float64 // share of evaluations the compiled evaluator must answer
	}{{"catalog", catalog, 0.35}, {"edge", edge, 0.2}, {"random", random, 0.2}} {
		answered, total := 0, 0
		for _, rule := range set.rules {
			for range 60 {
				total++
				if compareRule(t, rule, ruleData(r, rule)) {
					answered++
				}
			}
		}
		t.Logf("%s rules: compiled evaluator answered %d of %d evaluations", set.name, answered, total)
		if float64(answered) < set.min*float64(total) {
			t.Errorf("%s rules: compiled evaluator answered only %d of %d evaluations", set.name, answered, total)
		}
	}
}

var (
	randomOps   = []string{"==", "!=", "===", "!==", "<", "<=", ">", ">=", "!", "!!", "and", "or", "+", "-", "*", "/", "%", "min", "max", "if", "reduce", "in", "cat"}
	randomPaths = []string{"a", "b", "c", "c.d", "l", "l.0", "l.1.x", "target.t", "row.x", "a.b", "x.a", ""}
)

// randomRule builds a rule of the operators rules may use, mostly well
// formed, over the variables ruleData fills.
func randomRule(r *rand.Rand, depth int, inReduce bool) any {
	if depth == 0 || r.IntN(4) == 0 {
		switch r.IntN(3) {
		case 0:
			return ruleValues(r, 0)
		}
		p := randomPaths[r.IntN(len(randomPaths))]
		if inReduce {
			p = []string{"current", "accumulator", "current.x", "current.a", "valueType"}[r.IntN(5)]
		}
		if r.IntN(4) == 0 {
			return map[string]any{"var": []any{p, ruleValues(r, 0)}}
		}
		return map[string]any{"var": p}
	}
	op := randomOps[r.IntN(len(randomOps))]
	if op == "reduce" {
		init := []any{0.0, true, "", 1.0, nil}[r.IntN(5)]
		return map[string]any{op: []any{map[string]any{"var": "l"}, randomRule(r, depth-1, true), init}}
	}
	n := r.IntN(5)
	if n == 0 && r.IntN(2) == 0 {
		return map[string]any{op: randomRule(r, depth-1, inReduce)}
	}
	args := make([]any, n)
	for i := range args {
		args[i] = randomRule(r, depth-1, inReduce)
	}
	return map[string]any{op: args}
}

// FuzzCompiledRule compares the compiled evaluator with jsonlogic/v3 on
// any rule and data.
func FuzzCompiledRule(f *testing.F) {
	for _, rule := range catalogRules(f) {
		rj, _ := json.Marshal(rule)
		f.Add(string(rj), `{"a":1,"b":"2","l":[{"x":1},{"x":null}],"c":{"d":true}}`)
	}
	for _, s := range edgeRules {
		f.Add(s, `{"a":[],"b":0,"c":{"d":"x"}}`)
	}
	f.Fuzz(func(t *testing.T, ruleJSON, dataJSON string) {
		var rule any
		var data map[string]any
		if json.Unmarshal([]byte(ruleJSON), &rule) != nil || json.Unmarshal([]byte(dataJSON), &data) != nil {
			t.Skip()
		}
		compareRule(t, rule, data)
	})
}
