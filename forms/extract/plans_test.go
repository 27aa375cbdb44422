package extract

import (
	"cmp"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"gopkg.in/yaml.v3"
)

// expectation is the hand-written list of school-reportable items of a plan
// (see forms/testdata/plans/README.md).
type expectation struct {
	Plan string `yaml:"plan"`
	// Written says in what style a passage written for the tests is; empty
	// for a real plan.
	Written string         `yaml:"written"`
	Items   []expectedItem `yaml:"items"`
}

type expectedItem struct {
	Clause     string   `yaml:"clause"`
	Phrase     string   `yaml:"phrase"`
	Indicators []string `yaml:"indicators"`
	Target     *struct {
		Name  string  `yaml:"name"`
		Value float64 `yaml:"value"`
	} `yaml:"target"`
}

// prediction is one (school-level candidate, indicator) pair.
type prediction struct {
	c *Candidate
	m IndicatorMatch
}

// matches applies the matching rule: same clause, the key phrase in the
// candidate's phrase (or the candidate's phrase, a list member, in the key
// phrase), an expected indicator, and the expected target value if any.
func (e expectedItem) matches(p prediction) bool {
	phrase := Normalize(e.Phrase)
	if p.c.Clause != e.Clause || !slices.Contains(e.Indicators, p.m.Code) ||
		!strings.Contains(p.c.Phrase, phrase) && !(utf8.RuneCountInString(p.c.Phrase) >= 2 && strings.Contains(phrase, p.c.Phrase)) {
		return false
	}
	if e.Target == nil {
		return true
	}
	return p.m.Target == e.Target.Name && p.m.Value != nil && *p.m.Value == e.Target.Value
}

// score matches predictions to expected items one to one (maximum bipartite
// matching) and returns precision, recall and the unmatched on both sides.
func score(res *Result, items []expectedItem) (precision, recall float64, missed []expectedItem, extra []prediction) {
	var preds []prediction
	school := res.SchoolLevel()
	for i := range school {
		for _, m := range school[i].Indicators {
			preds = append(preds, prediction{&school[i], m})
		}
	}
	owner := make([]int, len(preds)) // expected item matched to each prediction, -1 if none
	for i := range owner {
		owner[i] = -1
	}
	var augment func(e int, seen []bool) bool
	augment = func(e int, seen []bool) bool {
		for p := range preds {
			if seen[p] || !items[e].matches(preds[p]) {
				continue
			}
			seen[p] = true
			if owner[p] < 0 || augment(owner[p], seen) {
				owner[p] = e
				return true
			}
		}
		return false
	}
	matched := 0
	for e := range items {
		if augment(e, make([]bool, len(preds))) {
			matched++
		} else {
			missed = append(missed, items[e])
		}
	}
	for p := range preds {
		if owner[p] < 0 {
			extra = append(extra, preds[p])
		}
	}
	if len(preds) > 0 {
		precision = float64(len(preds)-len(extra)) / float64(len(preds))
	}
	if len(items) > 0 {
		recall = float64(matched) / float64(len(items))
	}
	return precision, recall, missed, extra
}

func loadExpectation(t *testing.T, path string) expectation {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var e expectation
	if err := yaml.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if len(e.Items) < 2 {
		t.Fatalf("%s: %d expected items, want at least 2", path, len(e.Items))
	}
	return e
}

// tally is what a text scores: school-level predictions, the extra ones
// among them, expected items and those found.
type tally struct{ predicted, extra, expected, found int }

func (t tally) precision() float64 { return ratio(t.predicted-t.extra, t.predicted) }
func (t tally) recall() float64    { return ratio(t.found, t.expected) }

func (t tally) String() string {
	return fmt.Sprintf("precision %.2f (%2d of %2d)  recall %.2f (%2d of %2d)",
		t.precision(), t.predicted-t.extra, t.predicted, t.recall(), t.found, t.expected)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 1
	}
	return float64(a) / float64(b)
}

// scoreText extracts text and scores it against items, logging what was
// missed or extra.
func scoreText(t *testing.T, text string, items []expectedItem) tally {
	t.Helper()
	res, err := Extract(text)
	if err != nil {
		t.Fatal(err)
	}
	_, _, missed, extra := score(res, items)
	predicted := 0
	for _, c := range res.SchoolLevel() {
		predicted += len(c.Indicators)
	}
	for _, m := range missed {
		t.Logf("missed: %s %s %v", m.Clause, m.Phrase, m.Indicators)
	}
	for _, x := range extra {
		t.Logf("extra:  %s %s %s", x.c.Clause, x.m.Code, x.c.Phrase)
	}
	return tally{predicted: predicted, extra: len(extra), expected: len(items), found: len(items) - len(missed)}
}

// checkScore extracts text and requires the given precision and recall
// against items.
func checkScore(t *testing.T, text string, items []expectedItem, minPrecision, minRecall float64) {
	t.Helper()
	s := scoreText(t, text, items)
	t.Log(s)
	if s.precision() < minPrecision || s.recall() < minRecall {
		t.Errorf("precision %.2f, recall %.2f; want at least %.2f and %.2f", s.precision(), s.recall(), minPrecision, minRecall)
	}
}

// Corpus thresholds: across the corpus, and the floor of any one file.
const (
	corpusPrecision, corpusRecall = 0.85, 0.9
	filePrecision, fileRecall     = 0.7, 0.75
)

// TestCorpus scores the extraction of every plan in forms/testdata/plans —
// the three real plans and the passages written for the tests in other
// styles — against the items a bureau analyst marks, and prints precision
// and recall per file and across the corpus.
func TestCorpus(t *testing.T) {
	files, err := filepath.Glob("../testdata/plans/*.yaml")
	if err != nil || len(files) < 13 {
		t.Fatalf("corpus: %d files, want the three plans and at least ten passages (%v)", len(files), err)
	}
	var all tally
	written := 0
	lines := []string{"school-level candidates against the analyst's items:"}
	for _, f := range files {
		e := loadExpectation(t, f)
		if e.Written != "" {
			written++
		}
		text, err := os.ReadFile(filepath.Join(filepath.Dir(f), e.Plan))
		if err != nil {
			t.Fatal(err)
		}
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		var s tally
		t.Run(name, func(t *testing.T) {
			s = scoreText(t, string(text), e.Items)
			if s.precision() < filePrecision || s.recall() < fileRecall {
				t.Errorf("%v; want precision %.2f and recall %.2f in every file", s, filePrecision, fileRecall)
			}
		})
		lines = append(lines, fmt.Sprintf("%-26s %v", name, s))
		all = tally{all.predicted + s.predicted, all.extra + s.extra, all.expected + s.expected, all.found + s.found}
	}
	lines = append(lines, fmt.Sprintf("%-26s %v", "corpus", all))
	t.Log(strings.Join(lines, "\n"))
	if written < 10 {
		t.Errorf("%d passages written for the tests, want at least 10", written)
	}
	if all.precision() < corpusPrecision || all.recall() < corpusRecall {
		t.Errorf("corpus: %v; want precision %.2f and recall %.2f", all, corpusPrecision, corpusRecall)
	}
}

// TestInventedPlan proves the rules are not tuned to the three plans: a plan
// in another style (sub-sections (一), full-width digits, 一是…二是…,
// 百分之百, Chinese numerals, a website footer).
func TestInventedPlan(t *testing.T) {
	text, err := os.ReadFile("testdata/invented-county.txt")
	if err != nil {
		t.Fatal(err)
	}
	type tv = struct {
		Name  string  `yaml:"name"`
		Value float64 `yaml:"value"`
	}
	item := func(clause, phrase, code string, target *tv) expectedItem {
		return expectedItem{Clause: clause, Phrase: phrase, Indicators: []string{code}, Target: target}
	}
	items := []expectedItem{
		item("一、", "教室照明达标率达到百分之百", "lighting", &tv{"rate", 100}),
		item("一、", "近视率较上年降低1个百分点", "myopia", &tv{"decrease_pp", 1}),
		item("二、(一)1", "陪餐率达到100%", "canteen", &tv{"accompany_rate", 100}),
		item("二、(一)1", "留样不少于125克", "canteen", &tv{"sample_grams", 125}),
		item("二、(一)1", "留样时间不少于48小时", "canteen", &tv{"sample_hours", 48}),
		item("二、(一)2", "食堂满意度测评", "canteen_term", nil),
		item("二、(二)3", "隐患整改率达到100%", "hazards", &tv{"fix_rate", 100}),
		item("二、(二)3", "防溺水安全教育", "drowning", nil),
		item("二、(二)3", "欺凌线索排查", "bullying", nil),
		item("二、(三)4", "体育活动时间不少于一小时", "activity", &tv{"daily_minutes", 60}),
		item("二、(三)4", "优良率不低于50%", "fitness", &tv{"good_rate", 50}),
		item("二、(三)5", "视力筛查", "myopia", nil),
		item("二、(三)5", "心理健康筛查覆盖率达到95%", "mental_health", &tv{"screened_rate", 95}),
		item("二、(三)6", "师德培训不少于24学时", "ethics_training", &tv{"hours", 24}),
		item("二、(四)8", "课后服务每周开展5天", "after_school", nil),
		item("二、(四)8", "素质拓展类课程占比不低于60%", "after_school", &tv{"quality_share", 60}),
	}
	checkScore(t, string(text), items, 0.9, 0.9)

	res, _ := Extract(string(text))
	freq := map[string]string{}
	for _, c := range res.Candidates {
		if c.Level == LevelBureau && strings.Contains(c.Sentence, "新建") {
			continue
		}
		for _, m := range c.Indicators {
			freq[m.Code] = cmp.Or(freq[m.Code], c.Frequency)
		}
		if strings.Contains(c.Sentence, "新建") && c.Level != LevelBureau {
			t.Errorf("%q: level %s, want bureau", c.Phrase, c.Level)
		}
		if strings.Contains(c.Sentence, "版权所有") || strings.Contains(c.Sentence, "扫一扫") {
			t.Errorf("boilerplate kept: %q", c.Sentence)
		}
	}
	want := map[string]string{"canteen_term": Termly, "hazards": Monthly, "drowning": Weekly, "bullying": Monthly, "activity": Daily, "ethics_training": Yearly}
	for code, f := range want {
		if freq[code] != f {
			t.Errorf("%s: frequency %q, want %q", code, freq[code], f)
		}
	}
}
