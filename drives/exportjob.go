package drives

import (
	"context"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// DefaultExportLimit is the number of expected schools above which an
// export runs as a background job rather than in the request.
const DefaultExportLimit = 2000

// staleJob is how long a running job may go without progress before it is
// taken as lost (its instance stopped).
const staleJob = 2 * time.Minute

// Large reports whether a drive's export for the caller should run as a job.
func (s *Service) Large(p *Progress) bool {
	limit := s.ExportLimit
	if limit == 0 {
		limit = DefaultExportLimit
	}
	return p.Total.Expected > limit
}

// StartExport starts building a drive's workbook in the background.
func (s *Service) StartExport(ctx context.Context, u *store.User, d *store.Drive) (*store.ExportJob, error) {
	now := s.Now().UTC()
	job := &store.ExportJob{ID: "ex-" + randomHex(8), Drive: d.ID, User: u.ID, FileName: d.Name + ".xlsx",
		Status: store.ExportRunning, CreatedAt: now, UpdatedAt: now}
	if err := s.Store.InsertExportJob(ctx, job); err != nil {
		return nil, err
	}
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		s.runExport(*job, u, d)
	}()
	return job, nil
}

func (s *Service) runExport(job store.ExportJob, u *store.User, d *store.Drive) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	w := s.Store.ExportWriter(ctx, job.ID)
	last := time.Time{}
	err := s.Export(ctx, u, d, nil, w, func(done, total int) {
		if now := s.Now(); now.Sub(last) >= time.Second {
			last = now
			job.Done, job.Total, job.UpdatedAt = done, total, now.UTC()
			if err := s.Store.UpdateExportJob(ctx, &job); err != nil {
				s.Log.Warn("export progress not saved", "job", job.ID, "err", err)
			}
		}
	})
	size, cerr := w.Close()
	job.Size, job.UpdatedAt, job.Status = size, s.Now().UTC(), store.ExportDone
	if err == nil {
		err = cerr
	}
	if err != nil {
		s.Log.Error("export failed", "job", job.ID, "drive", d.ID, "err", err)
		job.Status, job.Error = store.ExportFailed, "导出失败，请重试 / The export failed, please retry"
	} else {
		job.Done = job.Total
	}
	s.Metrics.Export(job.Status)
	if err := s.Store.UpdateExportJob(context.Background(), &job); err != nil {
		s.Log.Error("export outcome not saved", "job", job.ID, "err", err)
	}
}

// ExportJob returns one of the caller's jobs; a job whose instance stopped
// reads as failed.
func (s *Service) ExportJob(ctx context.Context, u *store.User, id string) (*store.ExportJob, error) {
	j, err := s.Store.ExportJob(ctx, id, u.ID)
	if fail.Is(err, fail.NotFound) {
		return nil, fail.NotFoundf("导出任务", "Export job")
	}
	if err != nil {
		return nil, err
	}
	if j.Status == store.ExportRunning && s.Now().Sub(j.UpdatedAt) > staleJob {
		j.Status, j.Error = store.ExportFailed, "导出中断，请重试 / The export was interrupted, please retry"
	}
	return j, nil
}

// Wait blocks until background exports finish or ctx ends.
func (s *Service) Wait(ctx context.Context) {
	done := make(chan struct{})
	go func() { s.jobs.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
	}
}
