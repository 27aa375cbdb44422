package reports

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

func fixtureTrend() Trend {
	nan := NoData()
	return Trend{
		Indicator: "教室照明",
		Metric:    "达标率",
		Percent:   true,
		Precision: 1,
		Periods:   []string{"2025-T1", "2025-T2", "2026-T1"},
		Labels:    []string{"2025年春季学期", "2025年秋季学期", "2026年春季学期"},
		Bureau:    "清河市教育局",
		Series: []TrendSeries{
			{Name: "东城区", Values: []float64{0.8, 0.875, 0.95}},
			{Name: "西城区", Values: []float64{0.5, nan, 0.75}},
			{Name: "=cmd|'/c calc'!A1", Values: []float64{1}}, // short series: the rest is no data
		},
		Total:   &TrendSeries{Values: []float64{0.7, 0.8, math.Inf(1)}},
		Created: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
	}
}

func TestTrendWorkbook(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteTrend(&buf, fixtureTrend()); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	if got := f.GetSheetList(); len(got) != 1 || got[0] != "教室照明" {
		t.Fatalf("sheets %q", got)
	}
	golden(t, "trend", snapshot(t, f, "教室照明"))
	for ref, want := range map[string]string{"A1": "2025年春季学期至2026年春季学期 教室照明 达标率趋势", "A2": "教室照明",
		"A3": "填报单位：清河市教育局", "A5": "期间", "A6": "2025年春季学期", "A8": "2026年春季学期"} {
		if v, _ := f.GetCellValue("教室照明", ref); v != want {
			t.Errorf("%s = %q, want %q", ref, v, want)
		}
	}

	for _, ref := range []string{"C7", "D7", "D8", "E8"} {
		if v, _ := f.GetCellValue("教室照明", ref); v != "" {
			t.Errorf("%s = %q, want empty (no data)", ref, v)
		}
	}
	if typ, _ := f.GetCellType("教室照明", "D5"); typ != excelize.CellTypeSharedString {
		t.Errorf("a formula-looking district name is stored as %v, want text", typ)
	}
	cs := charts(t, buf.Bytes())
	if len(cs) != 1 {
		t.Fatalf("%d charts, want 1", len(cs))
	}
	for _, want := range []string{"<lineChart>", "&#39;教室照明&#39;!$B$6:$B$8", "&#39;教室照明&#39;!$E$6:$E$8", `<dispBlanksAs val="gap">`} {
		if !strings.Contains(cs[0], want) {
			t.Errorf("chart lacks %s", want)
		}
	}
}

func TestTrendCountsWithUnit(t *testing.T) {
	tr := Trend{Indicator: "欺凌排查", Metric: "发现线索", Unit: "条", Periods: []string{"2026-09", "2026-10"},
		Series: []TrendSeries{{Name: "东城区", Values: []float64{3, 0}}}}
	var buf bytes.Buffer
	if err := WriteTrend(&buf, tr); err != nil {
		t.Fatal(err)
	}
	f := openBook(t, buf.Bytes())
	if got := snapshot(t, f, "欺凌排查").Rows; len(got) != 7 || got[6][1] != `B7 n "0" fmt=0` {
		t.Errorf("rows %q", got)
	}
	if cs := charts(t, buf.Bytes()); len(cs) != 1 || !strings.Contains(cs[0], "发现线索（条）") {
		t.Errorf("chart title should name the metric and unit")
	}
}

// TestTrendSheetNameWithoutApostrophe: an apostrophe in a title becomes ’
// in the sheet name, so every quoted reference to the sheet (chart series,
// the autofilter's defined name) stays valid.
func TestTrendSheetNameWithoutApostrophe(t *testing.T) {
	tr := Trend{Indicator: "Children's 照明", Metric: "达标率", Percent: true, Periods: []string{"2026-T1", "2026-T2"},
		Series: []TrendSeries{{Name: "东城区", Values: []float64{0.5, 0.75}}}}
	var buf bytes.Buffer
	if err := WriteTrend(&buf, tr); err != nil {
		t.Fatal(err)
	}
	if got := openBook(t, buf.Bytes()).GetSheetList(); len(got) != 1 || got[0] != "Children’s 照明" {
		t.Fatalf("sheets %q", got)
	}
	cs := charts(t, buf.Bytes())
	if len(cs) != 1 {
		t.Fatalf("%d charts, want 1", len(cs))
	}
	for _, want := range []string{"&#39;Children’s 照明&#39;!$B$5", "&#39;Children’s 照明&#39;!$A$6:$A$7", "&#39;Children’s 照明&#39;!$B$6:$B$7"} {
		if !strings.Contains(cs[0], want) {
			t.Errorf("chart lacks %s", want)
		}
	}
	if wb := zipParts(t, buf.Bytes())["xl/workbook.xml"]; !strings.Contains(wb, "&#39;Children’s 照明&#39;!$A$5:") {
		t.Errorf("the autofilter's defined name does not name the sheet:\n%s", wb)
	}
}
