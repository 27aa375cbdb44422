package reports

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf16"
)

// maxSheetName is Excel's limit on a sheet name, in UTF-16 units.
const maxSheetName = 31

// sheetNames hands out valid, unique (case-insensitively) sheet names.
type sheetNames map[string]bool

// take turns a title into a sheet name Excel accepts: invalid characters
// []:*?/\ and control characters removed, no leading or trailing
// apostrophe and any other written as ’ (a quoted sheet reference would
// need it doubled, and excelize's autofilter does not do that), at most 31
// characters, unique within the workbook. A tail
// (e.g. "-教室" for a repeat group) is kept whole; the title gives way.
func (n sheetNames) take(title, tail, fallback string) string {
	base, tail := sheetSafe(title), sheetSafe(tail)
	if base == "" {
		base = fallback
	}
	name := n.fit(base, tail, "")
	for i := 2; n[strings.ToLower(name)]; i++ {
		name = n.fit(base, tail, "("+strconv.Itoa(i)+")")
	}
	n[strings.ToLower(name)] = true
	return name
}

func (n sheetNames) fit(base, tail, suffix string) string {
	tail = truncUTF16(tail, maxSheetName/2)
	room := maxSheetName - len(utf16.Encode([]rune(tail+suffix)))
	return truncUTF16(base, room) + tail + suffix
}

func sheetSafe(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) || unicode.IsControl(r) || !validXML(r) {
			return -1
		}
		return r
	}, clean(s))
	return strings.ReplaceAll(strings.Trim(strings.TrimSpace(s), "'"), "'", "’")
}

// sheetRef is a reference into sheet sh (a name from take, so without
// apostrophes) as formulas and chart series take it.
func sheetRef(sh, ref string) string {
	return "'" + sh + "'!" + ref
}

// truncUTF16 cuts s to at most max UTF-16 code units, on a rune boundary.
func truncUTF16(s string, max int) string {
	units := 0
	for i, r := range s {
		units += len(utf16.Encode([]rune{r}))
		if units > max {
			return strings.TrimRight(s[:i], " '")
		}
	}
	return s
}

// width is the display width of s in Excel column units: CJK and other wide
// characters count 2, others 1; of a multi-line text the widest line.
func width(s string) int {
	w, best := 0, 0
	for _, r := range s {
		switch {
		case r == '\n':
			w = 0
		case wide(r):
			w += 2
		default:
			w++
		}
		best = max(best, w)
	}
	return best
}

func wide(r rune) bool {
	return r >= 0x1100 && (r <= 0x115F || // Hangul Jamo
		r >= 0x2E80 && r <= 0xA4CF && r != 0x303F || // CJK radicals … Yi
		r >= 0xAC00 && r <= 0xD7A3 || // Hangul syllables
		r >= 0xF900 && r <= 0xFAFF || // CJK compatibility ideographs
		r >= 0xFE30 && r <= 0xFE4F || // CJK compatibility forms
		r >= 0xFF00 && r <= 0xFF60 || // full-width forms
		r >= 0xFFE0 && r <= 0xFFE6 ||
		r >= 0x20000 && r <= 0x3FFFD)
}

// colWidth turns a content width into a column width with padding, within
// sensible bounds.
func colWidth(w int) float64 {
	return float64(min(max(w+2, 5), 60))
}
