package forms

import (
	"fmt"
	"time"
)

// Window makes a date field one of the period's: the date must lie within
// the reporting period, give or take Grace days, and never after today.
type Window struct {
	Grace int `json:"grace,omitempty" yaml:"grace,omitempty" bson:"grace,omitempty"`
}

// MaxGrace is the longest grace a Window may give, in days.
const MaxGrace = 366

// Span is a reporting period's first and last day and today, as
// "YYYY-MM-DD" in the bureau's time zone.
type Span struct {
	Start string `json:"start"`
	End   string `json:"end"`
	Today string `json:"today,omitempty"`
}

func checkWithin(f *Field, path string) []FieldError {
	if f.Within == nil {
		return nil
	}
	if f.Type != Date {
		return []FieldError{ferr(path+".within", "within", "只有日期填报项可以限定在填报期内", "only date fields may be held within the period")}
	}
	if f.Within.Grace < 0 || f.Within.Grace > MaxGrace {
		return []FieldError{ferr(path+".within.grace", "grace", fmt.Sprintf("宽限天数须在 0–%d 之间", MaxGrace), fmt.Sprintf("grace must be 0–%d days", MaxGrace))}
	}
	return nil
}

// outside returns the problem of a date d (valid "YYYY-MM-DD") of a field
// held within the period, or "" when it is fine or the period unknown.
func (p Span) outside(f *Field, d string) (string, Text) {
	if p.Today != "" && d > p.Today {
		return "future", Text{Zh: fmt.Sprintf("%s不能晚于今天（%s）", f.Label.Zh, p.Today),
			En: fmt.Sprintf("%s cannot be after today (%s)", f.Label.In("en"), p.Today)}
	}
	if p.Start == "" || p.End == "" {
		return "", Text{}
	}
	lo, hi := shiftDay(p.Start, -f.Within.Grace), shiftDay(p.End, f.Within.Grace)
	if d < lo || d > hi {
		return "period", Text{Zh: fmt.Sprintf("%s须在本期 %s 至 %s 之间", f.Label.Zh, lo, hi),
			En: fmt.Sprintf("%s must be between %s and %s, within this period", f.Label.In("en"), lo, hi)}
	}
	return "", Text{}
}

// shiftDay moves a "YYYY-MM-DD" day by n days.
func shiftDay(d string, n int) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.AddDate(0, 0, n).Format(time.DateOnly)
}
