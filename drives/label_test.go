package drives

import "testing"

func TestPeriodLabel(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"2026-12", "2026年12月"},
		{"2026-01", "2026年1月"},
		{"2026-T1", "2026年春季学期"},
		{"2026-T2", "2026年秋季学期"},
		{"2026-W47", "2026年第47周"},
		{"2027-W01", "2027年第1周"},
		{"2026", "2026年度"},
		{"2026-13", "2026-13"},
		{"2026-T3", "2026-T3"},
		{"2026-W54", "2026-W54"},
		{"2026-1", "2026-1"},
		{"26-12", "26-12"},
		{"", ""},
		{"本月", "本月"},
	} {
		if got := PeriodLabel(c.in); got != c.want {
			t.Errorf("PeriodLabel(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}
