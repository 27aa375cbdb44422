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
	Labels    []string      // the periods as people write them ("2026年9月"), if given
	Bureau    string        // the reporting unit of the title block
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
	for i := range t.Periods {
		widths[0] = max(widths[0], width(t.label(i)))
	}
	cw := make([]float64, len(widths))
	for i, wd := range widths {
		cw[i] = colWidth(wd)
	}
	plan := planPrint(cw, 1, 0)
	h := newHeading(t.title(), t.Bureau, t.Created, shanghai())
	note := "各单位每期的" + clean(t.Metric) + "；空白为该期没有数据。"
	// The title block spans the chart below the table as well, so a short
	// table of two districts does not cut the title.
	span, total := append([]float64{}, cw...), 0.0
	for _, w := range cw {
		total += colPixels(w)
	}
	for ; total < chartWidth; total += colPixels(defaultWidth) {
		span = append(span, defaultWidth)
	}
	if err := h.write(sheetRows{f, sh}, st, span, len(span), 1, clean(t.Indicator), note); err != nil {
		return err
	}
	lastCol, _ := excelize.ColumnNumberToName(len(head))
	if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", headRow), &head); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", headRow), fmt.Sprintf("%s%d", lastCol, headRow), st.header); err != nil {
		return err
	}
	first := headRow + 1
	last := headRow + len(t.Periods)
	for i := range t.Periods {
		row := first + i
		if err := f.SetCellStr(sh, fmt.Sprintf("A%d", row), clean(t.label(i))); err != nil {
			return err
		}
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
	if last >= first {
		if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", first), fmt.Sprintf("A%d", last), st.text); err != nil {
			return err
		}
		if len(head) > 1 {
			if err := f.SetCellStyle(sh, fmt.Sprintf("B%d", first), fmt.Sprintf("%s%d", lastCol, last), num); err != nil {
				return err
			}
		}
	}
	for i, wd := range cw {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, name, name, wd); err != nil {
			return err
		}
	}
	top := fmt.Sprintf("B%d", first)
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, XSplit: 1, YSplit: headRow, TopLeftCell: top, ActivePane: "bottomRight"}); err != nil {
		return err
	}
	if err := f.AutoFilter(sh, fmt.Sprintf("A%d:%s%d", headRow, lastCol, max(last, first)), nil); err != nil {
		return err
	}
	spanCol, _ := excelize.ColumnNumberToName(len(span))
	if err := f.SetSheetDimension(sh, fmt.Sprintf("A1:%s%d", spanCol, max(last, headRow))); err != nil {
		return err
	}
	if err := plan.sheetProps(f, sh); err != nil {
		return err
	}
	if err := plan.apply(f, sh, headRow, headRow); err != nil {
		return err
	}
	if len(t.Periods) > 0 && len(series) > 0 {
		if err := addTrendChart(f, sh, t, series, last, numFmt); err != nil {
			return err
		}
	}
	if err := setProps(f, t.title(), t.Created); err != nil {
		return err
	}
	return save(f, w)
}

// chartWidth is the trend chart's width in pixels; defaultWidth the width of
// a column the table leaves empty.
const (
	chartWidth   = 640
	defaultWidth = 9.0
)

func addTrendChart(f *excelize.File, sh string, t Trend, series []TrendSeries, last int, numFmt string) error {
	var cs []excelize.ChartSeries
	for j := range series {
		col, _ := excelize.ColumnNumberToName(j + 2)
		cs = append(cs, excelize.ChartSeries{
			Name:       sheetRef(sh, fmt.Sprintf("$%s$%d", col, headRow)),
			Categories: sheetRef(sh, fmt.Sprintf("$A$%d:$A$%d", headRow+1, last)),
			Values:     sheetRef(sh, fmt.Sprintf("$%s$%d:$%s$%d", col, headRow+1, col, last)),
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
		Dimension:    excelize.ChartDimension{Width: chartWidth, Height: 360},
	})
}

// label is period i as people write it.
func (t Trend) label(i int) string {
	if i < len(t.Labels) && t.Labels[i] != "" {
		return t.Labels[i]
	}
	return t.Periods[i]
}

// title is the workbook's title: the periods it covers, the indicator and
// what is measured, e.g. "2026年9月至2026年12月 教室照明 达标率趋势".
func (t Trend) title() string {
	span := ""
	if n := len(t.Periods); n > 0 {
		span = t.label(0)
		if n > 1 {
			span += "至" + t.label(n-1)
		}
		span += " "
	}
	return span + clean(t.Indicator) + " " + clean(t.Metric) + "趋势"
}
