package forms

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"testing"
)

// The phone evaluates rules with json-logic-js (web/static/vendor/logic.js
// as web/static/js/engine.js adapts it and web/static/js/rules.js uses it),
// the server with the compiled rules of logic*.go. These tests run the
// phone's code in node on the rules CheckIndicator accepts and compare its
// answers with the server's.

const (
	diffSeed  = 20260301
	diffRules = 2000 // accepted random rules
	diffData  = 3    // random data sets each
)

// phoneCase is one rule and its data, a line of the harness's input.
type phoneCase struct {
	Rule any            `json:"rule"`
	Data map[string]any `json:"data"`
}

// answer is an evaluation: ok false when the rule is not evaluated (a value
// it needs is empty) or fails; the value tagged as the harness tags it.
type answer struct {
	OK    bool `json:"ok"`
	Value any  `json:"value,omitempty"`
}

// nodePath finds node, which runs the phone's engine. Without it the test
// is skipped, or fails when CI=true.
func nodePath(t *testing.T) string {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("node not found: CI must run the phone's rule engine (testdata/phone_rules.mjs)")
		}
		t.Skip("node not found: skipping the comparison with the phone's rule engine (testdata/phone_rules.mjs)")
	}
	return node
}

// phoneEval evaluates cases with the phone's engine: testdata/phone_rules.mjs
// in node.
func phoneEval(t *testing.T, cases []phoneCase) []answer {
	t.Helper()
	node := nodePath(t)
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	for _, c := range cases {
		if err := enc.Encode(c); err != nil {
			t.Fatal(err)
		}
	}
	var stderr bytes.Buffer
	cmd := exec.Command(node, "testdata/phone_rules.mjs")
	cmd.Stdin, cmd.Stderr = &in, &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node testdata/phone_rules.mjs: %v\n%s", err, stderr.String())
	}
	var answers []answer
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var a answer
		if err := dec.Decode(&a); err != nil {
			t.Fatal(err)
		}
		answers = append(answers, a)
	}
	if len(answers) != len(cases) {
		t.Fatalf("the harness answered %d of %d cases", len(answers), len(cases))
	}
	return answers
}

// serverEval is the server's answer: the rule compiled and evaluated as a
// form evaluates it (empty needed values first, then the rule).
func serverEval(rule any, data map[string]any) answer {
	r := newRule(rule, &scope{})
	v, ok := r.eval(&frame{}, data)
	if !ok {
		return answer{}
	}
	return answer{OK: true, Value: tagged(v)}
}

// tagged writes a value as the harness does: JSON's values, with non-finite
// numbers tagged and zero without its sign (JSON.stringify drops it; every
// use of a rule's result does too).
func tagged(v any) any {
	switch x := v.(type) {
	case float64:
		switch {
		case math.IsNaN(x):
			return map[string]any{"$num": "NaN"}
		case math.IsInf(x, 1):
			return map[string]any{"$num": "+Inf"}
		case math.IsInf(x, -1):
			return map[string]any{"$num": "-Inf"}
		}
		return x + 0
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = tagged(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = tagged(e)
		}
		return out
	}
	return v
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}

func TestPhoneAgreesWithServer(t *testing.T) {
	nodePath(t)
	r := rand.New(rand.NewPCG(diffSeed, 1))
	g, dg := &ruleGen{r: r}, &dataGen{r: r}
	base := diffIndicator()
	if errs := CheckIndicator(base); len(errs) > 0 {
		t.Fatalf("the indicator the rules stand in is invalid: %v", codes(errs))
	}
	var cases []phoneCase
	var server []answer
	var ruleOf []int
	tried, accepted := 0, 0
	for accepted < diffRules {
		if tried++; tried > 100*diffRules {
			t.Fatalf("only %d of %d generated rules accepted", accepted, tried)
		}
		row := r.IntN(3) == 0
		rule := g.rule(row)
		if len(CheckIndicator(withRule(rule, row))) > 0 {
			continue
		}
		for range diffData {
			data := dg.data(base, row)
			cases = append(cases, phoneCase{Rule: rule, Data: data})
			server = append(server, serverEval(rule, data))
			ruleOf = append(ruleOf, accepted)
		}
		accepted++
	}
	phone := phoneEval(t, cases)
	bad, badRules := 0, map[int]bool{}
	for i, c := range cases {
		if reflect.DeepEqual(server[i], phone[i]) {
			continue
		}
		if bad++; bad <= 15 {
			t.Errorf("rule %s\ndata   %s\nserver %s\nphone  %s", jsonText(c.Rule), jsonText(c.Data), jsonText(server[i]), jsonText(phone[i]))
		}
		badRules[ruleOf[i]] = true
	}
	t.Logf("%d of %d generated rules accepted, %d evaluations: %d disagree (%d rules)", accepted, tried, len(cases), bad, len(badRules))
	if bad > 0 {
		t.Errorf("the phone and the server disagree on %d of %d evaluations (%d of %d rules)", bad, len(cases), len(badRules), accepted)
	}
}

// TestRuleShapes holds the shapes the two engines read differently, each
// either refused by CheckIndicator (with a field error on the rule) or read
// alike by both on data where they once differed.
func TestRuleShapes(t *testing.T) {
	cases := []struct {
		name, rule string
		row        bool
		refused    string   // part of the English error, when refused
		data       []string // when accepted: data the two must agree on
	}{
		// An operation where a list of arguments belongs: the server spreads
		// a list result into arguments, and fails on an empty one.
		{name: "! of an operation", rule: `{"!": {"missing": ["n"]}}`, refused: "must be a list"},
		{name: "!! of an operation", rule: `{"!!": {"var": "tags"}}`, refused: "must be a list"},
		{name: "! of a list", rule: `{"!": [{"missing": ["n", "d"]}]}`, data: []string{`{"n": 1, "d": 2}`, `{"n": 1}`, `{}`}},
		// A bare variable as the body of an iteration: the server puts the
		// element's value where the rule should be.
		{name: "all over a bare variable", rule: `{"all": [{"var": "rows"}, {"var": "r_ok"}]}`, refused: "must be an operation"},
		{name: "some over a bare variable", rule: `{"some": [{"var": "rows"}, {"var": "r_ok"}]}`, refused: "must be an operation"},
		{name: "none over a bare variable", rule: `{"none": [{"var": "tags"}, {"var": ""}]}`, refused: "must be an operation"},
		{name: "filter over a bare variable", rule: `{"filter": [{"var": "rows"}, {"var": "r_ok"}]}`, refused: "must be an operation"},
		{name: "all over a comparison", rule: `{"all": [{"var": "rows"}, {"==": [{"var": "r_ok"}, true]}]}`,
			data: []string{`{"rows": [{"r_ok": true}, {"r_ok": true}]}`, `{"rows": [{"r_ok": true}, {}]}`, `{"rows": []}`}},
		{name: "default in a filter body", rule: `{"filter": [{"var": "rows"}, {">": [{"var": ["r_n", 0]}, 1]}]}`, refused: "takes no default"},
		{name: "reduce of a list that may be empty", rule: `{"reduce": [{"var": ["rows", null]}, {"+": [{"var": "accumulator"}, 1]}, -0]}`, refused: "initial value 0"},
		{name: "reduce of a needed list", rule: `{"/": [1, {"reduce": [{"var": "rows"}, {"+": [{"var": "accumulator"}, 1]}, -0]}]}`, data: []string{`{"rows": []}`}},
		{name: "reduce in an all body", rule: `{"all": [{"var": "rows"}, {">": [{"reduce": [{"var": "r_tags"}, {"+": [{"var": "accumulator"}, 1]}, 0]}, 1]}]}`, refused: "reduce cannot stand"},
		// == between kinds: the phone converts, the server does not.
		{name: "== of a boolean and 1", rule: `{"==": [{"var": "ok"}, 1]}`, refused: "compares values of one kind"},
		{name: "!= of a number and a text", rule: `{"!=": [{"var": "n"}, "1"]}`, refused: "compares values of one kind"},
		{name: "=== of a boolean and 1", rule: `{"===": [{"var": "ok"}, 1]}`, data: []string{`{"ok": true}`, `{"ok": false}`}},
		{name: "== with null", rule: `{"==": [{"var": ["n", null]}, null]}`, data: []string{`{"n": 0}`, `{}`, `{"n": null}`}},
		{name: "<= of null", rule: `{"<=": [{"var": ["n", null]}, 0]}`, refused: "compares numbers with numbers"},
		{name: "arithmetic on a text", rule: `{"+": [{"var": "note"}, 1]}`, refused: "takes numbers"},
		{name: "and over numbers", rule: `{"and": [{"var": "n"}, {"var": "ok"}]}`, refused: "join booleans"},
		// NaN: the server's min and max keep the first of equal or unordered
		// values (the phone's now too); NaN's truth differs and is refused.
		{name: "max over NaN", rule: `{"max": [1, {"/": [{"var": "n"}, {"var": "d"}]}]}`, data: []string{`{"n": 0, "d": 0}`, `{"n": 3, "d": 1}`}},
		{name: "min over NaN first", rule: `{"min": [{"%": [{"var": "n"}, 0]}, 1]}`, data: []string{`{"n": 5}`}},
		{name: "max of zeros", rule: `{"/": [1, {"max": [{"-": [0]}, 0]}]}`, data: []string{`{}`}},
		{name: "sign of zero in a lone +", rule: `{"/": [1, {"+": [{"var": ["n", -0]}]}]}`, data: []string{`{}`, `{"n": 2}`}},
		{name: "sign of zero in *", rule: `{"<": [{"/": [1, {"*": [{"-": [0]}, 2]}]}, 0]}`, data: []string{`{}`}},
		{name: "truth of NaN", rule: `{"!": [{"/": [{"var": "n"}, {"var": "d"}]}]}`, refused: "NaN"},
		{name: "NaN in an if", rule: `{"if": [{"%": [{"var": "n"}, 0]}, 1, 2]}`, refused: "NaN"},
		{name: "NaN in a list", rule: `{"some": [{"map": [{"var": "rows"}, {"/": [1, 0]}]}, {"!": [{"var": ""}]}]}`, refused: "NaN"},
		// substr: the server counts code points, the phone UTF-16 units.
		{name: "substr of emoji", rule: `{"substr": [{"var": "note"}, 1, 2]}`, data: []string{`{"note": "😀👍🏽x"}`, `{"note": "𠀀字字"}`}},
		{name: "substr from the end", rule: `{"substr": [{"var": "note"}, -2]}`, data: []string{`{"note": "a😀b"}`, `{"note": "😀"}`}},
		{name: "substr beyond the text", rule: `{"substr": [{"var": "note"}, 5, 1]}`, data: []string{`{"note": "校园"}`}},
		{name: "substr negative length", rule: `{"substr": [{"var": "note"}, 0, -1]}`, refused: "length (0 or more)"},
		{name: "substr computed start", rule: `{"substr": [{"var": "note"}, {"var": "n"}]}`, refused: "whole numbers written in the rule"},
		// Texts: order by code point, cat trims as Go does.
		{name: "text order", rule: `{"<": [{"var": "note"}, "！"]}`, data: []string{`{"note": "😀"}`, `{"note": "a"}`}},
		{name: "cat trims", rule: `{"cat": ["\u3000\u0085", {"var": "note"}, "\ufeff"]}`, data: []string{`{"note": "校园"}`}},
		{name: "empty text in a text", rule: `{"in": ["", {"substr": [{"var": "note"}, 0, 0]}]}`, data: []string{`{"note": "校园"}`}},
		// Variables: an inherited name, an explicit null.
		{name: "a field named constructor", rule: `{"var": ["constructor", 0]}`, data: []string{`{}`, `{"constructor": 3}`}},
		{name: "needed constructor", rule: `{">": [{"var": "constructor"}, 0]}`, data: []string{`{}`}},
		{name: "null takes the default", rule: `{"+": [{"var": ["n", 5]}, 1]}`, data: []string{`{"n": null}`, `{"n": 1}`}},
		{name: "missing of null", rule: `{"missing": ["n", "label"]}`, data: []string{`{"n": null, "label": ""}`}},
		{name: "a whole row", rule: `{"filter": [{"var": "rows"}, {"!!": [{"var": ""}]}]}`, refused: "whole row"},
		{name: "a list as a rule", rule: `[1, {"var": "n"}]`, refused: "not a list"},
		{name: "row rule", row: true, rule: `{"==": [{"substr": [{"var": "row.r_name"}, 0, 1]}, "😀"]}`, data: []string{`{"row": {"r_name": "😀x"}}`}},
	}
	var accepted []phoneCase
	var names []string
	for _, c := range cases {
		var rule any
		if err := json.Unmarshal([]byte(c.rule), &rule); err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		path := "compliance[0].rule"
		if c.row {
			path = "fields[9].fields[0].constraints[0].rule"
		}
		errs := CheckIndicator(withRule(rule, c.row))
		if c.refused == "" {
			if len(errs) > 0 {
				t.Errorf("%s: %s refused: %v", c.name, c.rule, errs)
			}
			for _, d := range c.data {
				var data map[string]any
				if err := json.Unmarshal([]byte(d), &data); err != nil {
					t.Fatalf("%s: %v", c.name, err)
				}
				accepted, names = append(accepted, phoneCase{Rule: rule, Data: data}), append(names, c.name)
			}
			continue
		}
		found := false
		for _, e := range errs {
			found = found || e.Field == path && e.Code == "rule" && bytes.Contains([]byte(e.Message.En), []byte(c.refused)) && e.Message.Zh != ""
		}
		if !found {
			t.Errorf("%s: %s: errors %v, want %s:rule saying %q", c.name, c.rule, errs, path, c.refused)
		}
	}
	phone := phoneEval(t, accepted)
	for i, c := range accepted {
		if server := serverEval(c.Rule, c.Data); !reflect.DeepEqual(server, phone[i]) {
			t.Errorf("%s: rule %s on %s: server %s, phone %s", names[i], jsonText(c.Rule), jsonText(c.Data), jsonText(server), jsonText(phone[i]))
		}
	}
}
