// Package extract reads the text of a bureau's annual work plan (工作要点) and
// proposes the indicators, targets and frequencies it names, mapped to the
// indicator catalog, for a bureau user to confirm. It is pure Go, offline and
// deterministic: rules and a dictionary (dictionary.yaml), no model.
package extract

import (
	"errors"
	"slices"
	"strings"
	"unicode/utf8"
)

// MaxInput is the largest plan text Extract accepts, in bytes.
const MaxInput = 1 << 20

// Topics a candidate can have.
const (
	TopicFoodSafety     = "food_safety"
	TopicBullying       = "bullying"
	TopicLightingVision = "lighting_vision"
	TopicPhysicalHealth = "physical_health"
	TopicMentalHealth   = "mental_health"
	TopicSafety         = "safety"
	TopicAfterSchool    = "after_school"
	TopicTeachers       = "teachers"
	TopicEnrolment      = "enrolment_resources"
	TopicOther          = "other"
)

// Levels a candidate can have.
const (
	LevelSchool = "school" // a school can report it
	LevelBureau = "bureau" // a goal of the bureau (building, creating, area-wide shares)
)

// Comparators of a target.
const (
	AtLeast    = ">="
	AtMost     = "<="
	Equal      = "="
	Reach      = "reach"
	IncreaseBy = "increase_by"
	DecreaseBy = "decrease_by"
	Zero       = "zero"
)

// Frequencies a sentence can name.
const (
	Daily      = "daily"
	Weekly     = "weekly"
	Monthly    = "monthly"
	Termly     = "termly"
	Yearly     = "yearly"
	WithinYear = "within_year"
)

// ErrTooLarge is returned for plan texts longer than MaxInput.
var ErrTooLarge = errors.New("extract: plan text larger than 1 MB")

// ErrInvalidUTF8 is returned for plan texts that are not valid UTF-8.
var ErrInvalidUTF8 = errors.New("extract: plan text is not valid UTF-8")

// Result is what Extract found in a plan, in document order.
type Result struct {
	Candidates []Candidate `json:"candidates"`
}

// Candidate is one proposed indicator or target, read from one part of one
// sentence of the plan.
type Candidate struct {
	// Clause locates the sentence: section and item, e.g. "七、25", or the
	// heading and lead phrase of an unnumbered plan ("深化平安校园建设").
	Clause string `json:"clause"`
	// Sentence is the cleaned sentence the candidate was read from.
	Sentence string `json:"sentence"`
	// Phrase is the part of the sentence that carries the candidate.
	Phrase     string           `json:"phrase"`
	Topic      string           `json:"topic"`
	Target     *Target          `json:"target,omitempty"`
	Frequency  string           `json:"frequency,omitempty"`
	Level      string           `json:"level"`
	Indicators []IndicatorMatch `json:"indicators"`
}

// Target is a quantitative goal: Metric Comparator Value Unit, e.g.
// 教室照明达标率 reach 100 %.
type Target struct {
	Metric     string  `json:"metric"`
	Comparator string  `json:"comparator"`
	Value      float64 `json:"value"`
	// Max is the upper bound of a range ("1-2 项"); Value is then the lower.
	Max  float64 `json:"max,omitempty"`
	Unit string  `json:"unit,omitempty"`
	// Per is the period the quantity is counted over when the metric names
	// one (每日锻炼时间 → daily): it is then not a reporting frequency.
	Per string `json:"per,omitempty"`
}

// IndicatorMatch is a catalog indicator a candidate maps to. Target names the
// indicator's target the candidate sets, and Value its value in the target's
// unit (2 小时 → 120 for activity.daily_minutes).
type IndicatorMatch struct {
	Code       string   `json:"code"`
	Confidence float64  `json:"confidence"`
	Target     string   `json:"target,omitempty"`
	Value      *float64 `json:"value,omitempty"`
}

// Extract reads a plan text and returns the candidates it names. The text must
// be valid UTF-8 and at most MaxInput bytes.
func Extract(text string) (*Result, error) {
	if len(text) > MaxInput {
		return nil, ErrTooLarge
	}
	if !utf8.ValidString(text) {
		return nil, ErrInvalidUTF8
	}
	res := &Result{Candidates: []Candidate{}}
	for _, p := range paragraphs(Normalize(text)) {
		if p.title {
			continue // a plan's or a part's title, a headline
		}
		ss := sentences(p.body)
		var title, body []Candidate
		for i, s := range ss {
			if i == 0 && (len(ss) > 1 || p.heading) && isTitle(s) {
				// A title sums up the sentences after it; an item's title
				// counts only for what they do not name ("巩固'双减'成果。
				// 优化作业管理…").
				if !p.heading {
					title = candidates(p.clause, p.context, s)
				}
				continue
			}
			body = append(body, candidates(p.clause, p.context, s)...)
		}
		for _, c := range title {
			if len(c.Indicators) > 0 && !slices.ContainsFunc(body, func(b Candidate) bool { return sharesIndicator(b, c) }) {
				res.Candidates = append(res.Candidates, c)
			}
		}
		res.Candidates = append(res.Candidates, body...)
	}
	return res, nil
}

// sharesIndicator reports whether two candidates name an indicator in common.
func sharesIndicator(a, b Candidate) bool {
	return slices.ContainsFunc(a.Indicators, func(m IndicatorMatch) bool {
		return slices.ContainsFunc(b.Indicators, func(n IndicatorMatch) bool { return n.Code == m.Code })
	})
}

// isTitle reports whether a sentence is a short title with no target
// ("保障校园食品安全").
func isTitle(s string) bool {
	return utf8.RuneCountInString(s) <= 20 && !strings.ContainsAny(s, ",;:") && ParseTarget(s) == nil
}

// SchoolLevel returns the school-level candidates that map to at least one
// indicator: those a bureau can turn into forms.
func (r *Result) SchoolLevel() []Candidate {
	var out []Candidate
	for _, c := range r.Candidates {
		if c.Level == LevelSchool && len(c.Indicators) > 0 {
			out = append(out, c)
		}
	}
	return out
}
