package extract

import (
	_ "embed"
	"fmt"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

//go:embed dictionary.yaml
var dictionaryYAML []byte

// dictionary is the parsed dictionary.yaml.
type dictionary struct {
	Indicators []indicatorRule `yaml:"indicators"`
	Topics     []struct {
		Topic    string   `yaml:"topic"`
		Keywords []string `yaml:"keywords"`
	} `yaml:"topics"`
	BureauMarkers []string `yaml:"bureau_markers"`
	AreaMarkers   []string `yaml:"area_markers"`
	GoalMarkers   []string `yaml:"goal_markers"`
	SchoolMarkers []string `yaml:"school_markers"`
	// SentenceBureauMarkers make every part of their sentence a bureau goal.
	SentenceBureauMarkers []string `yaml:"sentence_bureau_markers"`
	// ListBureauVerbs before a list make all its members bureau goals.
	ListBureauVerbs []string `yaml:"list_bureau_verbs"`
	// ListEndings end a list's last member and are said of every member.
	ListEndings []string `yaml:"list_endings"`
	// ObjectVerbs start the words after a list of places or things
	// ("…等进行全面排查").
	ObjectVerbs []string `yaml:"object_verbs"`
	CountUnits  []string `yaml:"count_units"`
	// SpendUnits (money, floor area) make a target a bureau goal whatever
	// it names.
	SpendUnits []string `yaml:"spend_units"`
}

// indicatorRule says when a sentence part names a catalog indicator.
type indicatorRule struct {
	Code  string `yaml:"code"`
	Topic string `yaml:"topic"`
	Match []struct {
		All []string `yaml:"all"`
		// Ctx, when given: one of these words is in the part or in the
		// headings it stands under ("满意度测评" under "食堂管理").
		Ctx  []string `yaml:"ctx"`
		Conf float64  `yaml:"conf"`
	} `yaml:"match"`
	Not     []string     `yaml:"not"`
	Targets []targetRule `yaml:"targets"`
}

// targetRule says when a target sets one of the indicator's catalog targets.
type targetRule struct {
	Name        string             `yaml:"name"`
	Units       map[string]float64 `yaml:"units"`
	Keywords    []string           `yaml:"keywords"`
	Comparators []string           `yaml:"comparators"`
}

// dict is loaded once at start-up; a broken dictionary is a programming error.
var dict = mustLoad(dictionaryYAML)

func mustLoad(b []byte) *dictionary {
	var d dictionary
	if err := yaml.Unmarshal(b, &d); err != nil {
		panic(fmt.Sprintf("extract: dictionary.yaml: %v", err))
	}
	return &d
}

// minConfidence is the lowest confidence of an indicator a candidate lists.
const minConfidence = 0.5

func containsAny(s string, words []string) bool {
	return slices.ContainsFunc(words, func(w string) bool { return strings.Contains(s, w) })
}

// indicatorsOf returns the indicators a sentence part names, most confident
// first, with the catalog target the part's target sets; context is the
// text of the headings the part stands under.
func (d *dictionary) indicatorsOf(part, context string, t *Target) []IndicatorMatch {
	part = withoutTitles(part) // 《…“双减”…处理办法》 names a document, not a duty
	var out []IndicatorMatch
	for _, rule := range d.Indicators {
		if containsAny(part, rule.Not) {
			continue
		}
		conf := 0.0
		for _, m := range rule.Match {
			if m.Conf > conf && !slices.ContainsFunc(m.All, func(w string) bool { return !strings.Contains(part, w) }) &&
				(len(m.Ctx) == 0 || containsAny(part, m.Ctx) || containsAny(context, m.Ctx)) {
				conf = m.Conf
			}
		}
		if conf < minConfidence {
			continue
		}
		im := IndicatorMatch{Code: rule.Code, Confidence: conf}
		if t != nil {
			im.Target, im.Value = rule.targetOf(t)
		}
		out = append(out, im)
	}
	slices.SortStableFunc(out, func(a, b IndicatorMatch) int {
		switch {
		case a.Confidence > b.Confidence:
			return -1
		case a.Confidence < b.Confidence:
			return 1
		}
		return 0
	})
	return out
}

// inheritDiscount lowers the confidence of an indicator a part takes from the
// part before it.
const inheritDiscount = 0.8

// inherit returns those of prev, the indicators of the last part of a
// sentence that named some, whose catalog targets fit t ("课后服务每周开展5天,
// 素质拓展类课程占比不低于60%").
func (d *dictionary) inherit(prev []IndicatorMatch, t *Target) []IndicatorMatch {
	var out []IndicatorMatch
	for _, p := range prev {
		for _, rule := range d.Indicators {
			if rule.Code != p.Code {
				continue
			}
			if name, v := rule.targetOf(t); name != "" {
				out = append(out, IndicatorMatch{Code: p.Code, Confidence: p.Confidence * inheritDiscount, Target: name, Value: v})
			}
		}
	}
	return out
}

// targetOf returns the catalog target t sets and its value in the target's
// unit, or "" when t fits none.
func (r indicatorRule) targetOf(t *Target) (string, *float64) {
	for _, tr := range r.Targets {
		scale, ok := tr.Units[t.Unit]
		cmps := tr.Comparators
		if len(cmps) == 0 {
			cmps = []string{AtLeast, Reach, Equal}
		}
		if !ok || !slices.Contains(cmps, t.Comparator) {
			continue
		}
		if len(tr.Keywords) > 0 && !containsAny(t.Metric, tr.Keywords) {
			continue
		}
		v := t.Value * scale
		return tr.Name, &v
	}
	return "", nil
}

// topicOf returns the topic of a part: its first indicator's, or the first
// topic whose keywords it contains.
func (d *dictionary) topicOf(part string, ims []IndicatorMatch) string {
	if len(ims) > 0 {
		for _, rule := range d.Indicators {
			if rule.Code == ims[0].Code {
				return rule.Topic
			}
		}
	}
	for _, t := range d.Topics {
		if containsAny(part, t.Keywords) {
			return t.Topic
		}
	}
	return TopicOther
}

// levelOf tells a school-reportable part from a bureau goal. A part that
// names neither an indicator nor a target gives a school nothing to report,
// so it can only be a bureau goal ("确保每位学生掌握…技能").
func (d *dictionary) levelOf(part string, t *Target, ims []IndicatorMatch) string {
	if t == nil && len(ims) == 0 {
		return LevelBureau
	}
	if containsAny(part, d.SchoolMarkers) {
		return LevelSchool
	}
	if t != nil && slices.Contains(d.SpendUnits, t.Unit) {
		return LevelBureau
	}
	if containsAny(part, d.BureauMarkers) {
		return LevelBureau
	}
	if len(ims) > 0 {
		return LevelSchool
	}
	if containsAny(part, d.AreaMarkers) || t != nil && slices.Contains(d.CountUnits, t.Unit) {
		return LevelBureau
	}
	return LevelSchool
}

// withoutTitles removes the titles of documents (《…》) from s.
func withoutTitles(s string) string {
	for {
		i := strings.Index(s, "《")
		if i < 0 {
			return s
		}
		j := strings.Index(s[i:], "》")
		if j < 0 {
			return s
		}
		s = s[:i] + s[i+j+len("》"):]
	}
}
