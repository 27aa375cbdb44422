package drives

import (
	"cmp"
	"context"
	"io"
	"iter"
	"slices"
	"strings"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/reports"
	"github.com/tianbao-edu/tianbao/store"
)

// Export writes a drive's summary workbook for the caller's scope. The
// summary numbers are p, the Progress of the same scope (computed when nil);
// the rows stream from the database.
func (s *Service) Export(ctx context.Context, u *store.User, d *store.Drive, p *Progress, w io.Writer, progress func(done, total int)) error {
	leave, err := s.Reports.enter(u.ID)
	if err != nil {
		return err
	}
	defer leave()
	return s.export(ctx, u, d, p, w, progress)
}

func (s *Service) export(ctx context.Context, u *store.User, d *store.Drive, _ *Progress, w io.Writer, progress func(done, total int)) error {
	// The counts and the rows come from one view: they always agree.
	v, err := s.viewOf(ctx, u, d, "")
	if err != nil {
		return err
	}
	p, err := s.progress(ctx, d, v)
	if err != nil {
		return err
	}
	wbForms, err := s.formsByAge(ctx, d, p.FormVersions)
	if err != nil {
		return err
	}
	if len(wbForms) == 0 {
		// Nothing submitted yet: show the columns of the form a school would fill in.
		stages := d.Scope.Stages
		if len(v.schools) > 0 {
			stages = stagesFor(d, v.schools[0])
		}
		if f, err := s.Form(ctx, d, stages); err == nil {
			wbForms = append(wbForms, f)
		}
	}
	wb := reports.DriveWorkbook{
		Drive:     reports.Drive{ID: d.ID, Name: d.Name, Period: d.Period, Due: d.DueAt},
		Forms:     wbForms,
		Districts: p.Districts,
		Total:     p.Total,
		Rows:      schoolRows(s.rows(ctx, d, v, false)),
		Created:   s.Now(),
		Location:  s.Loc,
		Ledger:    s.ledgerSheet(ctx, wbForms, v),
	}
	if progress != nil {
		total := p.Total.Expected
		wb.Progress = func(done int) { progress(done, total) }
	}
	return reports.WriteDrive(w, wb)
}

// formsByAge loads the form versions a drive's submissions used, oldest
// first as the workbook's column layout wants, whichever school used which
// first. A form records no creation time (its version is a content hash),
// but those the drive's plan generates now are the newest: they come last,
// the superseded ones before them. Within each group the form with the most
// fields leads, so the others' columns fit into its order, then the version
// keeps the order stable.
func (s *Service) formsByAge(ctx context.Context, d *store.Drive, versions []string) ([]*forms.Form, error) {
	out := make([]*forms.Form, 0, len(versions))
	current := map[string]bool{}
	for _, v := range versions {
		f, err := s.Store.Form(ctx, v)
		if err != nil {
			return nil, err
		}
		now, err := s.Form(ctx, d, f.Stages)
		switch {
		case err == nil:
			current[now.Version] = true
		case !fail.Is(err, fail.NotFound):
			return nil, err
		}
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *forms.Form) int {
		return cmp.Or(
			cmpBool(current[a.Version], current[b.Version]),
			cmp.Compare(fieldCount(b), fieldCount(a)),
			strings.Compare(a.Version, b.Version))
	})
	return out, nil
}

// cmpBool orders false before true.
func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return 1
	}
	return -1
}

func fieldCount(f *forms.Form) int {
	n := 0
	for _, sec := range f.Sections {
		n += len(sec.Fields)
	}
	return n
}

func schoolRows(rows iter.Seq2[Row, error]) iter.Seq2[reports.SchoolRow, error] {
	return func(yield func(reports.SchoolRow, error) bool) {
		for row, err := range rows {
			if err != nil {
				yield(reports.SchoolRow{}, err)
				return
			}
			out := reports.SchoolRow{School: SchoolInfo(row)}
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
