package reports

import (
	"fmt"

	"github.com/xuri/excelize/v2"
)

// summaryCols are the completeness columns of the summary sheet; one
// compliance-rate column per indicator follows them.
// 已提交 includes 已退回: those were handed in and wait for a correction.
var summaryCols = []string{"区县", "应报", "已提交", "按时", "逾期", "未提交", "已通过", "已退回", "填报率"}

// rateCol is the 1-based column of the submission rate.
const rateCol = 9

// writeSummary fills the first sheet from the counts as handed in (the same
// numbers the progress endpoint shows; nothing is recounted) and charts the
// submission rate by district under the table, on a page of its own when
// the table leaves it too little room.
func writeSummary(f *excelize.File, st *styles, h heading, wb DriveWorkbook, secs []*section) error {
	const sh = sheetSummary
	heads := append([]string{}, summaryCols...)
	for _, sec := range secs {
		heads = append(heads, clean(orElse(sec.title, sec.indicator))+"达标率")
	}
	rows := append(append([]Counts{}, wb.Districts...), wb.Total)
	names := make([]string, len(rows))
	nameWidth := 6
	for i, c := range rows {
		names[i] = clean(c.DistrictName)
		if names[i] == "" {
			names[i] = clean(c.District)
		}
		if l, ok := levelZh[c.Level]; ok {
			names[i] += "（" + l + "）"
		}
		if i == len(rows)-1 {
			names[i] = "合计"
		}
		nameWidth = max(nameWidth, width(names[i]))
	}
	cols := []col{newCol(heads[0], min(nameWidth, 24))}
	for _, t := range heads[1:] {
		cols = append(cols, newCol(t, 6))
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = c.width
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, name, name, c.width); err != nil {
			return err
		}
	}
	plan := planPrint(widths, 1, 0)
	w := sheetRows{f, sh}
	note := "说明：填报率＝已提交÷应报，已提交含已退回待修改的；各指标达标率＝达标学校数÷已评定学校数，不适用的学校不计。"
	if err := h.write(w, st, widths, plan.firstPage(), plan.noteFrom(), "各单位填报与达标情况", note); err != nil {
		return err
	}
	head := make([]any, len(heads))
	for i, t := range heads {
		head[i] = excelize.Cell{StyleID: st.header, Value: t}
	}
	height := headerHeight(heads, widths)
	if err := w.row(headRow, head, height); err != nil {
		return err
	}
	for i, c := range rows {
		total := i == len(rows)-1
		num := func(code string, v any) excelize.Cell {
			if total {
				return excelize.Cell{StyleID: st.bold(code), Value: v}
			}
			return excelize.Cell{StyleID: st.format(code), Value: v}
		}
		name := excelize.Cell{StyleID: st.plain, Value: names[i]}
		if total {
			name.StyleID = st.bold("")
		}
		vals := []any{name, num(fmtCount, c.Expected), num(fmtCount, c.Submitted), num(fmtCount, c.OnTime),
			num(fmtCount, c.Late), num(fmtCount, c.Missing), num(fmtCount, c.Approved), num(fmtCount, c.Returned),
			num(fmtRate, c.SubmissionRate())}
		for _, sec := range secs {
			if r, ok := c.ComplianceRate(sec.indicator); ok {
				vals = append(vals, num(fmtRate, r))
			} else {
				vals = append(vals, num(fmtRate, nil))
			}
		}
		if err := w.row(headRow+1+i, vals, 0); err != nil {
			return err
		}
		height += lineHeight(cellSize) + 3
	}
	last := headRow + len(rows)
	lastCol, _ := excelize.ColumnNumberToName(len(heads))
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: headRow, TopLeftCell: fmt.Sprintf("A%d", headRow+1), ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.AutoFilter(sh, fmt.Sprintf("A%d:%s%d", headRow, lastCol, max(last-1, headRow+1)), nil); err != nil {
		return err
	}
	if err := f.SetSheetDimension(sh, fmt.Sprintf("A1:%s%d", lastCol, last)); err != nil {
		return err
	}
	if err := plan.sheetProps(f, sh); err != nil {
		return err
	}
	if err := plan.apply(f, sh, headRow, headRow); err != nil {
		return err
	}
	if len(wb.Districts) == 0 {
		return nil
	}
	return addSummaryChart(f, wb, widths, plan, last, height, headerHeight(heads, widths))
}

// addSummaryChart charts the submission rate by district two rows under
// the table (ending on row last, the table tableHeight points tall and its
// header head): as wide as the table's first page, with dark labels large
// enough to read on paper, no taller than a page under the repeated
// header, and on the next page when it would not fit whole under the
// table.
func addSummaryChart(f *excelize.File, wb DriveWorkbook, widths []float64, plan printPlan, last int, tableHeight, head float64) error {
	const sh = sheetSummary
	tableWidth := 0.0
	for _, w := range widths[:plan.firstPage()] {
		tableWidth += colPixels(w)
	}
	scale := min(1, printWidth/tableWidth)
	if plan.scale > 0 {
		scale = float64(plan.scale) / 100
	}
	chartWidth := min(max(tableWidth, 560), printWidth/scale)
	room := (printHeight*0.9/scale - head - 30) / 0.75 // pixels under the header on a page of its own, to spare
	chartHeight := min(float64(max(280, 30*len(wb.Districts)+140)), room)
	row := last + 2
	for _, h := range []float64{lineHeight(titleSize) + 6, lineHeight(subjectSize) + 2, lineHeight(unitSize) + 2, 2 * lineHeight(noteSize)} {
		tableHeight += h
	}
	if (tableHeight+chartHeight*0.75+30)*scale > printHeight {
		if err := f.InsertPageBreak(sh, fmt.Sprintf("A%d", row)); err != nil {
			return err
		}
	}
	rate, _ := excelize.ColumnNumberToName(rateCol)
	label := excelize.Font{Family: fontName, Size: 10, Color: "000000"}
	return f.AddChart(sh, fmt.Sprintf("A%d", row), &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       sheetRef(sh, fmt.Sprintf("$%s$%d", rate, headRow)),
			Categories: sheetRef(sh, fmt.Sprintf("$A$%d:$A$%d", headRow+1, last-1)),
			Values:     sheetRef(sh, fmt.Sprintf("$%s$%d:$%s$%d", rate, headRow+1, rate, last-1)),
			Fill:       excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"4472C4"}},
			DataLabel:  excelize.ChartDataLabel{Font: label},
		}},
		Title: excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "各单位填报率",
			Font: &excelize.Font{Family: fontName, Size: 12, Bold: true, Color: "000000"}}}},
		Legend:     excelize.ChartLegend{Position: "none"},
		VaryColors: ptr(false),
		XAxis:      excelize.ChartAxis{ReverseOrder: true, Font: label},
		YAxis: excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Maximum: ptr(1.0), Minimum: ptr(0.0),
			MajorGridLines: true, Font: label},
		Dimension: excelize.ChartDimension{Width: uint(chartWidth), Height: uint(chartHeight)},
		PlotArea:  excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0%"}},
	})
}

func ptr[T any](v T) *T { return &v }
