package drives

import (
	"cmp"
	"context"
	"slices"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// ledgerSheet is the drive workbook's hazard ledger sheet: the hazards of
// the view's schools not yet closed, as they stand today. It is nil when
// no form of the drive keeps the ledger; its rows are read as the sheet
// is written.
func (s *Service) ledgerSheet(ctx context.Context, fs []*forms.Form, v *view) *reports.Ledger {
	var fields []forms.Field
	for _, f := range fs { // oldest first: the newest form's columns win
		for _, sec := range f.Sections {
			for _, fd := range sec.Fields {
				if sec.Indicator == store.LedgerSection && fd.ID == store.LedgerRows && fd.Type == forms.Repeat {
					fields = fd.Fields
				}
			}
		}
	}
	if fields == nil {
		return nil
	}
	today := s.today()
	return &reports.Ledger{AsOf: today, Fields: fields, Rows: func(yield func(reports.LedgerRow, error) bool) {
		open, err := s.Store.OpenHazards(ctx)
		if err != nil {
			yield(reports.LedgerRow{}, err)
			return
		}
		for _, school := range v.schools {
			hs := open[school.ID]
			slices.SortStableFunc(hs, func(a, b store.Hazard) int { return cmp.Compare(a.FoundOn, b.FoundOn) }) // then as entered
			g := v.group(school)
			info := SchoolInfo(Row{School: school, Group: g, GroupName: v.groupName(g)})
			for _, h := range hs {
				found := h.FoundIn
				if d, err := s.drive(ctx, h.FoundIn); err == nil {
					found = PeriodLabel(d.Period)
				}
				r := reports.LedgerRow{School: info, Values: h.Row(), FoundIn: found, Reports: len(h.Reported), Overdue: h.Overdue(today)}
				if r.Overdue {
					r.DaysOverdue = s.viewHazard(h, school, today).DaysOverdue
				}
				if !yield(r, nil) {
					return
				}
			}
		}
	}}
}
