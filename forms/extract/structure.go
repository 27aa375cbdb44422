package extract

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// Kinds of line markers, outermost first.
const (
	markSection = iota + 1 // 一、   第一部分
	markSub                // (一)
	markItem               // 1.   1、
	markSubItem            // (1)   ①
)

// marker reads the numbering at the start of a normalised line: its kind,
// its label ("七", "(二)", "25", "(1)") and the rest of the line.
func marker(l string) (kind int, label, rest string, ok bool) {
	if n := cjkNumeralPrefix(l); n > 0 && strings.HasPrefix(l[n:], "、") {
		return markSection, l[:n], l[n+len("、"):], true
	}
	if strings.HasPrefix(l, "第") {
		if n := cjkNumeralPrefix(l[len("第"):]); n > 0 {
			after := l[len("第")+n:]
			for _, unit := range []string{"部分", "章"} {
				if strings.HasPrefix(after, unit) {
					return markSection, l[len("第") : len("第")+n], strings.TrimLeft(after[len(unit):], " :、"), true
				}
			}
		}
	}
	if strings.HasPrefix(l, "(") {
		if end := strings.IndexByte(l, ')'); end > 1 && end <= 10 {
			inner := l[1:end]
			if n := cjkNumeralPrefix(inner); n == len(inner) {
				return markSub, l[:end+1], l[end+1:], true
			}
			if _, err := strconv.Atoi(inner); err == nil && len(inner) <= 3 {
				return markSubItem, l[:end+1], l[end+1:], true
			}
		}
	}
	if r, size := utf8.DecodeRuneInString(l); r >= '①' && r <= '⑳' {
		return markSubItem, l[:size], l[size:], true
	}
	d := 0
	for d < len(l) && d < 4 && l[d] >= '0' && l[d] <= '9' {
		d++
	}
	if d > 0 && d <= 3 {
		for _, sep := range []string{".", "、"} {
			if strings.HasPrefix(l[d:], sep) {
				after := l[d+len(sep):]
				if after == "" || after[0] < '0' || after[0] > '9' {
					return markItem, l[:d], after, true
				}
			}
		}
	}
	return 0, "", l, false
}

// cjkNumeralPrefix returns the byte length of a leading Chinese numeral of at
// most three characters (一 … 九十九).
func cjkNumeralPrefix(s string) int {
	n, count := 0, 0
	for _, r := range s {
		if !strings.ContainsRune("一二三四五六七八九十", r) || count == 3 {
			break
		}
		n += utf8.RuneLen(r)
		count++
	}
	return n
}

// paragraph is one line of the plan body with the clause it belongs to;
// heading is set for section headings ("一、…", "(二)…", a title line),
// title for a heading that is only a title (a line of no sentence); context
// holds the titles of the headings it stands under.
type paragraph struct {
	clause  string
	body    string
	heading bool
	title   bool
	context string
}

// clauseState tracks the numbering seen while walking the plan, and the
// titles of the current section and sub-section.
type clauseState struct {
	section         string
	sectionNumbered bool
	sub, item, leaf string
	itemNumbered    bool
	titles          [2]string
}

// titleOf is the title a heading line starts with: up to its first full
// stop, at most 30 characters.
func titleOf(rest string) string {
	if i := strings.Index(rest, "。"); i >= 0 {
		rest = rest[:i]
	}
	if utf8.RuneCountInString(rest) > 30 {
		return ""
	}
	return rest
}

func (s *clauseState) String() string {
	head := s.section
	switch {
	case s.sectionNumbered:
		head += "、"
	case head != "" && (s.sub+s.item+s.leaf) != "":
		head += "/"
	}
	return head + s.sub + s.item + s.leaf
}

// paragraphs walks the normalised lines and tags each with its clause.
func paragraphs(normalized string) []paragraph {
	var st clauseState
	var out []paragraph
	for _, l := range strings.Split(normalized, "\n") {
		if l == "" {
			continue
		}
		kind, label, rest, ok := marker(l)
		switch {
		case ok && kind == markSection:
			st = clauseState{section: label, sectionNumbered: true, titles: [2]string{titleOf(rest)}}
		case ok && kind == markSub:
			st.sub, st.item, st.leaf, st.itemNumbered = label, "", "", false
			st.titles[1] = titleOf(rest)
		case ok && kind == markItem:
			st.item, st.leaf, st.itemNumbered = label, "", true
		case ok && kind == markSubItem:
			st.leaf = label
		case isHeading(l):
			// "以…为抓手,加快构建…体系": the part after the comma names it.
			st = clauseState{section: l[strings.LastIndex(l, ",")+1:], titles: [2]string{l}}
		case !st.sectionNumbered && !st.itemNumbered:
			st.item = leadPhrase(l)
		}
		heading := ok && (kind == markSection || kind == markSub) || !ok && isHeading(l)
		out = append(out, paragraph{clause: st.String(), body: rest, heading: heading, title: !ok && isHeading(l),
			context: strings.Join(st.titles[:], " ")})
	}
	return out
}

// isHeading reports whether an unnumbered line is a heading: short and with
// no sentence punctuation.
func isHeading(l string) bool {
	return utf8.RuneCountInString(l) <= 40 && !terminal(l) && !strings.ContainsAny(l, "。;")
}

// leadPhrase returns the short first sentence that names the subject of an
// unnumbered paragraph ("促进五育融合发展。…"), or "".
func leadPhrase(l string) string {
	end := strings.Index(l, "。")
	if end <= 0 {
		return ""
	}
	lead := l[:end]
	if utf8.RuneCountInString(lead) > 20 || strings.ContainsAny(lead, ",;:") {
		return ""
	}
	return lead
}

// sentences splits a paragraph into sentences at 。!?;, after splitting
// enumerations "一是…;二是…" into separate sentences.
func sentences(body string) []string {
	var out []string
	for _, s := range splitAt(body, "。!?") {
		for _, e := range enumerations(s) {
			for _, part := range splitAt(e, ";") {
				out = append(out, trimmed(part)...)
			}
		}
	}
	return out
}

// splitAt splits s after each of the rune separators, dropping them.
func splitAt(s, seps string) []string {
	var out []string
	start := 0
	for i, r := range s {
		if strings.ContainsRune(seps, r) {
			out = append(out, s[start:i])
			start = i + utf8.RuneLen(r)
		}
	}
	return append(out, s[start:])
}

// enumerations splits an enumeration inside a sentence into its items:
// "一是A,二是B", "①A;②B", "(1)A,(2)B" give "A" and "B" (the lead-in before
// the first item is kept with it), each trimmed.
func enumerations(s string) []string {
	cuts, size := ordinalCuts(s)
	if len(cuts) < 2 {
		cuts, size = sequenceCuts(s)
	}
	if len(cuts) < 2 {
		return trimmed(s)
	}
	var out []string
	lead := strings.TrimRight(s[:cuts[0]], ",:; ")
	for k, c := range cuts {
		end := len(s)
		if k+1 < len(cuts) {
			end = cuts[k+1]
		}
		part := s[c+size[k] : end]
		if k == 0 && lead != "" {
			part = lead + ":" + part
		}
		out = append(out, trimmed(part)...)
	}
	return out
}

// ordinalCuts finds 一是, 二是, … in order, each at the start or after a
// separator; size is the byte length of each marker.
func ordinalCuts(s string) (cuts, size []int) {
	want := 0
	for i, r := range s {
		if want >= len(ordinals) || r != ordinals[want] || !strings.HasPrefix(s[i+utf8.RuneLen(r):], "是") {
			continue
		}
		if prev, _ := utf8.DecodeLastRuneInString(s[:i]); i == 0 || strings.ContainsRune(",:;、", prev) {
			cuts, size = append(cuts, i), append(size, len("一是"))
			want++
		}
	}
	return cuts, size
}

// sequenceCuts finds ①, ②, … or (1), (2), … in order.
func sequenceCuts(s string) (cuts, size []int) {
	for _, circled := range []bool{true, false} {
		cuts, size = nil, nil
		next := 1
		for i := 0; i < len(s); {
			var m string
			if circled {
				m = string(rune('①' + next - 1))
			} else {
				m = "(" + strconv.Itoa(next) + ")"
			}
			if strings.HasPrefix(s[i:], m) {
				cuts, size = append(cuts, i), append(size, len(m))
				next++
				i += len(m)
				continue
			}
			_, n := utf8.DecodeRuneInString(s[i:])
			i += n
		}
		if len(cuts) >= 2 {
			return cuts, size
		}
	}
	return nil, nil
}

var ordinals = []rune("一二三四五六七八九十")

func trimmed(s string) []string {
	s = strings.Trim(s, ",:;、 ")
	if s == "" {
		return nil
	}
	return []string{s}
}
