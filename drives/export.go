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
	// The sheets and columns are those of every form the scope's schools
	// fill in now, whether or not they have, and of any older version
	// they used.
	versions := slices.Clone(p.FormVersions)
	expected, err := s.expectedForms(ctx, d, v)
	if err != nil {
		return err
	}
	for _, f := range expected {
		if !slices.Contains(versions, f.Version) {
			versions = append(versions, f.Version)
		}
	}
	wbForms, err := s.formsByAge(ctx, d, versions)
	if err != nil {
		return err
	}
	issuer := d.Scope.Org
	if o := v.tree.Org(d.Scope.Org); o != nil {
		issuer = o.Name
	}
	wb := reports.DriveWorkbook{
		Drive: reports.Drive{ID: d.ID, Name: d.Name, Period: d.Period, PeriodLabel: PeriodLabel(d.Period),
			Report: s.reportName(ctx, d), Frequency: d.Frequency, Due: d.DueAt},
		Forms:     wbForms,
		Districts: p.Districts,
		Total:     p.Total,
		Rows:      schoolRows(s.rows(ctx, d, v, false)),
		Unit:      v.root.Name,
		Issuer:    issuer,
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

// expectedForms are the forms the view's schools fill in: one per set of
// stages among them (a stage with nothing to report has none).
func (s *Service) expectedForms(ctx context.Context, d *store.Drive, v *view) ([]*forms.Form, error) {
	seen := map[string]bool{}
	var out []*forms.Form
	for _, school := range v.schools {
		stages := slices.Clone(stagesFor(d, school))
		slices.Sort(stages)
		key := strings.Join(stages, ",")
		if seen[key] {
			continue
		}
		seen[key] = true
		f, err := s.Form(ctx, d, stages)
		switch {
		case err == nil:
			out = append(out, f)
		case !fail.Is(err, fail.NotFound):
			return nil, err
		}
	}
	return out, nil
}

// ExportFileName names the drive's workbook for u as its title does:
// "城东区教育局 2026年12月 学校安全与健康工作月报汇总表.xlsx".
func (s *Service) ExportFileName(ctx context.Context, u *store.User, d *store.Drive) string {
	name := PeriodLabel(d.Period) + " " + s.reportName(ctx, d) + "汇总表.xlsx"
	unit := d.Scope.Org // the deeper of the drive's scope and the caller's org, as a view's root
	if slices.Contains(u.OrgPath, d.Scope.Org) {
		unit = u.Org
	}
	if o, err := s.org(ctx, unit); err == nil && o.Name != "" {
		name = o.Name + " " + name
	}
	return name
}

// reportName is what a drive's report is called: the plan's subject and
// the report of the drive's frequency, "学校安全与健康工作月报" for the plan
// "2026 年度学校安全与健康工作要点" run monthly; the drive's name when the
// plan's name leaves nothing.
func (s *Service) reportName(ctx context.Context, d *store.Drive) string {
	subject := ""
	if plan, err := s.Store.Plan(ctx, d.Plan); err == nil {
		subject = planSubject(plan.Plan.Name)
	}
	word, ok := reportWord[d.Frequency]
	if subject == "" || !ok {
		return strings.TrimSpace(strings.TrimSuffix(d.Name, d.Period))
	}
	return subject + word
}

var reportWord = map[string]string{forms.Weekly: "周报", forms.Monthly: "月报", forms.Termly: "学期报", forms.Yearly: "年报"}

// planSubject is a plan's name without its year and the word naming the
// document: "2026 年度学校安全与健康工作要点" → "学校安全与健康工作".
func planSubject(name string) string {
	s := strings.TrimSpace(name)
	if len(s) >= 4 && strings.Trim(s[:4], "0123456789") == "" {
		s = strings.TrimSpace(s[4:])
		for _, w := range []string{"年度", "年"} {
			if strings.HasPrefix(s, w) {
				s = strings.TrimSpace(strings.TrimPrefix(s, w))
				break
			}
		}
	}
	for _, w := range []string{"要点", "计划", "方案", "安排"} {
		if strings.HasSuffix(s, w) {
			return strings.TrimSpace(strings.TrimSuffix(s, w))
		}
	}
	return s
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
					Status: cmp.Or(signedLevel(row.Level), sub.Status), Submitted: handedIn(sub), SubmittedAt: sub.SubmittedAt, Late: sub.Late,
					FormVersion: sub.FormVersion, Values: sub.Values, Compliance: sub.Compliance, Anomalies: sub.Anomalies,
					Returns: sub.Returns, AfterApproval: sub.AfterApproval,
				}
			}
			if !yield(out, nil) {
				return
			}
		}
	}
}

// signedLevel is a level a sign-off gives, or "".
func signedLevel(level string) string {
	if level == LevelSigned || level == LevelAccepted {
		return level
	}
	return ""
}
