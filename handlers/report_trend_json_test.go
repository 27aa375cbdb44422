package handlers_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/google/uuid"
)

// TestTrendJSON: the trend's series for a chart in the page are those of
// the workbook: one per district and the total, aligned with the periods,
// null where a period has no data (October has no drive), the compliance
// rate as a fraction.
func TestTrendJSON(t *testing.T) {
	f := newFixture(t)
	bad := validValues(1)
	bad["canteen"].(map[string]any)["accompany_days"] = 10
	for as, values := range map[string]map[string]any{"school1": validValues(1), "school3": bad} {
		if res := create(f, as, uuid.NewString(), values, false); res.status != 201 {
			t.Fatalf("%s submits: %d %s", as, res.status, res.body)
		}
	}
	res := f.do("dist1", http.MethodGet, "/api/v1/reports/trend?indicator=canteen&from=2026-10&to=2026-11", nil, nil)
	if res.status != 200 {
		t.Fatalf("trend: %d %s", res.status, res.body)
	}
	var got struct {
		Indicator, Metric string
		Percent           bool
		Periods           []string
		Series            []struct {
			Name   string
			Values []*float64
		}
		Total struct{ Values []*float64 }
	}
	must(t, json.Unmarshal(res.body, &got))
	if got.Indicator != "校园食品安全月报" || !got.Percent || len(got.Periods) != 2 || got.Periods[1] != "2026-11" {
		t.Errorf("trend head: %s", res.body)
	}
	if len(got.Series) != 1 || got.Series[0].Name != "一区直属" || got.Series[0].Values[0] != nil || *got.Series[0].Values[1] != 1 {
		t.Errorf("district 1's series: %s", res.body)
	}
	admin := f.do("admin", http.MethodGet, "/api/v1/reports/trend?indicator=canteen&from=2026-10&to=2026-11", nil, nil)
	var all struct {
		Series []struct{ Name string }
		Total  struct{ Values []*float64 }
	}
	must(t, json.Unmarshal(admin.body, &all))
	if len(all.Series) != 2 || all.Total.Values[0] != nil || *all.Total.Values[1] != 0.5 {
		t.Errorf("the city's trend: %s", admin.body)
	}
	if res := f.do("admin", http.MethodGet, "/api/v1/reports/trend?indicator=canteen&from=2026-11&to=2026-T2", nil, nil); res.status != 422 || !hasFieldError(res, "to") {
		t.Errorf("periods of two frequencies: %d %s", res.status, res.body)
	}
}
