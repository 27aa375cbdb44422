package extract

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// unit is one part of a sentence, or one member of a list in a part, with
// what was read from it.
type unit struct {
	texts      []string // the parts, joined by "," in the candidate's phrase
	target     *Target
	freq       string
	level      string
	indicators []IndicatorMatch
	listed     bool // a list member: a candidate of its own, never merged
}

// setsTarget reports whether the unit sets one of its indicators' targets.
func (u *unit) setsTarget() bool {
	return slices.ContainsFunc(u.indicators, func(m IndicatorMatch) bool { return m.Target != "" })
}

// candidates reads the candidates of one sentence of a clause; context is
// the text of the headings the sentence stands under.
func candidates(clause, context, sentence string) []Candidate {
	r := reader{
		// Words that a rule may need beside its own (see indicatorRule.Ctx)
		// come from the headings and the rest of the sentence.
		context:        context + " " + sentence,
		bureauSentence: containsAny(sentence, dict.SentenceBureauMarkers),
	}
	for _, group := range parts(sentence) {
		// A verb of building or buying before a list is said of all of it
		// ("新建学生宿舍4栋、食堂2个").
		bureau := len(group) > 1 && containsAny(group[0], dict.ListBureauVerbs)
		for _, part := range group {
			r.part(part, bureau)
		}
	}
	var out []Candidate
	for _, u := range merge(r.units) {
		out = append(out, Candidate{
			Clause:     clause,
			Sentence:   sentence,
			Phrase:     strings.Join(u.texts, ","),
			Topic:      dict.topicOf(u.texts[0], u.indicators),
			Target:     u.target,
			Frequency:  u.freq,
			Level:      u.level,
			Indicators: slices.Clip(append([]IndicatorMatch{}, u.indicators...)),
		})
	}
	return out
}

// reader reads the units of a sentence's parts in order.
type reader struct {
	context        string
	bureauSentence bool
	units          []unit
	last           []IndicatorMatch // of the last part that named some
	// carry is a frequency named by a part that names nothing else
	// ("每月,…"), for the next part that names something.
	carry string
}

// part reads one part of the sentence: the part, or each member of a list
// in it. bureau says a verb of building or buying stands before it.
func (r *reader) part(part string, bureau bool) {
	partFreq, _ := Frequency(part)
	members := listMembers(part, r.context)
	bureau = bureau || len(members) > 1 && containsAny(members[0].text, dict.ListBureauVerbs)
	for _, m := range members {
		t := ParseTarget(m.text)
		f, _ := Frequency(m.text)
		u := unit{texts: []string{m.text}, target: t, freq: cmp.Or(f, partFreq), listed: len(members) > 1,
			indicators: dict.indicatorsOf(m.match, r.context, t)}
		if len(u.indicators) == 0 && t != nil {
			u.indicators = dict.inherit(r.last, t)
		}
		if len(u.indicators) > 0 {
			r.last = u.indicators
		}
		u.level = dict.levelOf(m.text, t, u.indicators)
		if r.bureauSentence || bureau && !containsAny(m.text, dict.SchoolMarkers) {
			u.level = LevelBureau
		}
		if t == nil && len(u.indicators) == 0 && !containsAny(m.text, dict.GoalMarkers) {
			r.carry = cmp.Or(r.carry, u.freq)
			continue
		}
		u.freq, r.carry = cmp.Or(u.freq, r.carry), ""
		r.units = append(r.units, u)
	}
}

// parts splits a sentence at commas and colons (not inside numbers such as
// "1,000"), and splits a part holding several quantities at 、 so that each
// quantity gets its own part ("2个试验区、8所实验校"): a group of parts for
// each comma part.
func parts(sentence string) [][]string {
	var out [][]string
	start := 0
	for i, r := range sentence {
		if r != ',' && r != ':' {
			continue
		}
		prev, _ := utf8.DecodeLastRuneInString(sentence[:i])
		next, _ := utf8.DecodeRuneInString(sentence[i+1:])
		if isDigit(prev) && isDigit(next) {
			continue
		}
		out = appendPart(out, sentence[start:i])
		start = i + 1
	}
	return appendPart(out, sentence[start:])
}

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func appendPart(out [][]string, p string) [][]string {
	p = strings.Trim(p, ",:、 ")
	if p == "" {
		return out
	}
	if len(quantities(p)) < 2 {
		return append(out, []string{p})
	}
	pieces := strings.Split(p, "、")
	n := 0
	for _, piece := range pieces {
		if len(quantities(piece)) == 1 {
			n++
		}
	}
	if n < 2 {
		return append(out, []string{p})
	}
	var group []string
	for _, piece := range pieces {
		if piece = strings.TrimSpace(piece); piece != "" {
			group = append(group, piece)
		}
	}
	return append(out, group)
}

// merge joins neighbouring parts of the same level that name the same
// indicators unless both set one of their targets ("建立隐患排查治理台账,
// 定期进行安全检查"), keeping the best confidence of each indicator. List
// members stay apart.
func merge(units []unit) []unit {
	var out []unit
	for _, u := range units {
		// Parts that name nothing ("每月开展一次全面检查") stand between
		// parts they do not separate.
		n := len(out)
		for n > 0 && len(out[n-1].indicators) == 0 && len(u.indicators) > 0 {
			n--
		}
		if n > 0 && !u.listed && !out[n-1].listed && out[n-1].level == u.level &&
			sameCodes(out[n-1].indicators, u.indicators) && !(out[n-1].setsTarget() && u.setsTarget()) {
			last := &out[n-1]
			last.texts = append(last.texts, u.texts...)
			best := map[string]float64{}
			for _, m := range append(last.indicators, u.indicators...) {
				best[m.Code] = max(best[m.Code], m.Confidence)
			}
			switch {
			case !last.setsTarget() && u.setsTarget():
				last.target, last.indicators = u.target, u.indicators
			case last.target == nil:
				last.target = u.target
			}
			for i := range last.indicators {
				last.indicators[i].Confidence = best[last.indicators[i].Code]
			}
			last.freq = cmp.Or(last.freq, u.freq)
			continue
		}
		out = append(out, u)
	}
	return out
}

func sameCodes(a, b []IndicatorMatch) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	for _, m := range a {
		if !slices.ContainsFunc(b, func(o IndicatorMatch) bool { return o.Code == m.Code }) {
			return false
		}
	}
	return true
}
