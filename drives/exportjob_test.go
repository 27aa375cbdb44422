package drives

import (
	"context"
	"io"
	"sync"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// jobClock is a settable time for the export job tests.
type jobClock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *jobClock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *jobClock) Add(d time.Duration) { c.mu.Lock(); c.now = c.now.Add(d); c.mu.Unlock() }

// runningJob stores a running export job of admin's, on a service whose
// clock the test sets.
func runningJob(t *testing.T) (*Service, *jobClock, *store.User, store.ExportJob) {
	t.Helper()
	st := storetest.New(t)
	c := &jobClock{now: time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)}
	u := &store.User{ID: "admin"}
	job := store.ExportJob{ID: "ex-1", Drive: "monthly-2026-11", User: u.ID, FileName: "x.xlsx",
		Status: store.ExportRunning, CreatedAt: c.Now(), UpdatedAt: c.Now()}
	if err := st.InsertExportJob(context.Background(), &job); err != nil {
		t.Fatal(err)
	}
	return New(st, c.Now, nil, nil), c, u, job
}

// waitJob reads the job as its owner sees it until ok accepts it; it
// reports the last reading when that does not come within a minute.
func waitJob(t *testing.T, s *Service, u *store.User, id string, ok func(*store.ExportJob) bool) (*store.ExportJob, bool) {
	t.Helper()
	var j *store.ExportJob
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		var err error
		if j, err = s.ExportJob(context.Background(), u, id); err != nil {
			t.Error(err)
			return nil, false
		}
		if ok(j) {
			return j, true
		}
	}
	return j, false
}

// TestExportJobStaysAliveBetweenRows: while a job is busy without rows to
// report (reading the summary, zipping the workbook) for longer than a job
// may go untouched, it still reads as running, with the progress it made;
// it ends done with its file's size.
func TestExportJobStaysAliveBetweenRows(t *testing.T) {
	s, c, u, job := runningJob(t)
	file := []byte("PK workbook")
	s.runExport(job, time.Millisecond, func(ctx context.Context, w io.Writer, progress func(done, total int)) error {
		progress(3, 10)
		if j, ok := waitJob(t, s, u, job.ID, func(j *store.ExportJob) bool { return j.Done == 3 }); !ok ||
			j.Status != store.ExportRunning || j.Total != 10 {
			t.Errorf("mid-way the job reads %+v", j)
		}
		c.Add(staleJob + time.Minute)
		if j, ok := waitJob(t, s, u, job.ID, func(j *store.ExportJob) bool { return j.Status == store.ExportRunning }); !ok {
			t.Errorf("a job busy for longer than %s reads %+v", staleJob, j)
		}
		_, err := w.Write(file)
		return err
	})
	j, err := s.ExportJob(context.Background(), u, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Status != store.ExportDone || j.Size != int64(len(file)) || j.Done != 10 {
		t.Fatalf("the finished job reads %+v", j)
	}
}

// TestExportJobWithoutInstanceFails: a running job nobody touches any more
// (its instance stopped) reads as failed.
func TestExportJobWithoutInstanceFails(t *testing.T) {
	s, c, u, job := runningJob(t)
	c.Add(staleJob + time.Minute)
	j, err := s.ExportJob(context.Background(), u, job.ID)
	if err != nil {
		t.Fatal(err)
	}
	if j.Status != store.ExportFailed || j.Error == "" {
		t.Fatalf("an abandoned job reads %+v", j)
	}
}
