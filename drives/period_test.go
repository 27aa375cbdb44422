package drives

import (
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
)

func TestPeriods(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, sh)
	tests := []struct {
		freq, key  string
		start, end string
	}{
		{forms.Weekly, "2026-W48", "2026-11-23", "2026-11-30"},
		{forms.Monthly, "2026-11", "2026-11-01", "2026-12-01"},
		{forms.Termly, "2026-T2", "2026-08-01", "2027-01-01"},
		{forms.Yearly, "2026", "2026-01-01", "2027-01-01"},
	}
	for _, tt := range tests {
		p, err := PeriodAt(tt.freq, at)
		if err != nil {
			t.Fatal(err)
		}
		if p.Key != tt.key || p.Start.Format(time.DateOnly) != tt.start || p.End.Format(time.DateOnly) != tt.end {
			t.Errorf("%s: got %s [%s, %s)", tt.freq, p.Key, p.Start.Format(time.DateOnly), p.End.Format(time.DateOnly))
		}
		if p.Start.Location() != sh {
			t.Errorf("%s: period not in the schedule's zone", tt.freq)
		}
		back, freq, err := ParsePeriod(tt.key, sh)
		if err != nil || freq != tt.freq || !back.Start.Equal(p.Start) || !back.End.Equal(p.End) {
			t.Errorf("ParsePeriod(%s) = %v %s %v", tt.key, back, freq, err)
		}
	}
}

func TestPeriodEdges(t *testing.T) {
	sh, _ := time.LoadLocation("Asia/Shanghai")
	// 23:59 on 31 December in Shanghai is still December, though UTC is too.
	p, _ := PeriodAt(forms.Monthly, time.Date(2026, 12, 31, 23, 59, 0, 0, sh))
	if p.Key != "2026-12" || p.Next(forms.Monthly).Key != "2027-01" {
		t.Fatalf("December: %s, next %s", p.Key, p.Next(forms.Monthly).Key)
	}
	// ISO week 1 of 2027 starts on Monday 4 January; 1 January 2027 is in 2026-W53.
	w, _ := PeriodAt(forms.Weekly, time.Date(2027, 1, 1, 12, 0, 0, 0, sh))
	if w.Key != "2026-W53" {
		t.Fatalf("1 Jan 2027 in week %s", w.Key)
	}
	if p, _ := PeriodAt(forms.Termly, time.Date(2026, 7, 31, 12, 0, 0, 0, sh)); p.Key != "2026-T1" {
		t.Fatalf("31 July in %s", p.Key)
	}
	for _, bad := range []string{"2026-13", "2026-T3", "2026-W54", "26-11", "2026/11", "", "2026-W00", "abcd"} {
		if _, _, err := ParsePeriod(bad, sh); err == nil {
			t.Errorf("ParsePeriod(%q) accepted", bad)
		}
	}
}
