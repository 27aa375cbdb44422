package forms

import (
	"sync"
	"testing"
)

var (
	fuzzOnce sync.Once
	fuzzForm *Form
)

// fuzzTarget is a primary-school monthly form with repeats, relevance,
// computed fields and constraints, plus the probe of every field type.
func fuzzTarget(t testing.TB) *Form {
	fuzzOnce.Do(func() {
		cat := mustCatalog(t)
		cat["probe"] = probeIndicator()
		p := testPlan()
		p.Items = append(p.Items, PlanItem{Indicator: "probe"})
		f, err := Generate(p, cat, Monthly, []string{Primary})
		if err != nil {
			t.Fatal(err)
		}
		fuzzForm = f
	})
	return fuzzForm
}

// FuzzValidate checks that decoding and validating any bytes never panics
// and always gives a verdict: values, or at least one error.
func FuzzValidate(f *testing.F) {
	for _, s := range []string{
		`{}`, `[]`, `null`, `{"lighting":{"classrooms":[{"name":"A","desk_lux":300,"board_lamps":false}]}}`,
		`{"bullying":{"found_verbal":1,"handled":"1","zero_report":true}}`,
		`{"probe":{"n":1e999,"m":["x","x"],"r":[{"name":{"$gt":""}}]}}`,
	} {
		f.Add([]byte(s), false)
	}
	form := fuzzTarget(f)
	f.Fuzz(func(t *testing.T, raw []byte, draft bool) {
		vals, errs := form.Validate(raw, Env{School: School{Students: 100}}, draft)
		if vals == nil && len(errs) == 0 {
			t.Fatal("no values and no errors")
		}
		for _, e := range errs {
			if e.Code == "" || e.Message.Zh == "" || e.Message.En == "" {
				t.Fatalf("error without code or message: %+v", e)
			}
			if e.Code == "internal" {
				t.Fatalf("validation panicked on %q", raw)
			}
		}
		if vals != nil {
			_ = form.Score(vals, Env{Previous: vals})
		}
	})
}
