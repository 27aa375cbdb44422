package drives

import (
	"context"
	"io"
	"iter"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// Export writes a drive's summary workbook for the caller's scope. The
// summary numbers are p, the Progress of the same scope (computed when nil);
// the rows stream from the database.
func (s *Service) Export(ctx context.Context, u *store.User, d *store.Drive, p *Progress, w io.Writer, progress func(done, total int)) error {
	if p == nil {
		var err error
		if p, err = s.Progress(ctx, u, d); err != nil {
			return err
		}
	}
	wbForms := make([]*forms.Form, 0, len(p.FormVersions))
	for _, v := range p.FormVersions {
		f, err := s.Store.Form(ctx, v)
		if err != nil {
			return err
		}
		wbForms = append(wbForms, f)
	}
	if len(wbForms) == 0 {
		// Nothing submitted yet: show the columns of the form a school would fill in.
		if f, err := s.anyForm(ctx, u, d); err == nil {
			wbForms = append(wbForms, f)
		}
	}
	names, err := s.districtNames(ctx, u, d)
	if err != nil {
		return err
	}
	wb := reports.DriveWorkbook{
		Drive:     reports.Drive{ID: d.ID, Name: d.Name, Period: d.Period, Due: d.DueAt},
		Forms:     wbForms,
		Districts: p.Districts,
		Total:     p.Total,
		Rows:      schoolRows(s.Rows(ctx, u, d, false), names),
		Created:   s.Now(),
		Location:  s.Loc,
	}
	if progress != nil {
		total := p.Total.Expected
		wb.Progress = func(done int) { progress(done, total) }
	}
	return reports.WriteDrive(w, wb)
}

func (s *Service) anyForm(ctx context.Context, u *store.User, d *store.Drive) (*forms.Form, error) {
	for row, err := range s.Rows(ctx, u, d, true) {
		if err != nil {
			return nil, err
		}
		return s.Form(ctx, d, stagesFor(d, row.School))
	}
	return s.Form(ctx, d, d.Scope.Stages)
}

func schoolRows(rows iter.Seq2[Row, error], names map[string]string) iter.Seq2[reports.SchoolRow, error] {
	return func(yield func(reports.SchoolRow, error) bool) {
		for row, err := range rows {
			if err != nil {
				yield(reports.SchoolRow{}, err)
				return
			}
			out := reports.SchoolRow{School: SchoolInfo(row.School, names)}
			if sub := row.Submission; sub != nil {
				out.Submission = &reports.SubmissionInfo{
					Status: sub.Status, Submitted: handedIn(sub), SubmittedAt: sub.SubmittedAt, Late: sub.Late,
					FormVersion: sub.FormVersion, Values: sub.Values, Compliance: sub.Compliance,
				}
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}
