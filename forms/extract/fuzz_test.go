package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzExtract checks that Extract never panics and that what it returns is
// well formed.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"", "一、\n1.", "百分之", "1-", "达到百分之百。", "一是二是三是", "(", "“十个一", "第", "２０％",
		"学生体质健康达标优良率达到 40%,近 视检出率较上年度下降 0.5%。",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		res, err := Extract(text)
		if !utf8.ValidString(text) {
			if err == nil {
				t.Fatal("invalid UTF-8 accepted")
			}
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range res.Candidates {
			if c.Level != LevelSchool && c.Level != LevelBureau || c.Topic == "" || c.Target == nil && len(c.Indicators) == 0 && c.Level != LevelBureau {
				t.Fatalf("malformed candidate %+v", c)
			}
			if !utf8.ValidString(c.Sentence) || !utf8.ValidString(c.Phrase) || strings.ContainsAny(c.Sentence, "\n\u3000") {
				t.Fatalf("sentence %q or phrase %q not cleaned", c.Sentence, c.Phrase)
			}
		}
		if _, err := res.Plan(schoolIndexes(res), "p", 2026); err != nil {
			t.Fatal(err)
		}
	})
}
