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
// submission rate by district.
func writeSummary(f *excelize.File, st *styles, wb DriveWorkbook, secs []*section) error {
	const sh = sheetSummary
	heads := append([]string{}, summaryCols...)
	for _, sec := range secs {
		heads = append(heads, clean(sec.title)+"达标率")
	}
	widths := make([]int, len(heads))
	put := func(row int, vals []any) error {
		for i, v := range vals {
			if s, ok := v.(string); ok {
				widths[i] = max(widths[i], width(s))
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, row)
		return f.SetSheetRow(sh, cell, &vals)
	}
	hv := make([]any, len(heads))
	for i, h := range heads {
		hv[i] = h
	}
	if err := put(1, hv); err != nil {
		return err
	}
	rows := append(append([]Counts{}, wb.Districts...), wb.Total)
	for i, c := range rows {
		name := clean(c.DistrictName)
		if name == "" {
			name = clean(c.District)
		}
		if i == len(rows)-1 {
			name = "合计"
		}
		vals := []any{name, c.Expected, c.Submitted, c.OnTime, c.Late, c.Missing, c.Approved, c.Returned, c.SubmissionRate()}
		for _, sec := range secs {
			if r, ok := c.ComplianceRate(sec.indicator); ok {
				vals = append(vals, r)
			} else {
				vals = append(vals, nil)
			}
		}
		if err := put(i+2, vals); err != nil {
			return err
		}
	}
	last := len(rows) + 1
	lastCol, _ := excelize.ColumnNumberToName(len(heads))
	rate, _ := excelize.ColumnNumberToName(rateCol)
	count, _ := excelize.ColumnNumberToName(rateCol - 1)
	totalPct := st.make(&excelize.Style{Font: &excelize.Font{Bold: true}, NumFmt: 0, CustomNumFmt: ptr("0.0%")})
	if st.err != nil {
		return st.err
	}
	for _, s := range []struct {
		from, to string
		style    int
	}{
		{"A1", lastCol + "1", st.header},
		{rate + "2", fmt.Sprintf("%s%d", lastCol, last-1), st.percent},
		{fmt.Sprintf("A%d", last), fmt.Sprintf("%s%d", count, last), st.total},
		{fmt.Sprintf("%s%d", rate, last), fmt.Sprintf("%s%d", lastCol, last), totalPct},
	} {
		if s.from == rate+"2" && last < 3 {
			continue
		}
		if err := f.SetCellStyle(sh, s.from, s.to, s.style); err != nil {
			return err
		}
	}
	for i, h := range heads {
		w := max(widths[i], 8)
		if i >= rateCol-1 {
			w = min(max(width(h), 8), 24)
		}
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, name, name, colWidth(w)); err != nil {
			return err
		}
	}
	if err := f.SetPanes(sh, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if err := f.AutoFilter(sh, fmt.Sprintf("A1:%s%d", lastCol, max(last-1, 2)), nil); err != nil {
		return err
	}
	if len(wb.Districts) == 0 {
		return nil
	}
	anchor, _ := excelize.CoordinatesToCellName(len(heads)+2, 2)
	return f.AddChart(sh, anchor, &excelize.Chart{
		Type: excelize.Bar,
		Series: []excelize.ChartSeries{{
			Name:       sheetRef(sh, fmt.Sprintf("$%s$1", rate)),
			Categories: sheetRef(sh, fmt.Sprintf("$A$2:$A$%d", last-1)),
			Values:     sheetRef(sh, fmt.Sprintf("$%s$2:$%s$%d", rate, rate, last-1)),
		}},
		Title:      excelize.ChartTitle{Paragraph: []excelize.RichTextRun{{Text: "各区县填报率"}}},
		Legend:     excelize.ChartLegend{Position: "none"},
		VaryColors: ptr(false),
		XAxis:      excelize.ChartAxis{ReverseOrder: true},
		YAxis:      excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0%"}, Maximum: ptr(1.0), Minimum: ptr(0.0), MajorGridLines: true},
		Dimension:  excelize.ChartDimension{Width: 560, Height: uint(max(280, 28*len(wb.Districts)+120))},
		PlotArea:   excelize.ChartPlotArea{ShowVal: true, NumFmt: excelize.ChartNumFmt{CustomNumFmt: "0.0%"}},
	})
}

func ptr[T any](v T) *T { return &v }
