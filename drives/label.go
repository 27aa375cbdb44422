package drives

import (
	"strconv"
	"strings"
)

// PeriodLabel writes a period key as people write it: "2026-12" is
// "2026年12月", "2026-T1" "2026年春季学期" (January to July), "2026-T2"
// "2026年秋季学期" (August to December), "2026-W47" "2026年第47周" (ISO
// week), "2026" "2026年度". Anything else comes back as it is.
func PeriodLabel(period string) string {
	year, rest, dashed := strings.Cut(period, "-")
	if y, err := strconv.Atoi(year); err != nil || len(year) != 4 || y < 1 {
		return period
	}
	number := func(s string, hi int) (int, bool) {
		n, err := strconv.Atoi(s)
		return n, err == nil && len(s) == 2 && n >= 1 && n <= hi
	}
	switch {
	case !dashed:
		return year + "年度"
	case rest == "T1":
		return year + "年春季学期"
	case rest == "T2":
		return year + "年秋季学期"
	case strings.HasPrefix(rest, "W"):
		if n, ok := number(rest[1:], 53); ok {
			return year + "年第" + strconv.Itoa(n) + "周"
		}
	default:
		if n, ok := number(rest, 12); ok {
			return year + "年" + strconv.Itoa(n) + "月"
		}
	}
	return period
}
