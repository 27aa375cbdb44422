package reports

import (
	"bytes"
	"math"
	"testing"

	"github.com/tianbao-edu/tianbao/forms"
)

// TestUpwardByUnit: a bureau with several units below it hands up one row
// per unit, from the counts it was given, and the total.
func TestUpwardByUnit(t *testing.T) {
	f := openBook(t, exportFixture(t))
	golden(t, "drive_upward_units", snapshot(t, f, sheetUpward))
}

// TestUpwardBySchool: a bureau with one unit below it (a district and its
// schools) hands up one row per school.
func TestUpwardBySchool(t *testing.T) {
	wb := fixtureWorkbook()
	east := wb.Districts[0]
	wb.Districts, wb.Total = []Counts{east}, east
	wb.Unit = "东城区教育局"
	wb.Rows = seq(fixtureRows()[:3])
	var buf bytes.Buffer
	if err := WriteDrive(&buf, wb); err != nil {
		t.Fatal(err)
	}
	golden(t, "drive_upward_schools", snapshot(t, openBook(t, buf.Bytes()), sheetUpward))
}

// TestCatalogRatesPool: every computed rate or average of the built-in
// catalog is read as a ratio, so a unit's figure is its schools' numerators
// over their denominators; totals are sums.
func TestCatalogRatesPool(t *testing.T) {
	catalog, err := forms.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range catalog {
		for _, f := range ind.Fields {
			if f.Type != forms.Computed || f.Fields != nil {
				continue
			}
			_, _, factor, ratio := ratioOf(f.Compute)
			if f.Unit == "%" && !ratio {
				t.Errorf("%s.%s (%s): a rate that is not a ratio cannot pool", ind.Code, f.ID, f.Label.Zh)
			}
			if !ratio && !summable(f) && f.Unit != "百分点" {
				t.Errorf("%s.%s (%s): neither a ratio nor a count, so units never show it", ind.Code, f.ID, f.Label.Zh)
			}
			if f.Unit == "%" && factor != 100 {
				t.Errorf("%s.%s: factor %v", ind.Code, f.ID, factor)
			}
		}
	}
	rate := forms.Field{ID: "fix_rate", Type: forms.Computed, Unit: "%", Compute: map[string]any{"if": []any{
		map[string]any{">": []any{map[string]any{"var": "found"}, 0}},
		map[string]any{"*": []any{map[string]any{"/": []any{map[string]any{"var": []any{"fixed", 0}}, map[string]any{"var": "found"}}}, 100}},
		nil}}}
	total := forms.Field{ID: "found", Type: forms.Computed, Unit: "处"}
	change := forms.Field{ID: "change_pp", Type: forms.Computed, Unit: "百分点", Precision: 2,
		Compute: map[string]any{"-": []any{map[string]any{"var": "rate"}, map[string]any{"var": "prevYear.rate"}}}}
	sec := &section{indicator: "hazards", fields: newLayout()}
	sec.fields.add("v", []forms.Field{total, rate, change})
	sec.fields.seal()
	heads := [][]headline{headlines(sec)}
	if len(heads[0]) != 2 {
		t.Fatalf("headlines %d, want the count and the rate, not the change in points", len(heads[0]))
	}
	p := newPool(heads)
	p.add(0, heads[0], map[string]any{"found": 10.0, "fixed": 9.0, "fix_rate": 90.0})
	p.add(0, heads[0], map[string]any{"found": 2.0, "fix_rate": 0.0}) // fixed missing: its default, 0
	p.add(0, heads[0], map[string]any{"found": int32(0), "fixed": int64(0)})
	if v, ok := p.value(0, 0, heads[0][0]); !ok || v != 12 {
		t.Errorf("found = %v %v, want 12", v, ok)
	}
	if v, ok := p.value(0, 1, heads[0][1]); !ok || math.Abs(v-75) > 1e-9 {
		t.Errorf("fix rate = %v %v, want 9 of 12 = 75 (not the mean of 90 and 0)", v, ok)
	}
	if _, ok := newPool(heads).value(0, 1, heads[0][1]); ok {
		t.Errorf("a rate of no school should be no value")
	}
}
