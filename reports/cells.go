package reports

import (
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// clean strips what XML 1.0 cannot carry (control characters other than tab,
// newline and carriage return, surrogates, U+FFFE/U+FFFF, invalid UTF-8).
// Strings that need no change are returned without allocating.
func clean(s string) string {
	for i := 0; i < len(s); i++ {
		b := s[i]
		if b < 0x20 && b != '\t' && b != '\n' && b != '\r' || b >= 0x80 {
			return cleanSlow(s)
		}
	}
	return s
}

func cleanSlow(s string) string {
	var sb strings.Builder
	sb.Grow(len(s))
	changed := false
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if validXML(r) && !(r == utf8.RuneError && n == 1) {
			sb.WriteString(s[i : i+n])
		} else {
			changed = true
		}
		i += n
	}
	if !changed {
		return s
	}
	return sb.String()
}

func validXML(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return true
	case r < 0x20:
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD:
		return true
	case r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// excelEpoch is day zero of Excel's 1900 date system (with its leap-year bug
// folded in, valid for every date after 1900-03-01).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// serial turns the wall-clock time of t in loc into an Excel date serial.
func serial(t time.Time, loc *time.Location) float64 {
	t = t.In(loc)
	wall := time.Date(t.Year(), t.Month(), t.Day(), t.Hour(), t.Minute(), t.Second(), t.Nanosecond(), time.UTC)
	return wall.Sub(excelEpoch).Hours() / 24
}

// dateSerial parses "YYYY-MM-DD" into an Excel date serial.
func dateSerial(s string) (float64, bool) {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return math.Round(d.Sub(excelEpoch).Hours() / 24), true
}

// Number reads any numeric value a decoder may have produced: float64, the
// sized int types a database driver returns (int32, int64), and named
// number types.
func Number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case float32:
		return float64(n), true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	}
	rv := reflect.ValueOf(v)
	switch rv.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return float64(rv.Int()), true
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return float64(rv.Uint()), true
	case reflect.Float32, reflect.Float64:
		return rv.Float(), true
	}
	return 0, false
}

// list reads a slice value ([]any, or a named slice type such as a driver's
// array type) as []any.
func list(v any) ([]any, bool) {
	if l, ok := v.([]any); ok {
		return l, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice {
		return nil, false
	}
	out := make([]any, rv.Len())
	for i := range out {
		out[i] = rv.Index(i).Interface()
	}
	return out, true
}

// record reads one repeat-group item (map[string]any or a named map type).
func record(v any) (map[string]any, bool) {
	if m, ok := v.(map[string]any); ok {
		return m, true
	}
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Map || rv.Type().Key().Kind() != reflect.String {
		return nil, false
	}
	out := make(map[string]any, rv.Len())
	for it := rv.MapRange(); it.Next(); {
		out[it.Key().String()] = it.Value().Interface()
	}
	return out, true
}

// text renders any scalar as cleaned text.
func text(v any) string {
	switch x := v.(type) {
	case string:
		return clean(x)
	case bool:
		return yesNo(x)
	case nil:
		return ""
	}
	if n, ok := Number(v); ok {
		return strconv.FormatFloat(n, 'f', -1, 64)
	}
	if l, ok := list(v); ok {
		parts := make([]string, len(l))
		for i, x := range l {
			parts[i] = text(x)
		}
		return strings.Join(parts, "、")
	}
	return ""
}

func yesNo(b bool) string {
	if b {
		return "是"
	}
	return "否"
}

// optionLabel is the zh label of a choice value, or the value itself.
func optionLabel(f *forms.Field, v any) string {
	s, ok := v.(string)
	if !ok {
		return text(v)
	}
	for _, o := range f.Options {
		if o.Value == s {
			return clean(o.Label.Zh)
		}
	}
	return clean(s)
}

// fieldCell converts one answer into a cell, formatted as the field's kind
// of number asks (a rate held as 95 becomes 0.95 shown as 95.0%); nil
// leaves the cell empty.
func (st *styles) fieldCell(f *forms.Field, v any) any {
	if v == nil {
		return nil
	}
	switch f.Type {
	case forms.Integer, forms.Decimal, forms.Computed, forms.Percent:
		if n, ok := Number(v); ok {
			if isRate(f) {
				n /= 100
			}
			return excelize.Cell{StyleID: st.format(numberFormat(f)), Value: n}
		}
		if b, ok := v.(bool); ok {
			return yesNo(b)
		}
	case forms.Boolean:
		if b, ok := v.(bool); ok {
			return yesNo(b)
		}
	case forms.Choice:
		return optionLabel(f, v)
	case forms.Multi:
		if l, ok := list(v); ok {
			parts := make([]string, len(l))
			for i, x := range l {
				parts[i] = optionLabel(f, x)
			}
			return strings.Join(parts, "、")
		}
	case forms.Date:
		if s, ok := v.(string); ok {
			if d, ok := dateSerial(s); ok {
				return excelize.Cell{StyleID: st.date, Value: d}
			}
		}
		if t, ok := v.(time.Time); ok {
			return excelize.Cell{StyleID: st.date, Value: math.Floor(serial(t, st.loc))}
		}
	case forms.Repeat:
		if l, ok := list(v); ok {
			return excelize.Cell{StyleID: st.format(fmtCount), Value: len(l)}
		}
	}
	return text(v)
}
