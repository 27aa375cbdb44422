package forms

import (
	"slices"
	"testing"
)

func TestCatalogValid(t *testing.T) {
	list, err := Catalog()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 14 {
		t.Fatalf("catalog has %d indicators, want at least 14", len(list))
	}
	for i, ind := range list {
		if i > 0 && list[i-1].Code >= ind.Code {
			t.Errorf("catalog not sorted at %q", ind.Code)
		}
		if !ind.Builtin {
			t.Errorf("%s: Builtin not set", ind.Code)
		}
		if errs := CheckIndicator(ind); len(errs) > 0 {
			t.Errorf("%s: %+v", ind.Code, errs)
		}
		if ind.Source == "" || ind.Help.Zh == "" || ind.Help.En == "" || ind.Name.En == "" || ind.Category == "" {
			t.Errorf("%s: source, help, English name and category are required", ind.Code)
		}
		if len(ind.Compliance) == 0 {
			t.Errorf("%s: no compliance rule", ind.Code)
		}
	}
}

func TestCatalogCoreCodesAndTargets(t *testing.T) {
	cat := mustCatalog(t)
	want := map[string][]string{
		"canteen":            {"accompany_rate", "sample_grams", "sample_hours"},
		"canteen_term":       nil,
		"bullying":           nil,
		"bullying_education": nil,
		"lighting":           {"desk_lux", "desk_uniformity", "board_lux", "board_uniformity", "cct_min", "cct_max", "ra", "ugr", "lpd", "rate"},
		"lamps":              nil,
		"myopia":             {"decrease_pp"},
		"fitness":            {"good_rate"},
		"activity":           {"daily_minutes"},
		"mental_health":      {"screened_rate"},
		"hazards":            {"fix_rate"},
		"after_school":       {"quality_share"},
		"ethics_training":    {"hours"},
	}
	wantValues := map[string]float64{
		"canteen.accompany_rate": 100, "canteen.sample_grams": 125, "canteen.sample_hours": 48,
		"lighting.desk_lux": 300, "lighting.desk_uniformity": 0.7, "lighting.board_lux": 500,
		"lighting.board_uniformity": 0.8, "lighting.cct_min": 3300, "lighting.cct_max": 5500,
		"lighting.ra": 80, "lighting.ugr": 19, "lighting.lpd": 11, "lighting.rate": 100,
		"myopia.decrease_pp": 0.5, "fitness.good_rate": 40, "activity.daily_minutes": 120,
		"mental_health.screened_rate": 100, "hazards.fix_rate": 100, "after_school.quality_share": 50,
		"ethics_training.hours": 20,
	}
	for code, targets := range want {
		ind, ok := cat[code]
		if !ok {
			t.Errorf("catalog lacks %q", code)
			continue
		}
		for _, name := range targets {
			got, ok := ind.Targets[name]
			if !ok {
				t.Errorf("%s lacks target %q", code, name)
			} else if got != wantValues[code+"."+name] {
				t.Errorf("%s.%s = %v, want %v", code, name, got, wantValues[code+"."+name])
			}
		}
	}
	if slices.Contains(cat["bullying"].Stages, Kindergarten) || slices.Contains(cat["lighting"].Stages, Kindergarten) {
		t.Error("bullying and lighting must not apply to kindergartens")
	}
	if !slices.Contains(cat["canteen"].Stages, Kindergarten) {
		t.Error("kindergartens have canteens")
	}
	if cat["lighting"].Frequency != Termly || cat["canteen"].Frequency != Monthly || cat["fitness"].Frequency != Yearly {
		t.Error("default frequencies changed")
	}
}

func mustCatalog(t testing.TB) map[string]Indicator {
	t.Helper()
	m, err := CatalogMap()
	if err != nil {
		t.Fatal(err)
	}
	return m
}
