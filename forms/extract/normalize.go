package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Normalize cleans a plan text: full-width ASCII becomes half-width, spaces
// between Chinese characters and digits are removed (plans copied from PDF
// break lines mid-word), lines broken inside a paragraph are joined, and
// website boilerplate (copyright, 主办单位, 网站标识码, 扫一扫, ...) is dropped.
// Lines are separated by "\n".
func Normalize(text string) string {
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		l = squeezeSpaces(halfWidth(l))
		if l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(joinBroken(dropBoilerplate(lines)), "\n")
}

// halfWidth maps full-width ASCII forms and the ideographic space to ASCII,
// and normalises dashes and wave dashes used in ranges.
func halfWidth(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			return r - 0xFEE0
		case r == 0x3000 || r == 0x00A0 || r == '\t' || r == 0x2002 || r == 0x2003:
			return ' '
		case r == 0x301C || r == 0x223C:
			return '~'
		case r == 0x2013 || r == 0x2212:
			return '-'
		case r == 0xFE6A:
			return '%'
		case r == 0x200B || r == 0xFEFF:
			return -1
		}
		return r
	}, s)
}

// squeezeSpaces removes runs of spaces except a single one between two ASCII
// letters or an ASCII letter and a digit ("Grade 3"), and trims the line.
func squeezeSpaces(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	var prev rune
	pending := false
	for _, r := range s {
		if r == ' ' {
			pending = true
			continue
		}
		if pending && prev != 0 && keepSpace(prev, r) {
			b.WriteByte(' ')
		}
		pending = false
		b.WriteRune(r)
		prev = r
	}
	return b.String()
}

func keepSpace(a, b rune) bool {
	letter := func(r rune) bool { return r < utf8.RuneSelf && unicode.IsLetter(r) }
	alnum := func(r rune) bool { return r < utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
	return (letter(a) && alnum(b)) || (alnum(a) && letter(b))
}

// boilerplate marks lines of a web page around the plan, not of the plan.
var boilerplate = []string{
	"版权所有", "Copyright", "copyright", "©", "主办单位", "承办单位", "技术支持", "网站标识码",
	"ICP备", "备案号", "公网安备", "扫一扫", "返回首页", "返回顶部", "打印本页", "关闭窗口",
	"网站地图", "联系我们", "微信公众号", "客服微信", "今天是", "首页>", "来源:", "浏览次数",
	"【字号", "字体:", "分享到", "www.", "http://", "https://", "收藏好", "网址", "点击量",
}

// isBoilerplate reports whether a short line carries a boilerplate marker.
func isBoilerplate(l string) bool {
	if utf8.RuneCountInString(l) > 120 {
		return false
	}
	for _, m := range boilerplate {
		if strings.Contains(l, m) {
			return true
		}
	}
	return false
}

// dropBoilerplate drops boilerplate lines, and everything after the first
// boilerplate line in the last third of the document (a page footer).
func dropBoilerplate(lines []string) []string {
	out := lines[:0:0]
	for i, l := range lines {
		if !isBoilerplate(l) {
			out = append(out, l)
			continue
		}
		if i*3 >= len(lines)*2 && len(lines) > 3 {
			break
		}
	}
	return out
}

// terminal reports whether a line ends a paragraph: sentence punctuation or
// a closing quote or bracket after one.
func terminal(l string) bool {
	l = strings.TrimRight(l, "”’」』)")
	r, _ := utf8.DecodeLastRuneInString(l)
	return strings.ContainsRune("。;!?:…", r)
}

// joinBroken joins a long line that does not end a sentence with the next
// line unless that one starts a numbered item or heading: the plan was
// copied from a PDF with hard line breaks.
func joinBroken(lines []string) []string {
	var out []string
	var cur strings.Builder
	long := false // cur is longer than a heading
	for _, l := range lines {
		if cur.Len() > 0 {
			if _, _, _, numbered := marker(l); long && !terminal(lastBytes(cur.String())) && !numbered {
				cur.WriteString(l)
				continue
			}
			out = append(out, cur.String())
			cur.Reset()
		}
		cur.WriteString(l)
		long = utf8.RuneCountInString(l) > 40
	}
	if cur.Len() > 0 {
		out = append(out, cur.String())
	}
	return out
}

// lastBytes returns the last few bytes of s, enough for terminal to judge it.
func lastBytes(s string) string {
	return s[max(0, len(s)-16):]
}
