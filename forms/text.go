package forms

import (
	"unicode"
	"unicode/utf8"
)

// PlainLine reports whether s is fit for a name shown in lists, messages
// and workbooks: valid UTF-8 with no control character (NUL, newline, tab
// included), no U+FFFD (what an unpaired surrogate decodes to), no
// noncharacter and no bidirectional override that would make a name read
// backwards.
func PlainLine(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		switch {
		case unicode.IsControl(r), r == utf8.RuneError, r&0xFFFE == 0xFFFE, r >= 0xFDD0 && r <= 0xFDEF,
			r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069:
			return false
		}
	}
	return true
}
