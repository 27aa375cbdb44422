package store

import (
	"context"
	"fmt"
	"io"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
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
		{Key: "_id", Value: fmt.Sprintf("%s:%06d", w.job, w.n)}, {Key: "job", Value: w.job}, {Key: "n", Value: w.n},
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

// Close stores the last piece and returns the file's size.
func (w *ChunkWriter) Close() (int64, error) {
	return w.size, w.flush()
}

// CopyExport writes a finished job's file to w.
func (s *Store) CopyExport(ctx context.Context, job string, w io.Writer) error {
	cur, err := s.c(colExportChunks).Find(ctx, bson.D{{Key: "job", Value: job}}, options.Find().SetSort(bson.D{{Key: "n", Value: 1}}))
	if err != nil {
		return dbErr("read export", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	for cur.Next(ctx) {
		var chunk struct {
			Data bson.Binary `bson:"data"`
		}
		if err := cur.Decode(&chunk); err != nil {
			return dbErr("decode export chunk", err)
		}
		if _, err := w.Write(chunk.Data.Data); err != nil {
			return err
		}
	}
	return dbErr("read export", cur.Err())
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
