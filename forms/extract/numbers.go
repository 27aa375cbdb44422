package extract

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// quantity is a number with a unit found in a sentence part, at s[start:end].
type quantity struct {
	start, end int
	value, max float64 // max > value for ranges ("1-2 项")
	unit       string
}

// units accepted after a number, longest first where one is a prefix of
// another. The value is the unit reported ("个百分点" → "百分点").
var units = []struct{ text, unit string }{
	{"个百分点", "百分点"}, {"百分点", "百分点"}, {"%", "%"},
	{"学时", "学时"}, {"课时", "课时"}, {"小时", "小时"}, {"分钟", "分钟"},
	{"勒克斯", "lx"}, {"lx", "lx"}, {"万元", "万元"}, {"亿元", "亿元"}, {"元", "元"},
	{"平方米", "平方米"}, {"㎡", "平方米"}, {"m²", "平方米"}, {"亩", "亩"},
	{"人次", "人次"}, {"个月", "月"}, {"次", "次"}, {"所", "所"}, {"个", "个"}, {"人", "人"},
	{"名", "名"}, {"间", "间"}, {"项", "项"}, {"节", "节"}, {"台", "台"}, {"处", "处"},
	{"天", "天"}, {"周", "周"}, {"克", "克"}, {"g", "克"}, {"家", "家"}, {"支", "支"},
	{"场", "场"}, {"倍", "倍"}, {"套", "套"}, {"块", "块"}, {"栋", "栋"}, {"幢", "栋"},
	{"座", "座"}, {"辆", "辆"}, {"册", "册"}, {"张", "张"}, {"餐", "餐"},
}

// notUnits start like a unit but are not one ("6-15 周岁", "一次性").
var notUnits = []string{"次党代会", "次代表大会", "次全会", "次会议", "周岁", "周年", "周边", "天然", "节日", "节约", "节能", "项目", "人民", "人才", "人员", "名师", "名校", "名班", "处置", "处理", "场地", "场所", "家长", "家庭", "元素", "台账", "克服", "所有", "个性", "个人", "个别", "次性", "支持", "间隔", "块化", "张贴", "座谈", "册子", "餐厅", "餐具", "餐饮", "套餐"}

const cjkDigits = "零〇一二两三四五六七八九十百千万亿"

// ParseNumber reads an Arabic ("12", "0.5") or Chinese ("十二", "两", "二十",
// "一百零五", "1.2万") number and reports whether the whole of s is one.
func ParseNumber(s string) (float64, bool) {
	if s == "" {
		return 0, false
	}
	mult := 1.0
	if strings.HasSuffix(s, "万") && s[0] >= '0' && s[0] <= '9' {
		s, mult = strings.TrimSuffix(s, "万"), 1e4
	} else if strings.HasSuffix(s, "亿") && s[0] >= '0' && s[0] <= '9' {
		s, mult = strings.TrimSuffix(s, "亿"), 1e8
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil && s[0] >= '0' && s[0] <= '9' {
		return v * mult, true
	}
	return parseCJK(s)
}

// parseCJK reads a Chinese numeral up to the hundred millions.
func parseCJK(s string) (float64, bool) {
	var total, section, digit float64
	seen := false
	for _, r := range s {
		switch r {
		case '零', '〇':
			digit = 0
		case '一':
			digit = 1
		case '二', '两':
			digit = 2
		case '三':
			digit = 3
		case '四':
			digit = 4
		case '五':
			digit = 5
		case '六':
			digit = 6
		case '七':
			digit = 7
		case '八':
			digit = 8
		case '九':
			digit = 9
		case '十', '百', '千':
			m := map[rune]float64{'十': 10, '百': 100, '千': 1000}[r]
			if digit == 0 && !seen {
				digit = 1
			}
			section += digit * m
			digit = 0
		case '万', '亿':
			m := map[rune]float64{'万': 1e4, '亿': 1e8}[r]
			total = (total + section + digit) * m
			section, digit = 0, 0
		default:
			return 0, false
		}
		seen = true
	}
	return total + section + digit, seen
}

// quantities finds the numbers with units in a sentence part, skipping quoted
// and bracketed names ("十个一", 《…》), ordinals (第二届) and ranks (后30%).
func quantities(s string) []quantity {
	masked := maskNames(s)
	var out []quantity
	for i := 0; i < len(masked); {
		q, ok := quantityAt(masked, i)
		if !ok {
			_, size := utf8.DecodeRuneInString(masked[i:])
			i += size
			continue
		}
		out = append(out, q)
		i = q.end
	}
	return out
}

// maskNames replaces quoted and bracketed text by '#' so that no number is
// read inside it, keeping byte offsets.
func maskNames(s string) string {
	b := []byte(s)
	pairs := []struct{ open, close string }{{"“", "”"}, {"《", "》"}, {"(", ")"}, {"\"", "\""}, {"「", "」"}, {"‘", "’"}}
	for _, p := range pairs {
		for from := 0; ; {
			i := strings.Index(s[from:], p.open)
			if i < 0 {
				break
			}
			i += from
			j := strings.Index(s[i+len(p.open):], p.close)
			if j < 0 {
				break
			}
			j += i + len(p.open) + len(p.close)
			for k := i; k < j; k++ {
				b[k] = '#'
			}
			from = j
		}
	}
	return string(b)
}

// quantityAt reads a quantity starting at byte i of s.
func quantityAt(s string, i int) (quantity, bool) {
	prev, _ := utf8.DecodeLastRuneInString(s[:i])
	if i > 0 && (prev == '第' || prev == '每' || prev == '.' || prev < utf8.RuneSelf && isAlnum(byte(prev)) || strings.ContainsRune(cjkDigits, prev)) {
		return quantity{}, false
	}
	if strings.HasPrefix(s[i:], "百分之") {
		j := i + len("百分之")
		n := numberEnd(s, j)
		if n == j {
			if strings.HasPrefix(s[j:], "百") {
				return quantity{start: i, end: j + len("百"), value: 100, unit: "%"}, true
			}
			return quantity{}, false
		}
		v, ok := ParseNumber(s[j:n])
		return quantity{start: i, end: n, value: v, unit: "%"}, ok
	}
	n := numberEnd(s, i)
	if first, _ := utf8.DecodeRuneInString(s[i:]); n == i || strings.ContainsRune("零〇百千万亿", first) {
		return quantity{}, false
	}
	v, ok := ParseNumber(s[i:n])
	if !ok {
		return quantity{}, false
	}
	q := quantity{start: i, value: v}
	for _, sep := range []string{"-", "~", "至", "到", "—"} {
		if strings.HasPrefix(s[n:], sep) {
			m := numberEnd(s, n+len(sep))
			if hi, ok := ParseNumber(s[n+len(sep) : m]); ok && m > n+len(sep) && hi > v {
				q.max, n = hi, m
			}
			break
		}
	}
	unit, size := unitAt(s[n:])
	if unit == "" || (unit == "%" || unit == "百分点") && (prev == '前' || prev == '后') {
		return quantity{}, false
	}
	q.unit, q.end = unit, n+size
	return q, true
}

// numberEnd returns the end of the number starting at byte i: Arabic digits
// with an optional decimal part and 万/亿, or a run of Chinese numerals.
func numberEnd(s string, i int) int {
	j := i
	if j < len(s) && s[j] >= '0' && s[j] <= '9' {
		for j < len(s) && (s[j] >= '0' && s[j] <= '9' || s[j] == '.' && j+1 < len(s) && s[j+1] >= '0' && s[j+1] <= '9') {
			j++
		}
		for _, m := range []string{"万", "亿"} {
			// 4223万元 is 4223 of the unit 万元, 1.2万人 twelve thousand people.
			if strings.HasPrefix(s[j:], m) && !strings.HasPrefix(s[j+len(m):], "元") {
				j += len(m)
			}
		}
		return j
	}
	for j < len(s) {
		r, size := utf8.DecodeRuneInString(s[j:])
		if !strings.ContainsRune(cjkDigits, r) {
			break
		}
		j += size
	}
	return j
}

// unitAt returns the unit at the start of s and its byte length.
func unitAt(s string) (string, int) {
	for _, n := range notUnits {
		if strings.HasPrefix(s, n) {
			return "", 0
		}
	}
	for _, u := range units {
		if strings.HasPrefix(s, u.text) {
			return u.unit, len(u.text)
		}
	}
	return "", 0
}

func isAlnum(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}
