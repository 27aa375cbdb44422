package store_test

import (
	"bytes"
	"context"
	"io"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// storeFile stores n bytes as the file of a finished job and returns them.
func storeFile(t *testing.T, s *store.Store, job string, n int) []byte {
	t.Helper()
	ctx := context.Background()
	at := time.Date(2026, 11, 5, 2, 0, 0, 0, time.UTC)
	if err := s.InsertExportJob(ctx, &store.ExportJob{ID: job, Drive: "d", User: "u", FileName: "x.xlsx",
		Status: store.ExportDone, CreatedAt: at, UpdatedAt: at}); err != nil {
		t.Fatal(err)
	}
	data := make([]byte, n)
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	for i := range data {
		data[i] = byte(rng.Uint32())
	}
	w := s.ExportWriter(ctx, job)
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	size, err := w.Close()
	if err != nil || size != int64(n) {
		t.Fatalf("stored %d bytes of %d: %v", size, n, err)
	}
	return data
}

// TestExportReaderReadsPieceByPiece: the file comes back whole and in
// order, and no read returns more than one stored piece.
func TestExportReaderReadsPieceByPiece(t *testing.T) {
	s := storetest.New(t)
	want := storeFile(t, s, "ex-1", 2*store.ChunkSize+store.ChunkSize/2)
	r, err := s.ExportReader(context.Background(), "ex-1", int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, len(want)+1)
	for {
		n, err := r.Read(buf)
		if n > store.ChunkSize {
			t.Fatalf("one read returned %d bytes, more than a piece (%d)", n, store.ChunkSize)
		}
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("read %d bytes, not the %d stored (or not in order)", len(got), len(want))
	}
}

// TestExportReaderReadsPiecesWhenNeeded: the pieces after the first are
// read as the reader reaches them, not when it is opened, so a file deleted
// under a reader ends it with an error rather than being served from memory.
func TestExportReaderReadsPiecesWhenNeeded(t *testing.T) {
	s := storetest.New(t)
	ctx := context.Background()
	want := storeFile(t, s, "ex-1", 3*store.ChunkSize)
	r, err := s.ExportReader(ctx, "ex-1", int64(len(want)))
	if err != nil {
		t.Fatal(err)
	}
	first := make([]byte, store.ChunkSize)
	if _, err := io.ReadFull(r, first); err != nil || !bytes.Equal(first, want[:store.ChunkSize]) {
		t.Fatalf("first piece: %v", err)
	}
	if err := s.DeleteExportsBefore(ctx, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	rest, err := io.ReadAll(r)
	if !fail.Is(err, fail.NotFound) {
		t.Fatalf("reading a deleted file gave %d more bytes and %v", len(rest), err)
	}
}

// TestExportReaderMissingFile: a job whose file is gone fails on opening,
// before any byte could be sent.
func TestExportReaderMissingFile(t *testing.T) {
	s := storetest.New(t)
	if _, err := s.ExportReader(context.Background(), "ex-none", 100); !fail.Is(err, fail.NotFound) {
		t.Fatalf("opening a missing file: %v", err)
	}
}
