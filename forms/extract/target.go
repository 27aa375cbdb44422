package extract

import (
	"slices"
	"strings"
	"unicode/utf8"
)

// comparatorWords precede a number; the nearest one before it wins, the
// longest at the same place ("提升至" over "提升").
var comparatorWords = []struct{ word, cmp string }{
	{"大于等于", AtLeast}, {"不得少于", AtLeast}, {"不得低于", AtLeast}, {"不少于", AtLeast},
	{"不低于", AtLeast}, {"不小于", AtLeast}, {"至少", AtLeast}, {"超过", AtLeast},
	{"不得超过", AtMost}, {"不超过", AtMost}, {"不高于", AtMost}, {"不多于", AtMost},
	{"最多", AtMost}, {"控制在", AtMost}, {"低于", AtMost}, {"少于", AtMost},
	{"提升至", Reach}, {"提高至", Reach}, {"提升到", Reach}, {"提高到", Reach}, {"增至", Reach},
	{"增加到", Reach}, {"增长到", Reach}, {"上升到", Reach}, {"上升至", Reach}, {"降至", Reach},
	{"降低到", Reach}, {"降低至", Reach}, {"下降到", Reach}, {"下降至", Reach}, {"保持在", Reach},
	{"稳定在", Reach}, {"达到", Reach}, {"达", Reach}, {"实现", Reach},
	{"下降", DecreaseBy}, {"降低", DecreaseBy}, {"减少", DecreaseBy},
	{"提升", IncreaseBy}, {"提高", IncreaseBy}, {"增加", IncreaseBy}, {"增长", IncreaseBy}, {"上升", IncreaseBy},
	{"为", Equal},
}

// afterWords follow a number and bound it ("50%以上", "10%以内").
var afterWords = []struct{ word, cmp string }{
	{"及以上", AtLeast}, {"以上", AtLeast}, {"以内", AtMost}, {"以下", AtMost}, {"之内", AtMost}, {"内", AtMost},
}

// comparatorWindow is how far (bytes) before a number a comparator may be.
const comparatorWindow = 24

// Comparator returns the comparator that the text before and after a number
// gives it ("以上"/"以内" after it win), and the byte span of the comparator
// word in before (-1 when none).
func Comparator(before, after string) (cmp string, at, end int) {
	cmp, at, end = Equal, -1, -1
	search := strings.ReplaceAll(before, "达标", "######")
	for _, w := range comparatorWords {
		i := strings.LastIndex(search, w.word)
		if i < 0 || len(before)-(i+len(w.word)) > comparatorWindow {
			continue
		}
		if e := i + len(w.word); e > end || e == end && i < at {
			cmp, at, end = w.cmp, i, e
		}
	}
	for _, w := range afterWords {
		// "下降0.5个百分点以上" is a fall of at least 0.5: 以上 bounds the
		// change, it does not make the figure a level to stay above.
		if strings.HasPrefix(after, w.word) && !(w.cmp == AtLeast && (cmp == DecreaseBy || cmp == IncreaseBy)) {
			return w.cmp, at, end
		}
	}
	return cmp, at, end
}

// frequencyWords name how often something is done, first match wins.
var frequencyWords = []struct{ word, freq string }{
	{"每一学年", Yearly}, {"每学年", Yearly}, {"每学期", Termly}, {"每个学期", Termly},
	{"每天", Daily}, {"每日", Daily}, {"每周", Weekly}, {"每个月", Monthly}, {"每月", Monthly},
	{"按月", Monthly}, {"每年", Yearly}, {"年内", WithinYear}, {"全年", WithinYear},
}

// Frequency returns the first frequency the text names and the word that
// names it; "" when none.
func Frequency(s string) (freq, word string) {
	best := -1
	for _, w := range frequencyWords {
		i := strings.Index(s, w.word)
		if prev, _ := utf8.DecodeLastRuneInString(s[:max(i, 0)]); i > 0 && (isDigit(prev) || strings.ContainsRune(cjkDigits, prev)) {
			continue // 三年内: a duration, not this year
		}
		if i >= 0 && (best < 0 || i < best) {
			freq, word, best = w.freq, w.word, i
		}
	}
	return freq, word
}

// fillers are dropped from the start of a metric; infixes anywhere in it;
// tails from its end.
var (
	fillers = []string{"确保", "实现", "力争", "努力", "争取", "推动", "使", "让", "要", "并", "且", "同时",
		"进一步", "切实", "着力", "全面", "持续", "力求", "其中", "积极", "完成", "将"}
	infixes = []string{"原则上", "较上年度", "较上一年度", "较上年", "比上年", "同比", "较去年"}
	tails   = []string{"要", "应", "均", "都", "需", "必须", "的", "将", "共", "累计"}
)

// cleanMetric trims the filler words off a metric phrase.
func cleanMetric(m string) string {
	for _, w := range infixes {
		m = strings.ReplaceAll(m, w, "")
	}
	for changed := true; changed; {
		changed = false
		for _, w := range fillers {
			if strings.HasPrefix(m, w) && len(m) > len(w) {
				m, changed = m[len(w):], true
			}
		}
		for _, w := range tails {
			if strings.HasSuffix(m, w) && len(m) > len(w) {
				m, changed = m[:len(m)-len(w)], true
			}
		}
	}
	return strings.Trim(m, ",、:; ")
}

// perUnits are the units of shares and durations that a period in their
// metric measures over (每周素质拓展服务时间占比 50 %, 每日锻炼 2 小时):
// the period is then not how often schools report. For counts (每学期开展
// 1 次, 每年 20 学时) the period is the reporting frequency.
var perUnits = []string{"%", "小时", "分钟", "天", "节"}

// ParseTarget reads the first quantitative target of a sentence part: a
// number with a unit, a zero goal (为零) or full coverage (全覆盖 → 100 %).
func ParseTarget(part string) *Target {
	if qs := quantities(part); len(qs) > 0 {
		return targetOf(part, qs[0])
	}
	masked := maskNames(part)
	for _, z := range []string{"为零", "零发生", "零事故", "零死亡", "零报告"} {
		if i := strings.Index(masked, z); i >= 0 && !strings.HasPrefix(masked[i+len(z):], "容忍") {
			return &Target{Metric: cleanMetric(part[:i]), Comparator: Zero, Unit: ""}
		}
	}
	if i := strings.Index(masked, "全覆盖"); i >= 0 {
		m := cleanMetric(part[:i])
		return &Target{Metric: m + "覆盖率", Comparator: Reach, Value: 100, Unit: "%"}
	}
	return nil
}

// targetOf builds the target of quantity q in part.
func targetOf(part string, q quantity) *Target {
	before, after := part[:q.start], part[q.end:]
	cmp, at, end := Comparator(before, after)
	if at >= 0 && before[at:end] != "为" {
		before = before[:at] + before[end:]
	}
	for _, w := range afterWords {
		if strings.HasPrefix(after, w.word) {
			after = after[len(w.word):]
			break
		}
	}
	t := &Target{Comparator: cmp, Value: q.value, Unit: q.unit,
		Metric: cleanMetric(before + strings.TrimPrefix(after, "的"))}
	if q.max > q.value {
		t.Max = q.max
		if cmp == Equal || cmp == Reach {
			t.Comparator = AtLeast
		}
	}
	if f, w := Frequency(t.Metric); f != "" && f != WithinYear && slices.Contains(perUnits, t.Unit) && strings.Contains(t.Metric, w) {
		t.Per = f
	}
	return t
}
