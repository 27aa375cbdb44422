package extract

import (
	"encoding/json"
	"maps"
	"os"
	"strings"
	"testing"
)

// schoolIndexes returns the indexes of the school-level candidates that map
// to an indicator: what a bureau officer accepting every proposal selects.
func schoolIndexes(r *Result) []int {
	var idx []int
	for i, c := range r.Candidates {
		if c.Level == LevelSchool && len(c.Indicators) > 0 {
			idx = append(idx, i)
		}
	}
	return idx
}

func extractFile(t *testing.T, path string) *Result {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Extract(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestPlanDraft(t *testing.T) {
	tests := []struct {
		file    string
		targets map[string]map[string]float64
		freq    map[string]string
	}{
		{"../testdata/plans/2025-xiangtan-city.txt", map[string]map[string]float64{
			"activity":        {"daily_minutes": 120},
			"lighting":        {"rate": 100},
			"after_school":    {"quality_share": 50},
			"ethics_training": {"hours": 20},
			"fitness":         {}, // 提升15%: an increase, not a rate to reach
		}, map[string]string{"bullying": Monthly, "bullying_education": Termly, "mental_health": Yearly, "activity": "", "after_school": ""}},
		{"../testdata/plans/2024-huangshi-city.txt", map[string]map[string]float64{
			"fitness": {"good_rate": 40},
			"myopia":  {"decrease_pp": 0.5},
		}, nil},
		{"../testdata/plans/2024-pingdu-city.txt", map[string]map[string]float64{
			"activity": {"daily_minutes": 60},
		}, nil},
		{"testdata/invented-county.txt", map[string]map[string]float64{
			"canteen":  {"accompany_rate": 100, "sample_grams": 125, "sample_hours": 48},
			"hazards":  {"fix_rate": 100},
			"lighting": {"rate": 100},
		}, map[string]string{"canteen_term": Termly, "drowning": Weekly, "ethics_training": Yearly}},
	}
	for _, tt := range tests {
		res := extractFile(t, tt.file)
		draft, err := res.Plan(schoolIndexes(res), "工作要点", 2026)
		if err != nil {
			t.Fatal(err)
		}
		items := map[string]PlanItem{}
		for _, it := range draft.Items {
			if _, dup := items[it.Indicator]; dup {
				t.Errorf("%s: indicator %s twice", tt.file, it.Indicator)
			}
			items[it.Indicator] = it
		}
		for code, want := range tt.targets {
			if got, ok := items[code]; !ok || !maps.Equal(got.Targets, want) {
				t.Errorf("%s: %s targets = %v, want %v", tt.file, code, got.Targets, want)
			}
		}
		for code, want := range tt.freq {
			if got := items[code].Frequency; got != want {
				t.Errorf("%s: %s frequency = %q, want %q", tt.file, code, got, want)
			}
		}
		if draft.Name != "工作要点" || draft.Year != 2026 {
			t.Errorf("draft header = %q %d", draft.Name, draft.Year)
		}
	}
}

func TestPlanSelection(t *testing.T) {
	res := extractFile(t, "testdata/invented-county.txt")
	if _, err := res.Plan([]int{len(res.Candidates)}, "x", 2026); err == nil {
		t.Error("Plan with an index out of range: no error")
	}
	if _, err := res.Plan([]int{-1}, "x", 2026); err == nil {
		t.Error("Plan with a negative index: no error")
	}
	draft, err := res.Plan(nil, "x", 2026)
	if err != nil || draft.Items == nil || len(draft.Items) != 0 {
		t.Errorf("empty selection = %+v, %v", draft, err)
	}
}

func TestJSONShape(t *testing.T) {
	res, err := Extract("一、体育\n1.确保学生每日锻炼时间不少于2小时。")
	if err != nil || len(res.Candidates) != 1 {
		t.Fatalf("Extract = %+v, %v", res, err)
	}
	b, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{`"candidates":[`, `"clause":"一、1"`, `"topic":"physical_health"`, `"level":"school"`,
		`"frequency":"daily"`, `"target":{"metric":"学生每日锻炼时间","comparator":"\u003e=","value":2,"unit":"小时","per":"daily"}`,
		`"indicators":[{"code":"activity","confidence":0.9,"target":"daily_minutes","value":120}]`} {
		if !strings.Contains(string(b), part) {
			t.Errorf("JSON %s lacks %s", b, part)
		}
	}
	draft, _ := res.Plan([]int{0}, "p", 2026)
	b, _ = json.Marshal(draft)
	if want := `{"name":"p","year":2026,"items":[{"indicator":"activity","frequency":"","targets":{"daily_minutes":120}}]}`; string(b) != want {
		t.Errorf("plan JSON = %s, want %s", b, want)
	}
}
