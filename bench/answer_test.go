package bench

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
)

// TestAnswererFillsEveryCatalogForm checks the generator's answers to every
// built-in indicator, for every stage and frequency, pass the form's own
// validation: the load test sends only submissions the server accepts.
func TestAnswererFillsEveryCatalogForm(t *testing.T) {
	inds, err := forms.CatalogMap()
	if err != nil {
		t.Fatal(err)
	}
	plan := forms.Plan{ID: "plan-load", Name: "load", Year: 2026}
	for code := range inds {
		plan.Items = append(plan.Items, forms.PlanItem{Indicator: code})
	}
	checked := 0
	for _, freq := range []string{forms.Monthly, forms.Termly, forms.Yearly} {
		for _, stage := range forms.Stages {
			f, err := forms.Generate(plan, inds, freq, []string{stage})
			if err != nil {
				continue
			}
			// Seeds enough for every kind of row (a hazard closed on a
			// date before it was found, say) on a day early and late in a month.
			for seed := range 40 {
				school := forms.School{Code: "0999901001", Stages: []string{stage}, Classrooms: 3 + seed%5*7, Students: 100 * (seed % 5), Public: seed%2 == 0}
				today := time.Date(2026, 12, 2+26*(seed%2), 10, 0, 0, 0, time.UTC)
				vals, errs := NewAnswerer(f, forms.Env{School: school}, uint64(seed), today).Answer()
				if len(errs) > 0 {
					t.Errorf("%s %s seed %d: %s %s: %s", freq, stage, seed, errs[0].Field, errs[0].Code, errs[0].Message.En)
				}
				raw, _ := json.Marshal(vals)
				if _, again := f.Validate(raw, forms.Env{School: school}, false); len(again) != len(errs) {
					t.Errorf("%s %s seed %d: answer not stable under validation", freq, stage, seed)
				}
				checked++
			}
		}
	}
	if checked == 0 {
		t.Fatal("no form generated from the catalog")
	}
}
