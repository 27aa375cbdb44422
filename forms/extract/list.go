package extract

import (
	"strings"
	"unicode/utf8"
)

// member is one member of a list in a sentence part: text is what it says
// ("交通安全"); match is what its indicators are read from, text with the
// ending the list's members share ("防欺凌" of "开展防溺水、防欺凌、交通安全
// 专题教育" is matched as "防欺凌专题教育").
type member struct{ text, match string }

// maxTail is the longest shared ending (in characters) lent to a list's
// members: a noun like 专项排查整治, not a whole predicate.
const maxTail = 8

// listMembers splits a part that lists duties of different indicators
// ("深入开展校园消防安全、交通安全、预防溺水、防校园欺凌专项治理") into its
// members, each a candidate of its own. A part is left whole (one member)
// when it is no such list: fewer than two members name an indicator, or
// all name the same one ("食品留样、进货查验"); members of one character
// ("早、中、晚三餐"); or the members are the places or things a duty is
// done to ("对校舍、消防设施、食堂等开展一次全面安全检查"), which only the
// words after them name.
func listMembers(part, context string) []member {
	whole := []member{{text: part, match: part}}
	pieces := splitList(part)
	if len(pieces) < 2 {
		return whole
	}
	tail, objects := "", strings.Contains(pieces[0], "对")
	lastPiece := pieces[len(pieces)-1]
	if i := strings.LastIndex(lastPiece, "等"); i > 0 {
		tail = strings.TrimLeft(lastPiece[i+len("等"):], "0123456789一二三四五六七八九十项个类方面")
		pieces[len(pieces)-1] = lastPiece[:i]
		objects = objects || hasPrefixAny(tail, dict.ObjectVerbs) || len(dict.indicatorsOf(tail, context, nil)) > 0
	}
	if objects {
		// What is done to the members names the indicator, not the
		// members (食堂 in "对宿舍、食堂等开展安全检查" is a place).
		if tail == "" {
			return whole
		}
		return []member{{text: part, match: tail}}
	}
	ending := tail
	if ending == "" {
		ending = sharedEnding(pieces[len(pieces)-1])
	}
	if utf8.RuneCountInString(ending) > maxTail {
		ending = ""
	}
	codes := map[string]bool{}
	members := make([]member, len(pieces))
	for i, p := range pieces {
		if utf8.RuneCountInString(p) < 2 {
			return whole
		}
		members[i] = member{text: p, match: p}
		if ending != "" && !strings.HasSuffix(p, ending) {
			members[i].match = p + ending
		}
		if ims := dict.indicatorsOf(members[i].match, context, nil); len(ims) > 0 {
			codes[ims[0].Code] = true
		}
	}
	if len(codes) < 2 {
		return whole
	}
	if tail != "" {
		members[len(members)-1].text += "等" + tail
	}
	return members
}

// sharedEnding is the noun a list's last member ends with that is said of
// every member ("…交通安全专题教育": 专题教育), or "".
func sharedEnding(last string) string {
	best := ""
	for _, e := range dict.ListEndings {
		if strings.HasSuffix(last, e) && len(e) > len(best) && len(last) > len(e) {
			best = e
		}
	}
	return best
}

func hasPrefixAny(s string, words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(s, w) {
			return true
		}
	}
	return false
}

// splitList splits a part at 、 outside quotes and brackets.
func splitList(part string) []string {
	masked := maskNames(part)
	var out []string
	start := 0
	for i := 0; i < len(masked); {
		if strings.HasPrefix(masked[i:], "、") {
			out = append(out, strings.TrimSpace(part[start:i]))
			i += len("、")
			start = i
			continue
		}
		_, size := utf8.DecodeRuneInString(masked[i:])
		i += size
	}
	return append(out, strings.TrimSpace(part[start:]))
}
