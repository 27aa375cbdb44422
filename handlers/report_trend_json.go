package handlers

import (
	"math"

	"github.com/gofiber/fiber/v2"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/reports"
)

// trendSeriesView is a series as JSON: null where a period has no data.
type trendSeriesView struct {
	Name   string     `json:"name"`
	Values []*float64 `json:"values"`
}

// trendView is the trend workbook's data, for a chart in the page.
type trendView struct {
	Indicator string            `json:"indicator"`
	Metric    string            `json:"metric"`
	Unit      string            `json:"unit,omitempty"`
	Percent   bool              `json:"percent"`
	Precision int               `json:"precision"`
	Periods   []string          `json:"periods"`
	Series    []trendSeriesView `json:"series"`
	Total     *trendSeriesView  `json:"total,omitempty"`
}

// reportTrendJSON answers the series the trend workbook holds.
func (h *handler) reportTrendJSON(c *fiber.Ctx) error {
	in := drives.TrendInput{Indicator: c.Query("indicator"), Field: c.Query("field"), From: c.Query("from"), To: c.Query("to")}
	t, err := h.Drives.Trend(c.UserContext(), user(c), in)
	if err != nil {
		return err
	}
	v := trendView{Indicator: t.Indicator, Metric: t.Metric, Unit: t.Unit, Percent: t.Percent, Precision: t.Precision,
		Periods: t.Periods, Series: make([]trendSeriesView, len(t.Series))}
	if v.Periods == nil {
		v.Periods = []string{}
	}
	for i, s := range t.Series {
		v.Series[i] = seriesView(s)
	}
	if t.Total != nil {
		total := seriesView(*t.Total)
		v.Total = &total
	}
	return c.JSON(v)
}

func seriesView(s reports.TrendSeries) trendSeriesView {
	out := trendSeriesView{Name: s.Name, Values: make([]*float64, len(s.Values))}
	for i, x := range s.Values {
		if !math.IsNaN(x) {
			out.Values[i] = &x
		}
	}
	return out
}
