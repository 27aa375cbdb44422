package extract

import (
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"
)

// unit is one part of a sentence with what was read from it.
type unit struct {
	texts      []string // the parts, joined by "," in the candidate's phrase
	target     *Target
	freq       string
	level      string
	indicators []IndicatorMatch
}

// candidates reads the candidates of one sentence of a clause.
func candidates(clause, sentence string) []Candidate {
	// Parts naming nothing are dropped; a frequency they name ("每月,…")
	// passes to the next part that names something.
	bureauSentence := containsAny(sentence, dict.SentenceBureauMarkers)
	var units []unit
	var prev []IndicatorMatch
	carry := ""
	for _, part := range parts(sentence) {
		t := ParseTarget(part)
		f, _ := Frequency(part)
		u := unit{texts: []string{part}, target: t, freq: f, indicators: dict.indicatorsOf(part, t)}
		if len(u.indicators) == 0 && t != nil {
			u.indicators = dict.inherit(prev, t)
		}
		prev = u.indicators
		u.level = dict.levelOf(part, t, u.indicators)
		if bureauSentence {
			u.level = LevelBureau
		}
		if t == nil && len(u.indicators) == 0 && !containsAny(part, dict.GoalMarkers) {
			carry = cmp.Or(carry, f)
			continue
		}
		u.freq, carry = cmp.Or(u.freq, carry), ""
		units = append(units, u)
	}
	var out []Candidate
	for _, u := range merge(units) {
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

// parts splits a sentence at commas and colons (not inside numbers such as
// "1,000"), and splits a part holding several quantities at 、 so that each
// quantity gets its own part ("2个试验区、8所实验校").
func parts(sentence string) []string {
	var out []string
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

func appendPart(out []string, p string) []string {
	p = strings.Trim(p, ",:、 ")
	if p == "" {
		return out
	}
	if len(quantities(p)) < 2 {
		return append(out, p)
	}
	pieces := strings.Split(p, "、")
	n := 0
	for _, piece := range pieces {
		if len(quantities(piece)) == 1 {
			n++
		}
	}
	if n < 2 {
		return append(out, p)
	}
	for _, piece := range pieces {
		if piece = strings.TrimSpace(piece); piece != "" {
			out = append(out, piece)
		}
	}
	return out
}

// merge joins neighbouring parts of the same level that name the same
// indicators when at most one of them has a target ("建立隐患排查治理台账,定期进行安全检查"),
// keeping the best confidence of each indicator.
func merge(units []unit) []unit {
	var out []unit
	for _, u := range units {
		if n := len(out); n > 0 && out[n-1].level == u.level && sameCodes(out[n-1].indicators, u.indicators) && (out[n-1].target == nil || u.target == nil) {
			last := &out[n-1]
			last.texts = append(last.texts, u.texts...)
			best := map[string]float64{}
			for _, m := range append(last.indicators, u.indicators...) {
				best[m.Code] = max(best[m.Code], m.Confidence)
			}
			if last.target == nil && u.target != nil {
				last.target, last.indicators = u.target, u.indicators
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
