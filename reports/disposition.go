package reports

import (
	"strings"
)

// ContentDisposition is the Content-Disposition header value for
// downloading a workbook named filename: an ASCII fallback for old clients
// and the UTF-8 name percent-encoded per RFC 5987/6266, so Chinese names
// survive:
//
//	attachment; filename="__2026-11.xlsx"; filename*=UTF-8''%E6%B1%87%E6%80%BB2026-11.xlsx
func ContentDisposition(filename string) string {
	name := strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f || !validXML(r) || r == '/' || r == '\\' {
			return -1
		}
		return r
	}, clean(filename))
	if name == "" {
		name = "export.xlsx"
	}
	var ascii, enc strings.Builder
	for _, r := range name {
		switch {
		case r == '"':
			ascii.WriteByte('\'')
		case r < 0x80:
			ascii.WriteRune(r)
		default:
			ascii.WriteByte('_')
		}
	}
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(name); i++ {
		b := name[i]
		if attrChar(b) {
			enc.WriteByte(b)
			continue
		}
		enc.WriteByte('%')
		enc.WriteByte(hex[b>>4])
		enc.WriteByte(hex[b&15])
	}
	return `attachment; filename="` + ascii.String() + `"; filename*=UTF-8''` + enc.String()
}

// attrChar reports whether b may appear unencoded in an RFC 5987 value.
func attrChar(b byte) bool {
	switch {
	case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z', '0' <= b && b <= '9':
		return true
	}
	return strings.IndexByte("!#$&+-.^_`|~", b) >= 0
}
