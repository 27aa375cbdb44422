package drives

import (
	"context"
	"math"
	"testing"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// TestTrendSumsDriverNumbers: a field's sum counts every number type the
// driver returns, and a period without any value is no data, not 0, in the
// districts' series and the total.
func TestTrendSumsDriverNumbers(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	leads := func(v any) forms.Values { return forms.Values{"bullying": {"found_physical": v}} }
	sep, oct, nov := w.drive("2026-09"), w.drive("2026-10"), w.drive("2026-11")
	w.submit(sep, schoolA, "v", store.StatusSubmitted, leads(int32(2)))
	w.submit(sep, schoolC, "v", store.StatusApproved, leads(1.0))
	w.submit(oct, schoolA, "v", store.StatusDraft, leads(9.0))
	w.submit(nov, schoolA, "v", store.StatusSubmitted, leads(int64(3)))
	w.submit(nov, schoolB, "v", store.StatusReturned, leads(int32(4)))
	w.submit(nov, schoolC, "v", store.StatusSubmitted, leads(0.0))

	tr, err := w.svc.Trend(ctx, w.user(store.RoleAdmin, cityOrg),
		TrendInput{Indicator: "bullying", Field: "found_physical", From: "2026-08", To: "2026-11"})
	check(t, err)
	nan := math.NaN()
	want := map[string][]float64{
		"一区": {nan, 2, nan, 7},
		"二区": {nan, 1, nan, 0},
		"合计": {nan, 3, nan, 7},
	}
	series := append(tr.Series, *tr.Total)
	if len(series) != len(want) {
		t.Fatalf("%d series, want %d", len(series), len(want))
	}
	for _, s := range series {
		if !same(s.Values, want[s.Name]) {
			t.Errorf("%s = %v, want %v", s.Name, s.Values, want[s.Name])
		}
	}
}

// same compares series values, NaN equal to NaN.
func same(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] && !(math.IsNaN(a[i]) && math.IsNaN(b[i])) {
			return false
		}
	}
	return true
}
