package reports

import (
	"fmt"
	"io"
	"math"
	"time"

	"github.com/xuri/excelize/v2"
)

// Trend is one indicator's headline value per period by district, e.g. the
// bullying leads found per month or the lighting compliance rate per term.
// A value of math.NaN() (see NoData) marks a period without data: its cell
// stays empty and the chart leaves a gap.
type Trend struct {
	Indicator string        // indicator title (zh), e.g. "教室照明"
	Metric    string        // what is measured (zh), e.g. "达标率"
	Unit      string        // e.g. "条"; ignored when Percent
	Percent   bool          // values are fractions (0.85 = 85%), shown as percent
	Precision int           // decimals shown
	Periods   []string      // e.g. "2026-09", "2026-10", …, oldest first
	Series    []TrendSeries // one per district, in display order
	Total     *TrendSeries  // optional, the whole bureau as computed upstream
	Created   time.Time
}

// TrendSeries is one district's values, aligned with Trend.Periods.
type TrendSeries struct {
	Name   string
	Values []float64
}

// NoData is the value marking a period without data in a TrendSeries.
func NoData() float64 { return math.NaN() }

// WriteTrend writes the trend workbook to w: one sheet with a table of
// periods × districts (and the total) and a line chart of it.
func WriteTrend(w io.Writer, t Trend) error {
	f := excelize.NewFile()
	defer f.Close()
	st, err := newStyles(f, shanghai())
	if err != nil {
		return err
	}
	names := sheetNames{}
	sh := names.take(t.Indicator, "", "趋势")
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	series := append([]TrendSeries{}, t.Series...)
	if t.Total != nil {
		total := *t.Total
		if total.Name == "" {
			total.Name = "合计"
		}
		series = append(series, total)
	}
	numFmt := decimals(t.Precision)
	if t.Percent {
		numFmt += "%"
	}
	num := st.format(numFmt)
	if st.err != nil {
		return st.err
	}
	head := []any{"期间"}
	widths := []int{width("期间")}
	for _, s := range series {
		head = append(head, clean(s.Name))
		widths = append(widths, max(width(clean(s.Name)), 8))
	}
	if err := f.SetSheetRow(sh, "A1", &head); err != nil {
		return err
	}
	for i, p := range t.Periods {
		row := i + 2
		if err := f.SetCellStr(sh, fmt.Sprintf("A%d", row), clean(p)); err != nil {
			return err
		}
		widths[0] = max(widths[0], width(p))
		for j, s := range series {
			if i >= len(s.Values) || math.IsNaN(s.Values[i]) || math.IsInf(s.Values[i], 0) {
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(j+2, row)
			if err := f.SetCellFloat(sh, cell, s.Values[i], -1, 64); err != nil {
				return err
			}
		}
	}
	lastCol, _ := excelize.ColumnNumberToName(len(head))
	last := len(t.Periods) + 1
	if err := f.SetCellStyle(sh, "A1", lastCol+"1", st.header); err != nil {
		return err
	}
	if last >= 2 {
		if err := f.SetCellStyle(sh, "A2", fmt.Sprintf("A%d", last), st.text); err != nil {
			return err
		}
		if len(head) > 1 {
			if err := f.SetCellStyle(sh, "B2", fmt.Sprintf("%s%d", lastCol, last), num); err != nil {
				return err
			}
		}
	}
	for i, wd := range widths {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, name, name, colWidth(wd)); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: 1, TopLeftCell: "B2", ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := f.AutoFilter(sh, fmt.Sprintf("A1:%s%d", lastCol, max(last, 2)), nil); err != nil {
		return err
	}
	if err := f.SetSheetDimension(sh, fmt.Sprintf("A1:%s%d", lastCol, max(last, 1))); err != nil {
		return err
	}
	cw := make([]float64, len(widths))
	for i, wd := range widths {
		cw[i] = colWidth(wd)
	}
	plan := planPrint(cw, 1, 0)
	if err := plan.sheetProps(f, sh); err != nil {
		return err
	}
	if err := plan.apply(f, sh, 1, 1); err != nil {
		return err
	}
	if len(t.Periods) > 0 && len(series) > 0 {
		if err := addTrendChart(f, sh, t, series, last, numFmt); err != nil {
			return err
		}
	}
	title := clean(t.Indicator) + " " + clean(t.Metric) + "趋势"
	if err := setProps(f, title, t.Created); err != nil {
		return err
	}
	return save(f, w)
}

func addTrendChart(f *excelize.File, sh string, t Trend, series []TrendSeries, last int, numFmt string) error {
	var cs []excelize.ChartSeries
	for j := range series {
		col, _ := excelize.ColumnNumberToName(j + 2)
		cs = append(cs, excelize.ChartSeries{
			Name:       sheetRef(sh, fmt.Sprintf("$%s$1", col)),
			Categories: sheetRef(sh, fmt.Sprintf("$A$2:$A$%d", last)),
			Values:     sheetRef(sh, fmt.Sprintf("$%s$2:$%s$%d", col, col, last)),
			Marker:     excelize.ChartMarker{Symbol: "circle", Size: 5},
		})
	}
	label := clean(t.Metric)
	if !t.Percent && t.Unit != "" {
		label += "（" + clean(t.Unit) + "）"
	}
	// Under the table, where it prints whole on the table's page or the next.
	anchor, _ := excelize.CoordinatesToCellName(1, last+2)
	if float64(last+1)*rowHeight+360*0.75 > printHeight {
		if err := f.InsertPageBreak(sh, anchor); err != nil {
			return err
		}
	}
	dark := excelize.Font{Family: fontName, Size: 10, Color: "000000"}
	return f.AddChart(sh, anchor, &excelize.Chart{
		Type:   excelize.Line,
		Series: cs,
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: clean(t.Indicator) + " " + label,
			Font: &excelize.Font{Family: fontName, Size: 12, Bold: true, Color: "000000"}}}},
		Legend:       excelize.ChartLegend{Position: "bottom", Font: &dark},
		XAxis:        excelize.ChartAxis{Font: dark},
		YAxis:        excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: numFmt}, MajorGridLines: true, Font: dark},
		ShowBlanksAs: "gap",
		Dimension:    excelize.ChartDimension{Width: 640, Height: 360},
	})
}
