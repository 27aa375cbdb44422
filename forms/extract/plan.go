package extract

import (
	"fmt"
	"slices"
)

// PlanItem is one indicator of a draft plan: how often schools report it and
// the targets that override the catalog's defaults.
type PlanItem struct {
	Indicator string             `json:"indicator"`
	Frequency string             `json:"frequency"`
	Targets   map[string]float64 `json:"targets"`
}

// PlanDraft is a bureau plan proposed from selected candidates.
type PlanDraft struct {
	Name  string     `json:"name"`
	Year  int        `json:"year"`
	Items []PlanItem `json:"items"`
}

// reporting are the frequencies a plan item can have; daily and within_year
// say when something is done, not how often it is reported.
var reporting = []string{Weekly, Monthly, Termly, Yearly}

// Plan turns the selected candidates (indexes into r.Candidates) into a draft
// plan: one item per indicator, in the order first selected, carrying the
// frequency the plan text names and the targets it sets (教室照明达标率 100 %
// → lighting.rate = 100; 每日锻炼时间不少于2小时 → activity.daily_minutes = 120).
// The first selected candidate setting a target or frequency wins.
func (r *Result) Plan(selected []int, name string, year int) (PlanDraft, error) {
	draft := PlanDraft{Name: name, Year: year, Items: []PlanItem{}}
	index := map[string]int{}
	for _, s := range selected {
		if s < 0 || s >= len(r.Candidates) {
			return PlanDraft{}, fmt.Errorf("extract: candidate %d does not exist (%d candidates)", s, len(r.Candidates))
		}
		c := r.Candidates[s]
		freq := c.Frequency
		if !slices.Contains(reporting, freq) || c.Target != nil && c.Target.Per == freq {
			freq = ""
		}
		for _, im := range c.Indicators {
			i, ok := index[im.Code]
			if !ok {
				i = len(draft.Items)
				index[im.Code] = i
				draft.Items = append(draft.Items, PlanItem{Indicator: im.Code, Targets: map[string]float64{}})
			}
			item := &draft.Items[i]
			if item.Frequency == "" {
				item.Frequency = freq
			}
			if _, set := item.Targets[im.Target]; im.Target != "" && im.Value != nil && !set {
				item.Targets[im.Target] = *im.Value
			}
		}
	}
	return draft, nil
}
