// Package drives runs the bureau's reporting drives: periods and schedules,
// the scheduler, the school's tasks, submissions with their history and
// review, and completeness.
package drives

import (
	"fmt"
	"strconv"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
)

// Period is one reporting period: [Start, End) in the schedule's time zone.
// Keys: weekly "2026-W47" (ISO week), monthly "2026-11", termly "2026-T1"
// (spring term, January to July) and "2026-T2" (autumn term, August to
// December), yearly "2026".
type Period struct {
	Key   string
	Start time.Time
	End   time.Time
}

// PeriodAt returns the period of the given frequency that contains t.
func PeriodAt(freq string, t time.Time) (Period, error) {
	y, m, d := t.Date()
	loc := t.Location()
	switch freq {
	case forms.Weekly:
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		start := time.Date(y, m, d-wd, 0, 0, 0, 0, loc)
		iy, iw := start.ISOWeek()
		return Period{fmt.Sprintf("%d-W%02d", iy, iw), start, start.AddDate(0, 0, 7)}, nil
	case forms.Monthly:
		start := time.Date(y, m, 1, 0, 0, 0, 0, loc)
		return Period{fmt.Sprintf("%d-%02d", y, int(m)), start, start.AddDate(0, 1, 0)}, nil
	case forms.Termly:
		if m <= time.July {
			start := time.Date(y, time.January, 1, 0, 0, 0, 0, loc)
			return Period{fmt.Sprintf("%d-T1", y), start, start.AddDate(0, 7, 0)}, nil
		}
		start := time.Date(y, time.August, 1, 0, 0, 0, 0, loc)
		return Period{fmt.Sprintf("%d-T2", y), start, start.AddDate(0, 5, 0)}, nil
	case forms.Yearly:
		start := time.Date(y, time.January, 1, 0, 0, 0, 0, loc)
		return Period{strconv.Itoa(y), start, start.AddDate(1, 0, 0)}, nil
	}
	return Period{}, fail.Field("frequency", "option", "频率必须是 weekly、monthly、termly 或 yearly", "frequency must be weekly, monthly, termly or yearly")
}

// Next returns the period after p.
func (p Period) Next(freq string) Period {
	n, _ := PeriodAt(freq, p.End)
	return n
}

// ParsePeriod reads a period key in a location.
func ParsePeriod(key string, loc *time.Location) (Period, string, error) {
	bad := fail.Field("period", "pattern", "期次格式应为 2026-W47、2026-11、2026-T1 或 2026", "period must look like 2026-W47, 2026-11, 2026-T1 or 2026")
	var y, n int
	switch {
	case len(key) == 4:
		if _, err := fmt.Sscanf(key, "%4d", &y); err != nil {
			return Period{}, "", bad
		}
		p, _ := PeriodAt(forms.Yearly, time.Date(y, 1, 1, 0, 0, 0, 0, loc))
		return p, forms.Yearly, nil
	case len(key) == 7 && key[5] == 'T':
		if _, err := fmt.Sscanf(key, "%4d-T%1d", &y, &n); err != nil || n < 1 || n > 2 {
			return Period{}, "", bad
		}
		p, _ := PeriodAt(forms.Termly, time.Date(y, time.Month(1+7*(n-1)), 1, 0, 0, 0, 0, loc))
		return p, forms.Termly, nil
	case len(key) == 8 && key[5] == 'W':
		if _, err := fmt.Sscanf(key, "%4d-W%2d", &y, &n); err != nil || n < 1 || n > 53 {
			return Period{}, "", bad
		}
		// ISO week 1 contains January 4th.
		jan4 := time.Date(y, 1, 4, 0, 0, 0, 0, loc)
		p, _ := PeriodAt(forms.Weekly, jan4.AddDate(0, 0, 7*(n-1)))
		if p.Key != key {
			return Period{}, "", bad
		}
		return p, forms.Weekly, nil
	case len(key) == 7:
		if _, err := fmt.Sscanf(key, "%4d-%2d", &y, &n); err != nil || n < 1 || n > 12 {
			return Period{}, "", bad
		}
		p, _ := PeriodAt(forms.Monthly, time.Date(y, time.Month(n), 1, 0, 0, 0, 0, loc))
		return p, forms.Monthly, nil
	}
	return Period{}, "", bad
}

// YearBefore returns the key of the same period a year earlier: 2025-11
// for 2026-11, 2025-T2 for 2026-T2, 2025-W47 for 2026-W47, 2025 for 2026.
// It is false for a key that is not a period and for a week the earlier
// year does not have (2026-W53: 2025 has 52 ISO weeks).
func YearBefore(key string, loc *time.Location) (string, bool) {
	if _, _, err := ParsePeriod(key, loc); err != nil {
		return "", false
	}
	y, _ := strconv.Atoi(key[:4])
	before := fmt.Sprintf("%04d", y-1) + key[4:]
	if _, _, err := ParsePeriod(before, loc); err != nil {
		return "", false
	}
	return before, true
}
