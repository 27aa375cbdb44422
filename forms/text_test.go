package forms

import "testing"

func TestPlainLine(t *testing.T) {
	for s, want := range map[string]bool{
		"2026年12月 月度填报":    true,
		"一区群 😀":            true,
		"":                 true,
		"a\x00b":           false,
		"a\nb":             false,
		"a\tb":             false,
		"\x7f":             false,
		"\u0085":           false,
		"a\ufffdb":         false, // a lone surrogate, decoded
		"\xed\xa0\x80":     false, // a surrogate in UTF-8: not valid
		"\xff":             false,
		"\uffff":           false,
		"\U0001FFFE":       false,
		"\ufdd0":           false,
		"abc\u202eexe.cod": false,
		"\u2067x":          false,
	} {
		if got := PlainLine(s); got != want {
			t.Errorf("PlainLine(%q) = %v, want %v", s, got, want)
		}
	}
}
