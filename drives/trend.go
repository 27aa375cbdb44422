package drives

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// TrendInput asks for one indicator across periods; with Field set the
// headline is that numeric field summed over the submitted schools (e.g.
// bullying leads found), otherwise the indicator's compliance rate.
type TrendInput struct {
	Indicator string
	Field     string
	From, To  string
}

// Trend computes an indicator's headline value per period and district
// over the drives the caller may see.
func (s *Service) Trend(ctx context.Context, u *store.User, in TrendInput) (*reports.Trend, error) {
	from, freq, err := ParsePeriod(in.From, s.Loc)
	if err != nil {
		return nil, fail.Field("from", "pattern", "起始期次格式不正确", "from is not a period")
	}
	to, freq2, err := ParsePeriod(in.To, s.Loc)
	if err != nil || freq2 != freq || to.Start.Before(from.Start) {
		return nil, fail.Field("to", "pattern", "结束期次须与起始期次同一频率且不早于它", "to must be a period of the same frequency, not before from")
	}
	if n := trendPeriods[freq]; countPeriods(from, to, freq, n+1) > n {
		return nil, fail.Field("to", "range", fmt.Sprintf("一次最多统计 %d 个期次", n), fmt.Sprintf("at most %d periods at a time", n))
	}
	leave, err := s.Reports.enter(u.ID)
	if err != nil {
		return nil, err
	}
	defer leave()
	inds, err := s.Store.Indicators(ctx)
	if err != nil {
		return nil, err
	}
	ind, ok := inds[in.Indicator]
	if !ok {
		return nil, fail.Field("indicator", "not_found", "指标不存在", "no such indicator")
	}
	t := &reports.Trend{Indicator: ind.Name.Zh, Metric: "达标率", Percent: true, Precision: 1, Created: s.Now()}
	if in.Field != "" {
		f := findField(ind.Fields, in.Field)
		if f == nil || (f.Type != forms.Integer && f.Type != forms.Decimal && f.Type != forms.Computed) {
			return nil, fail.Field("field", "not_found", "该指标没有这个数值字段", "the indicator has no such numeric field")
		}
		t.Metric, t.Unit, t.Percent, t.Precision = f.Label.Zh+"（合计）", f.Unit, false, f.Precision
	}
	all, err := s.Drives(ctx, u, from.Start.AddDate(-1, 0, 0))
	if err != nil {
		return nil, err
	}
	tree, err := s.Store.Tree(ctx)
	if err != nil {
		return nil, err
	}
	byDistrict := map[string][]float64{}
	names := map[string]string{}
	total := []float64{}
	for p := from; !p.Start.After(to.Start); p = p.Next(freq) {
		t.Periods = append(t.Periods, p.Key)
		t.Labels = append(t.Labels, PeriodLabel(p.Key))
		sums := map[string]*acc{}
		var sum acc
		for _, d := range all {
			if d.Period != p.Key || d.Frequency != freq {
				continue
			}
			if err := s.trendDrive(ctx, tree, u, &d, in, sums, &sum, names); err != nil {
				return nil, err
			}
		}
		i := len(t.Periods) - 1
		for id, a := range sums {
			if byDistrict[id] == nil {
				byDistrict[id] = nanSeries(i)
			}
			byDistrict[id] = append(byDistrict[id], a.value(in.Field != ""))
		}
		for id, v := range byDistrict {
			if len(v) == i {
				byDistrict[id] = append(v, math.NaN())
			}
		}
		total = append(total, sum.value(in.Field != ""))
	}
	ids := make([]string, 0, len(byDistrict))
	for id := range byDistrict {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		t.Series = append(t.Series, reports.TrendSeries{Name: names[id], Values: byDistrict[id]})
	}
	t.Total = &reports.TrendSeries{Name: "合计", Values: total}
	if o := tree.Org(u.Org); o != nil {
		t.Bureau = o.Name
	}
	return t, nil
}

// trendPeriods is the most periods of each frequency one trend covers:
// five years.
var trendPeriods = map[string]int{forms.Weekly: 5 * 53, forms.Monthly: 5 * 12, forms.Termly: 5 * 2, forms.Yearly: 5}

// countPeriods counts the periods from from to to, stopping at limit.
func countPeriods(from, to Period, freq string, limit int) int {
	n := 1
	for p := from; p.Start.Before(to.Start) && n < limit; p = p.Next(freq) {
		n++
	}
	return n
}

// acc accumulates a sum and the number of values in it, or compliant and
// scored counts. Without any value or score it is no data, not 0.
type acc struct{ n, of float64 }

func (a acc) value(sum bool) float64 {
	if a.of == 0 {
		return math.NaN()
	}
	if sum {
		return a.n
	}
	return a.n / a.of
}

func nanSeries(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}

func (s *Service) trendDrive(ctx context.Context, tree *store.Tree, u *store.User, d *store.Drive, in TrendInput, sums map[string]*acc, total *acc, names map[string]string) error {
	v, err := s.viewIn(ctx, tree, u, d, "")
	if err != nil {
		return err
	}
	var figures map[string]store.Figures
	if in.Field != "" {
		if figures, err = s.Store.Figures(ctx, d); err != nil {
			return err
		}
	}
	for _, school := range v.schools {
		e := v.entries[school.ID]
		if e == nil || !e.HandedIn() {
			continue
		}
		id := v.group(school)
		names[id] = v.groupName(id)
		a := sums[id]
		if a == nil {
			a = &acc{}
			sums[id] = a
		}
		for _, x := range []*acc{a, total} {
			if in.Field != "" {
				if n, ok := figures[school.ID].Numbers[in.Indicator+"."+in.Field]; ok {
					x.n += n
					x.of++
				}
				continue
			}
			if st, ok := e.Compliance[in.Indicator]; ok && st != forms.NotApplicable {
				x.of++
				if st == forms.Compliant {
					x.n++
				}
			}
		}
	}
	return nil
}

func findField(fields []forms.Field, id string) *forms.Field {
	i := slices.IndexFunc(fields, func(f forms.Field) bool { return f.ID == id })
	if i < 0 {
		return nil
	}
	return &fields[i]
}
