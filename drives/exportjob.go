package drives

import (
	"context"
	"io"
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

// heartbeat is how often a running job is marked alive, whatever it is
// doing: reading the summary and zipping the workbook report no rows.
const heartbeat = 20 * time.Second

// StartExport starts building a drive's workbook in the background, or
// returns the caller's job already building it.
func (s *Service) StartExport(ctx context.Context, u *store.User, d *store.Drive) (*store.ExportJob, error) {
	s.starting.Lock()
	defer s.starting.Unlock()
	running, err := s.Store.RunningExportJob(ctx, u.ID, d.ID, s.Now().UTC().Add(-staleJob))
	if err == nil {
		return running, nil
	}
	if !fail.Is(err, fail.NotFound) {
		return nil, err
	}
	leave, err := s.Reports.enter(u.ID)
	if err != nil {
		return nil, err
	}
	now := s.Now().UTC()
	job := &store.ExportJob{ID: "ex-" + randomHex(8), Drive: d.ID, User: u.ID, FileName: s.ExportFileName(ctx, u, d),
		Status: store.ExportRunning, CreatedAt: now, UpdatedAt: now}
	if err := s.Store.InsertExportJob(ctx, job); err != nil {
		leave()
		return nil, err
	}
	s.jobs.Add(1)
	go func() {
		defer s.jobs.Done()
		defer leave()
		s.runExport(*job, heartbeat, func(ctx context.Context, w io.Writer, progress func(done, total int)) error {
			return s.export(ctx, u, d, nil, w, progress)
		})
	}()
	return job, nil
}

// buildFunc writes a workbook to w, reporting the rows done so far.
type buildFunc func(ctx context.Context, w io.Writer, progress func(done, total int)) error

// runExport builds a job's file and records the outcome, touching the job
// every beat until then.
func (s *Service) runExport(job store.ExportJob, beat time.Duration, build buildFunc) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	stop := s.keepAlive(ctx, job.ID, beat)
	w := s.Store.ExportWriter(ctx, job.ID)
	last := time.Time{}
	err := build(ctx, w, func(done, total int) {
		if now := s.Now(); now.Sub(last) >= time.Second {
			last = now
			job.Done, job.Total, job.UpdatedAt = done, total, now.UTC()
			if err := s.Store.UpdateExportJob(ctx, &job); err != nil {
				s.Log.Warn("export progress not saved", "job", job.ID, "err", err)
			}
		}
	})
	size, cerr := w.Close()
	stop()
	job.Size, job.UpdatedAt, job.Status = size, s.Now().UTC(), store.ExportDone
	if err == nil {
		err = cerr
	}
	if err != nil {
		s.Log.Error("export failed", "job", job.ID, "drive", job.Drive, "err", err)
		job.Status, job.Error = store.ExportFailed, "导出失败，请重试 / The export failed, please retry"
	} else {
		job.Done = job.Total
	}
	s.Metrics.Export(job.Status)
	if err := s.Store.UpdateExportJob(context.Background(), &job); err != nil {
		s.Log.Error("export outcome not saved", "job", job.ID, "err", err)
	}
}

// keepAlive touches a job every beat until the returned stop is called, so
// that only a job whose instance stopped goes stale.
func (s *Service) keepAlive(ctx context.Context, job string, beat time.Duration) (stop func()) {
	quit, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(beat)
		defer t.Stop()
		for {
			select {
			case <-quit:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				if err := s.Store.TouchExportJob(ctx, job, s.Now().UTC()); err != nil {
					s.Log.Warn("export job not kept alive", "job", job, "err", err)
				}
			}
		}
	}()
	return func() { close(quit); <-stopped }
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
