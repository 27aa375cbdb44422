package forms

import (
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeError is a failure to read a submission as a whole.
type decodeError struct{ code string }

func (e decodeError) Error() string { return e.code }

var (
	errJSON     = decodeError{"json"}
	errType     = decodeError{"type"}
	errDepth    = decodeError{"depth"}
	errTooLong  = decodeError{"too_long"}
	errDupKey   = decodeError{"duplicate"}
	errEncoding = decodeError{"utf8"}
)

// decodeSubmission reads raw strictly: valid UTF-8, one JSON object, no
// duplicate keys, numbers as float64 (±Inf when out of range), nesting no
// deeper than maxDepth and lists no longer than maxList. It reads in one
// pass and gives the verdicts of encoding/json's Token API in the same
// order (the first problem met in the text decides), which its test
// checks. Keys and strings share one copy of raw.
func decodeSubmission(raw []byte, maxDepth, maxList int) (map[string]any, error) {
	if !utf8.Valid(raw) {
		return nil, errEncoding
	}
	p := parser{s: raw, text: string(raw), maxDepth: maxDepth, maxList: maxList}
	p.space()
	if p.i == len(p.s) {
		return nil, errJSON
	}
	switch p.s[p.i] {
	case '{':
	case '[':
		return nil, errType
	case ']', '}', ',', ':':
		return nil, errJSON
	default:
		if _, err := p.scalar(); err != nil {
			return nil, errJSON
		}
		return nil, errType
	}
	p.i++
	v, err := p.object(1)
	if err != nil {
		return nil, err
	}
	if p.space(); p.i != len(p.s) {
		return nil, errJSON
	}
	return v, nil
}

type parser struct {
	s        []byte
	text     string // s as a string, for substrings without copies
	i        int
	maxDepth int
	maxList  int
	members  []member // members of the objects being read, innermost last
}

// member is one key and value of an object being read.
type member struct {
	k string
	v any
}

// smallObject is the most members an object collects before they go
// into a map: up to it duplicates are found by a scan, and the map is
// made at its final size.
const smallObject = 16

// space skips JSON white space.
func (p *parser) space() {
	for p.i < len(p.s) {
		switch p.s[p.i] {
		case ' ', '\t', '\r', '\n':
			p.i++
		default:
			return
		}
	}
}

func (p *parser) value(depth int) (any, error) {
	p.space()
	if p.i == len(p.s) {
		return nil, errJSON
	}
	switch p.s[p.i] {
	case '{', '[':
		if depth+1 > p.maxDepth {
			return nil, errDepth
		}
		p.i++
		if p.s[p.i-1] == '{' {
			return p.object(depth + 1)
		}
		return p.array(depth + 1)
	case ']', '}', ',', ':':
		return nil, errJSON
	}
	return p.scalar()
}

// object reads the members of an object whose "{" has been read.
func (p *parser) object(depth int) (map[string]any, error) {
	base := len(p.members)
	defer func() {
		clear(p.members[base:])
		p.members = p.members[:base]
	}()
	var m map[string]any
	for first := true; ; first = false {
		p.space()
		if p.i == len(p.s) {
			return nil, errJSON
		}
		switch p.s[p.i] {
		case '}':
			p.i++
			if m == nil {
				m = make(map[string]any, len(p.members)-base)
				for _, e := range p.members[base:] {
					m[e.k] = e.v
				}
			}
			return m, nil
		case ']':
			return nil, errJSON
		}
		if !first {
			if p.s[p.i] != ',' {
				return nil, errJSON
			}
			p.i++
			p.space()
		}
		if p.i == len(p.s) || p.s[p.i] != '"' {
			return nil, errJSON
		}
		k, err := p.str()
		if err != nil {
			return nil, err
		}
		if p.has(m, base, k) {
			return nil, errDupKey
		}
		if p.space(); p.i == len(p.s) || p.s[p.i] != ':' {
			return nil, errJSON
		}
		p.i++
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		switch {
		case m != nil:
			m[k] = v
		case len(p.members)-base < smallObject:
			p.members = append(p.members, member{k, v})
		default:
			m = make(map[string]any, 2*smallObject)
			for _, e := range p.members[base:] {
				m[e.k] = e.v
			}
			m[k] = v
		}
	}
}

// has reports whether the object being read (in m, or in the members from
// base) holds key k.
func (p *parser) has(m map[string]any, base int, k string) bool {
	if m != nil {
		_, ok := m[k]
		return ok
	}
	for _, e := range p.members[base:] {
		if e.k == k {
			return true
		}
	}
	return false
}

// array reads the elements of a list whose "[" has been read.
func (p *parser) array(depth int) ([]any, error) {
	a := []any{}
	for first := true; ; first = false {
		p.space()
		if p.i == len(p.s) {
			return nil, errJSON
		}
		switch p.s[p.i] {
		case ']':
			p.i++
			return a, nil
		case '}':
			return nil, errJSON
		}
		if len(a) >= p.maxList {
			return nil, errTooLong
		}
		if !first {
			if p.s[p.i] != ',' {
				return nil, errJSON
			}
			p.i++
		}
		v, err := p.value(depth)
		if err != nil {
			return nil, err
		}
		a = append(a, v)
	}
}

// scalar reads a string, number, true, false or null; like encoding/json's
// scanner it ends a number or a literal at the first byte that cannot
// continue it, leaving that byte to the caller.
func (p *parser) scalar() (any, error) {
	switch c := p.s[p.i]; {
	case c == '"':
		return p.str()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	}
	for _, lit := range [...]struct {
		text string
		v    any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if len(p.s)-p.i >= len(lit.text) && string(p.s[p.i:p.i+len(lit.text)]) == lit.text {
			p.i += len(lit.text)
			return lit.v, nil
		}
	}
	return nil, errJSON
}

func (p *parser) digits() int {
	n := 0
	for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
		n++
	}
	return n
}

func (p *parser) number() (any, error) {
	start := p.i
	if p.s[p.i] == '-' {
		p.i++
	}
	switch {
	case p.i == len(p.s):
		return nil, errJSON
	case p.s[p.i] == '0':
		p.i++
	case p.digits() == 0:
		return nil, errJSON
	}
	if p.i < len(p.s) && p.s[p.i] == '.' {
		p.i++
		if p.digits() == 0 {
			return nil, errJSON
		}
	}
	if p.i < len(p.s) && (p.s[p.i] == 'e' || p.s[p.i] == 'E') {
		p.i++
		if p.i < len(p.s) && (p.s[p.i] == '+' || p.s[p.i] == '-') {
			p.i++
		}
		if p.digits() == 0 {
			return nil, errJSON
		}
	}
	n, _ := strconv.ParseFloat(p.text[start:p.i], 64) // only fails as ±Inf
	return n, nil
}

// str reads a string at its opening quote, unquoting as encoding/json
// does: an escaped surrogate that does not pair becomes U+FFFD.
func (p *parser) str() (string, error) {
	p.i++
	start := p.i
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return p.text[start : p.i-1], nil
		case c == '\\':
			return p.strEscaped(start)
		case c < ' ':
			return "", errJSON
		}
		p.i++
	}
	return "", errJSON
}

func (p *parser) strEscaped(start int) (string, error) {
	b := append([]byte(nil), p.s[start:p.i]...)
	for p.i < len(p.s) {
		c := p.s[p.i]
		switch {
		case c == '"':
			p.i++
			return string(b), nil
		case c < ' ':
			return "", errJSON
		case c != '\\':
			b = append(b, c)
			p.i++
			continue
		}
		if p.i+1 == len(p.s) {
			return "", errJSON
		}
		e := p.s[p.i+1]
		p.i += 2
		switch e {
		case '"', '\\', '/':
			b = append(b, e)
		case 'b':
			b = append(b, '\b')
		case 'f':
			b = append(b, '\f')
		case 'n':
			b = append(b, '\n')
		case 'r':
			b = append(b, '\r')
		case 't':
			b = append(b, '\t')
		case 'u':
			r := hex4(p.s[p.i:])
			if r < 0 {
				return "", errJSON
			}
			p.i += 4
			if utf16.IsSurrogate(r) {
				r2 := rune(-1)
				if len(p.s)-p.i >= 6 && p.s[p.i] == '\\' && p.s[p.i+1] == 'u' {
					r2 = hex4(p.s[p.i+2:])
				}
				if d := utf16.DecodeRune(r, r2); d != unicode.ReplacementChar {
					p.i += 6
					b = utf8.AppendRune(b, d)
					continue
				}
				r = unicode.ReplacementChar
			}
			b = utf8.AppendRune(b, r)
		default:
			return "", errJSON
		}
	}
	return "", errJSON
}

// hex4 reads four hex digits, or returns -1.
func hex4(s []byte) rune {
	if len(s) < 4 {
		return -1
	}
	var r rune
	for _, c := range s[:4] {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
