package forms

import (
	"math"
	"slices"
	"testing"
)

// TestPassesAgreesWithValidator checks that every value the direct
// comparisons let through also passes the shared validator, and that they
// let the usual values through.
func TestPassesAgreesWithValidator(t *testing.T) {
	fields := []*Field{}
	inds := []Indicator{probeIndicator()}
	for _, ind := range mustCatalog(t) {
		inds = append(inds, ind)
	}
	var walk func([]Field)
	walk = func(fs []Field) {
		for i := range fs {
			fields = append(fields, &fs[i])
			walk(fs[i].Fields)
		}
	}
	for _, ind := range inds {
		walk(ind.Fields)
	}
	odd := &Field{ID: "odd", Type: Choice, Label: Text{Zh: "怪"}, Options: []Option{{Value: "a b"}, {Value: "'c'"}}}
	pct := &Field{ID: "pct", Type: Percent, Label: Text{Zh: "比"}, Min: fp(10), Max: fp(math.NaN())}
	fields = append(fields, odd, pct)
	numbers := []float64{math.Inf(-1), -1e9, -1, -0.5, 0, 0.1, 0.5, 1, 2, 10, 30, 31, 32, 99.9, 100, 100.1, 500, 600, 601, 3000, 1e9}
	texts := []string{"", "a", "abc", "a b", "'c'", "c", "yes", "no", "教室", string(make([]rune, 30)), string(make([]rune, 31)), string(make([]rune, 501))}
	passed := 0
	for _, f := range fields {
		cf := &cField{f: f, tag: fieldTag(f), plainOptions: plainOptions(f)}
		var values []any
		for _, n := range numbers {
			values = append(values, n)
		}
		for _, s := range texts {
			values = append(values, s)
		}
		for _, o := range f.Options {
			values = append(values, o.Value, []string{o.Value}, []string{o.Value, o.Value}, []string{o.Value, "zz"})
		}
		if len(f.Options) > 1 {
			values = append(values, []string{f.Options[1].Value, f.Options[0].Value})
		}
		for _, v := range values {
			if !cf.passes(v) {
				continue
			}
			passed++
			if code, _, ok := checkVar(f, v, cf.tag); !ok {
				t.Errorf("%s: %#v passes the direct check but the validator says %s", f.ID, v, code)
			}
		}
	}
	if passed < 100 {
		t.Errorf("only %d values passed the direct check", passed)
	}
	if cf := (&cField{f: odd, plainOptions: plainOptions(odd)}); cf.passes("c") || cf.passes("a b") {
		t.Error("options that are not plain words must go to the validator")
	}
}

// TestRowKeyErrorsComeFirst pins the order of a row's errors: its keys
// (sorted), then its values.
func TestRowKeyErrorsComeFirst(t *testing.T) {
	f := fuzzTarget(t)
	_, errs := f.Validate([]byte(`{"probe":{"r":[{"name":"a","v":"x","zz":2,"$a":1},{"name":"b","v":"y"}]}}`), Env{}, true)
	want := []string{"probe.r[0].$a:invalid_key", "probe.r[0].zz:unknown_field", "probe.r[0].v:type", "probe.r[1].v:type"}
	if got := codes(errs); !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}
