package forms

import (
	"encoding/json"
	"testing"
)

// soloForm generates a primary-school form holding one catalog indicator.
func soloForm(t testing.TB, code string) *Form {
	t.Helper()
	cat := mustCatalog(t)
	p := Plan{ID: "solo-" + code, Name: code, Year: 2026, Items: []PlanItem{{Indicator: code}}}
	return mustGenerate(t, p, cat[code].Frequency, Primary)
}

// submit validates {code: vals} as a final submission and fails the test on
// any error.
func submit(t testing.TB, f *Form, code string, vals map[string]any, env Env) Values {
	t.Helper()
	raw, err := json.Marshal(map[string]any{code: vals})
	if err != nil {
		t.Fatal(err)
	}
	v, errs := f.Validate(raw, env, false)
	if len(errs) > 0 {
		t.Fatalf("unexpected errors: %+v", errs)
	}
	return v
}

// scoreOne validates and scores a one-section submission.
func scoreOne(t testing.TB, code string, vals map[string]any, env Env) Result {
	t.Helper()
	f := soloForm(t, code)
	res := f.Score(submit(t, f, code, vals, env), env)
	if len(res) != 1 {
		t.Fatalf("got %d results", len(res))
	}
	return res[0]
}

func with(base map[string]any, kv ...any) map[string]any {
	out := make(map[string]any, len(base))
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == nil {
			delete(out, kv[i].(string))
		} else {
			out[kv[i].(string)] = kv[i+1]
		}
	}
	return out
}

// codes lists the field:code pairs of errors.
func codes(errs []FieldError) []string {
	out := make([]string, len(errs))
	for i, e := range errs {
		out[i] = e.Field + ":" + e.Code
	}
	return out
}
