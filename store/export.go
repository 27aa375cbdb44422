package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/fail"
)

const colExportChunks = "exportChunks"

// chunkSize keeps each stored piece of a workbook well under the 16 MB
// document limit.
const chunkSize = 1 << 20

// Export job statuses.
const (
	ExportRunning = "running"
	ExportDone    = "done"
	ExportFailed  = "failed"
)

// ExportJob is a workbook being built in the background. The finished file
// is kept in the database, so any instance can serve the download.
type ExportJob struct {
	ID        string    `json:"id" bson:"_id"`
	Drive     string    `json:"drive" bson:"drive"`
	User      string    `json:"-" bson:"user"`
	FileName  string    `json:"fileName" bson:"fileName"`
	Status    string    `json:"status" bson:"status"`
	Done      int       `json:"done" bson:"done"`
	Total     int       `json:"total" bson:"total"`
	Size      int64     `json:"size" bson:"size"`
	Error     string    `json:"error,omitempty" bson:"error,omitempty"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt" bson:"updatedAt"`
}

// InsertExportJob records a new job.
func (s *Store) InsertExportJob(ctx context.Context, j *ExportJob) error {
	_, err := s.c(colExports).InsertOne(ctx, j)
	return dbErr("insert export job", err)
}

// ExportJob returns a job started by user.
func (s *Store) ExportJob(ctx context.Context, id, user string) (*ExportJob, error) {
	var j ExportJob
	err := s.c(colExports).FindOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "user", Value: user}}).Decode(&j)
	if err != nil {
		return nil, dbErr("find export job", err)
	}
	return &j, nil
}

// UpdateExportJob records progress or the outcome of a job.
func (s *Store) UpdateExportJob(ctx context.Context, j *ExportJob) error {
	_, err := s.c(colExports).UpdateOne(ctx, bson.D{{Key: "_id", Value: j.ID}}, bson.D{{Key: "$set", Value: bson.D{
		{Key: "status", Value: j.Status}, {Key: "done", Value: j.Done}, {Key: "total", Value: j.Total},
		{Key: "size", Value: j.Size}, {Key: "error", Value: j.Error}, {Key: "updatedAt", Value: j.UpdatedAt},
	}}})
	return dbErr("update export job", err)
}

// TouchExportJob marks a running job as alive at t.
func (s *Store) TouchExportJob(ctx context.Context, id string, t time.Time) error {
	_, err := s.c(colExports).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: ExportRunning}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "updatedAt", Value: t}}}})
	return dbErr("touch export job", err)
}

// RunningExportJob returns the latest job of user on drive that is still
// running and was touched at or after since.
func (s *Store) RunningExportJob(ctx context.Context, user, drive string, since time.Time) (*ExportJob, error) {
	var j ExportJob
	err := s.c(colExports).FindOne(ctx, bson.D{{Key: "user", Value: user}, {Key: "drive", Value: drive},
		{Key: "status", Value: ExportRunning}, {Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: since}}}},
		options.FindOne().SetSort(bson.D{{Key: "createdAt", Value: -1}})).Decode(&j)
	if err != nil {
		return nil, dbErr("find running export job", err)
	}
	return &j, nil
}

// ChunkWriter stores a job's file in pieces as it is written.
type ChunkWriter struct {
	ctx  context.Context
	s    *Store
	job  string
	n    int
	buf  []byte
	size int64
}

// ExportWriter returns a writer that stores a job's file.
func (s *Store) ExportWriter(ctx context.Context, job string) *ChunkWriter {
	return &ChunkWriter{ctx: ctx, s: s, job: job, buf: make([]byte, 0, chunkSize)}
}

func (w *ChunkWriter) Write(p []byte) (int, error) {
	written := 0
	for len(p) > 0 {
		k := min(chunkSize-len(w.buf), len(p))
		w.buf = append(w.buf, p[:k]...)
		p, written = p[k:], written+k
		if len(w.buf) == chunkSize {
			if err := w.flush(); err != nil {
				return written, err
			}
		}
	}
	return written, nil
}

func (w *ChunkWriter) flush() error {
	if len(w.buf) == 0 {
		return nil
	}
	_, err := w.s.c(colExportChunks).InsertOne(w.ctx, bson.D{
		{Key: "_id", Value: chunkID(w.job, w.n)}, {Key: "job", Value: w.job}, {Key: "n", Value: w.n},
		{Key: "data", Value: bson.Binary{Data: w.buf}},
	})
	if err != nil {
		return dbErr("store export chunk", err)
	}
	w.size += int64(len(w.buf))
	w.n++
	w.buf = make([]byte, 0, chunkSize)
	return nil
}

func chunkID(job string, n int) string { return fmt.Sprintf("%s:%06d", job, n) }

// Close stores the last piece and returns the file's size.
func (w *ChunkWriter) Close() (int64, error) {
	return w.size, w.flush()
}

// ExportReader reads a finished job's file one stored piece at a time, each
// by its _id, so a download holds one piece in memory, not the workbook.
type ExportReader struct {
	ctx   context.Context
	s     *Store
	job   string
	left  int64
	n     int
	piece []byte
}

// ExportReader opens the file of size bytes stored for a job. The first
// piece is read here, so a file that is gone or cannot be read fails before
// anything of it is sent.
func (s *Store) ExportReader(ctx context.Context, job string, size int64) (*ExportReader, error) {
	r := &ExportReader{ctx: ctx, s: s, job: job, left: size}
	if size > 0 {
		if err := r.load(); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// load reads the next piece.
func (r *ExportReader) load() error {
	var piece struct {
		Data bson.Binary `bson:"data"`
	}
	err := r.s.c(colExportChunks).FindOne(r.ctx, bson.D{{Key: "_id", Value: chunkID(r.job, r.n)}}).Decode(&piece)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return fail.Wrap(fail.NotFound, fmt.Errorf("store: unable to read export %s: piece %d missing", r.job, r.n),
			"导出文件不存在或已过期，请重新导出", "The export file is gone, please export again")
	}
	if err != nil {
		return dbErr("read export", err)
	}
	if len(piece.Data.Data) == 0 {
		return fmt.Errorf("store: unable to read export %s: piece %d empty", r.job, r.n)
	}
	r.n++
	r.piece = piece.Data.Data
	return nil
}

func (r *ExportReader) Read(p []byte) (int, error) {
	if r.left <= 0 {
		return 0, io.EOF
	}
	if len(r.piece) == 0 {
		if err := r.load(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.piece[:min(int64(len(r.piece)), r.left)])
	r.piece, r.left = r.piece[n:], r.left-int64(n)
	return n, nil
}

// DeleteExportsBefore removes jobs (and their files) last touched before t.
func (s *Store) DeleteExportsBefore(ctx context.Context, t time.Time) error {
	cur, err := s.c(colExports).Find(ctx, bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$lt", Value: t}}}},
		options.Find().SetProjection(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return dbErr("list old exports", err)
	}
	var jobs []struct {
		ID string `bson:"_id"`
	}
	if err := cur.All(ctx, &jobs); err != nil {
		return dbErr("read old exports", err)
	}
	for _, j := range jobs {
		if _, err := s.c(colExportChunks).DeleteMany(ctx, bson.D{{Key: "job", Value: j.ID}}); err != nil {
			return dbErr("delete export chunks", err)
		}
		if _, err := s.c(colExports).DeleteOne(ctx, bson.D{{Key: "_id", Value: j.ID}}); err != nil && err != mongo.ErrNoDocuments {
			return dbErr("delete export job", err)
		}
	}
	return nil
}
