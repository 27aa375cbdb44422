package forms

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Change methods: how the usual range of a number is estimated from the
// school's own earlier periods (RULES.md, "Changes between periods").
const (
	// Robust takes the median of the last periods and their median absolute
	// deviation; with too short a history it falls back to Relative.
	Robust = "robust"
	// Relative allows a fraction of the previous period's value either way.
	Relative = "relative"
	// Absolute allows a fixed amount either way from the previous period.
	Absolute = "absolute"
)

// Defaults of a Change, filled in by Generate.
const (
	// HistoryPeriods is the most periods a robust range looks back on, and
	// how many the server reads.
	HistoryPeriods    = 6
	defaultRobust     = 3.5 // modified z-score (Iglewicz and Hoaglin)
	defaultRelative   = 0.5 // ±50 % of the previous period
	defaultMinHistory = 4
	// madScale turns a median absolute deviation into a standard deviation
	// for normally distributed values.
	madScale = 1.4826
)

// Change declares how far a number may move between periods before the
// school must explain it. Limit is the modified z-score (Robust), the
// fraction of the previous value (Relative) or the amount (Absolute);
// Periods and MinHistory bound a robust range's history; Fallback is the
// relative limit used when the history is shorter; a change of at most
// Floor is never asked about.
type Change struct {
	Method     string  `json:"method" yaml:"method" bson:"method"`
	Limit      float64 `json:"limit,omitempty" yaml:"limit,omitempty" bson:"limit,omitempty"`
	Periods    int     `json:"periods,omitempty" yaml:"periods,omitempty" bson:"periods,omitempty"`
	MinHistory int     `json:"minHistory,omitempty" yaml:"minHistory,omitempty" bson:"minHistory,omitempty"`
	Fallback   float64 `json:"fallback,omitempty" yaml:"fallback,omitempty" bson:"fallback,omitempty"`
	Floor      float64 `json:"floor,omitempty" yaml:"floor,omitempty" bson:"floor,omitempty"`
}

// resolved returns c with its defaults filled in, so the form carries
// every number the phone needs.
func (c Change) resolved() *Change {
	if c.Method == "" {
		c.Method = Robust
	}
	if c.Limit == 0 {
		switch c.Method {
		case Robust:
			c.Limit = defaultRobust
		case Relative:
			c.Limit = defaultRelative
		}
	}
	if c.Method == Robust {
		if c.Periods == 0 {
			c.Periods = HistoryPeriods
		}
		if c.MinHistory == 0 {
			c.MinHistory = min(defaultMinHistory, c.Periods)
		}
		if c.Fallback == 0 {
			c.Fallback = defaultRelative
		}
	}
	return &c
}

// checkChange reports what is wrong with a field's Change.
func checkChange(f *Field, path string, inRow bool) []FieldError {
	c := f.Change
	if c == nil {
		return nil
	}
	var errs []FieldError
	add := func(code, zh, en string) { errs = append(errs, ferr(path+".change", code, zh, en)) }
	if f.Type != Integer && f.Type != Decimal && f.Type != Percent || inRow {
		add("change", "只有不在重复组中的数字填报项可以设置变化范围", "only number fields outside repeat groups may declare a change")
	}
	if c.Method != "" && c.Method != Robust && c.Method != Relative && c.Method != Absolute {
		add("option", "变化范围的方法须为 robust、relative 或 absolute", "change method must be robust, relative or absolute")
	}
	for _, v := range []float64{c.Limit, c.Fallback, c.Floor} {
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			add("limit", "变化范围的数值须为非负有限数", "change limits must be finite and not negative")
			break
		}
	}
	if c.Method == Absolute && c.Limit == 0 {
		add("limit", "按绝对变化设置范围时须给出允许的变化量", "an absolute change needs its limit")
	}
	if c.Periods < 0 || c.Periods > HistoryPeriods || c.MinHistory < 0 || (c.Periods > 0 && c.MinHistory > c.Periods) {
		add("periods", fmt.Sprintf("参考期数须在 1–%d 之间，且最少期数不超过参考期数", HistoryPeriods),
			fmt.Sprintf("periods must be 1–%d and minHistory at most periods", HistoryPeriods))
	}
	return errs
}

// Anomaly is a number outside the usual range of the school's earlier
// periods: not an error, but it needs an explanation to be handed in.
type Anomaly struct {
	Field string `json:"field" bson:"field"`
	// Kind is "change" (against earlier periods) or "rooms" (fewer rows
	// than the school's registered classrooms: Low and High are their number).
	Kind  string  `json:"kind" bson:"kind"`
	Label Text    `json:"label" bson:"label"`
	Value float64 `json:"value" bson:"value"`
	Low   float64 `json:"low" bson:"low"`
	High  float64 `json:"high" bson:"high"`
	// Previous are the earlier values the range came from, newest first.
	Previous    []float64 `json:"previous" bson:"previous"`
	Explanation string    `json:"explanation,omitempty" bson:"explanation,omitempty"`
}

// Anomalies lists the numbers of values outside the range their field's
// Change allows, in form order. Values are those Validate returned.
func (f *Form) Anomalies(values Values, e Env) []Anomaly {
	var out []Anomaly
	for _, sec := range f.Sections {
		for i := range sec.Fields {
			fd := &sec.Fields[i]
			if fd.Rooms {
				out = append(out, rooms(sec.Indicator, fd, values, e)...)
				continue
			}
			v, ok := values[sec.Indicator][fd.ID].(float64)
			if fd.Change == nil || !ok {
				continue
			}
			hist := history(e, sec.Indicator, fd.ID)
			if lo, hi, used, ok := usualRange(*fd.Change.resolved(), hist); ok && (v < lo || v > hi) {
				out = append(out, Anomaly{Field: sec.Indicator + "." + fd.ID, Kind: "change", Label: fd.Label, Value: v, Low: lo, High: hi, Previous: used})
			}
		}
	}
	return out
}

// rooms is the anomaly of a repeat group of classrooms with fewer rows
// than the school has registered, if it has.
func rooms(code string, fd *Field, values Values, e Env) []Anomaly {
	rows, _ := values[code][fd.ID].([]any)
	n := float64(e.School.Classrooms)
	if n <= 0 || float64(len(rows)) >= n {
		return nil
	}
	return []Anomaly{{Field: code + "." + fd.ID, Kind: "rooms", Label: fd.Label, Value: float64(len(rows)), Low: n, High: n, Previous: []float64{}}}
}

// history is a field's value in each earlier period, the previous first; a
// period without a number is NaN.
func history(e Env, sec, id string) []float64 {
	out := make([]float64, len(e.History))
	for i, vals := range e.History {
		out[i] = math.NaN()
		if v, ok := vals[sec][id].(float64); ok {
			out[i] = v
		}
	}
	return out
}

// usualRange is the range [lo, hi] c allows given the field's history, and
// the earlier values it used; false when the history is too short for any.
func usualRange(c Change, hist []float64) (lo, hi float64, used []float64, ok bool) {
	if c.Method == Robust {
		for _, v := range hist[:min(len(hist), c.Periods)] {
			if !math.IsNaN(v) {
				used = append(used, v)
			}
		}
		if len(used) >= c.MinHistory && len(used) > 0 {
			med := median(used)
			dev := make([]float64, len(used))
			for i, v := range used {
				dev[i] = math.Abs(v - med)
			}
			half := math.Max(c.Limit*madScale*median(dev), c.Floor)
			return med - half, med + half, used, true
		}
		c.Limit = c.Fallback
	}
	if len(hist) == 0 || math.IsNaN(hist[0]) {
		return 0, 0, nil, false
	}
	prev := hist[0]
	half := c.Limit
	if c.Method != Absolute {
		half = c.Limit * math.Abs(prev)
	}
	half = math.Max(half, c.Floor)
	return prev - half, prev + half, []float64{prev}, true
}

// median of a non-empty list, which it leaves as it is.
func median(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// MaxExplanation is the longest explanation, in characters.
const MaxExplanation = 200

// Explained attaches to each anomaly its explanation, keyed by field path,
// and returns a problem for each anomaly without one (unless draft) and
// each explanation too long. Explanations of values that are not anomalies
// are dropped.
func Explained(anoms []Anomaly, explanations map[string]string, draft bool) ([]Anomaly, []FieldError) {
	var errs []FieldError
	for i := range anoms {
		a := &anoms[i]
		a.Explanation = strings.TrimSpace(explanations[a.Field])
		switch {
		case utf8.RuneCountInString(a.Explanation) > MaxExplanation:
			errs = append(errs, FieldError{Field: "explanations." + a.Field, Code: "max_length", Message: Text{
				Zh: fmt.Sprintf("说明不能超过 %d 字", MaxExplanation), En: fmt.Sprintf("an explanation may be at most %d characters", MaxExplanation)}})
		case a.Explanation == "" && !draft:
			errs = append(errs, a.Problem())
		}
	}
	return anoms, errs
}

// Problem is the problem of an anomaly handed in without an explanation.
func (a Anomaly) Problem() FieldError {
	if a.Kind == "rooms" {
		return FieldError{Field: a.Field, Code: "explain", Message: Text{
			Zh: fmt.Sprintf("%s填了 %s 行，少于学校登记的 %s 间教室，请填写说明（未说明时达标率按登记教室数计算）", a.Label.Zh, num(a.Value), num(a.Low)),
			En: fmt.Sprintf("%s has %s rows, fewer than the school's %s registered classrooms; add an explanation (without one the rate counts every registered classroom)", a.Label.In("en"), num(a.Value), num(a.Low)),
		}}
	}
	prev := make([]string, len(a.Previous))
	for i, v := range a.Previous {
		prev[i] = num(v)
	}
	return FieldError{Field: a.Field, Code: "explain", Message: Text{
		Zh: fmt.Sprintf("%s为 %s，超出本校往期的常见范围 %s–%s（往期：%s），请填写说明", a.Label.Zh, num(a.Value), num(a.Low), num(a.High), strings.Join(prev, "、")),
		En: fmt.Sprintf("%s is %s, outside the school's usual range %s–%s (earlier: %s); add an explanation", a.Label.In("en"), num(a.Value), num(a.Low), num(a.High), strings.Join(prev, ", ")),
	}}
}

// num prints a number with at most two decimals.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }
