package main

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestSweep removes expired sessions, exports older than a day and counted
// sign-in attempts older than auth.AttemptsKept, and leaves the others.
func TestSweep(t *testing.T) {
	ctx := context.Background()
	s := storetest.New(t)
	now := time.Date(2026, 11, 30, 12, 0, 0, 0, time.UTC)
	for _, sess := range []*store.Session{
		{Hash: "expired", User: "u", CreatedAt: now.Add(-13 * time.Hour), ExpiresAt: now.Add(-time.Hour)},
		{Hash: "live", User: "u", CreatedAt: now.Add(-time.Hour), ExpiresAt: now.Add(11 * time.Hour)},
	} {
		if err := s.InsertSession(ctx, sess); err != nil {
			t.Fatal(err)
		}
	}
	for id, touched := range map[string]time.Time{"ex-old": now.Add(-25 * time.Hour), "ex-new": now.Add(-time.Hour)} {
		j := &store.ExportJob{ID: id, Drive: "d", User: "u", Status: store.ExportDone, CreatedAt: touched, UpdatedAt: touched}
		if err := s.InsertExportJob(ctx, j); err != nil {
			t.Fatal(err)
		}
		w := s.ExportWriter(ctx, id)
		if _, err := w.Write([]byte("PK workbook")); err != nil {
			t.Fatal(err)
		}
		if _, err := w.Close(); err != nil {
			t.Fatal(err)
		}
	}
	admit := func(*store.Attempt) (int, time.Duration) { return 1, 0 }
	for _, at := range []time.Time{now.Add(-auth.AttemptsKept - time.Hour), now.Add(-time.Hour)} {
		if _, _, err := s.ClaimAttempt(ctx, "k", "u", at, admit); err != nil {
			t.Fatal(err)
		}
	}
	sweep(ctx, &application{store: s}, slog.New(slog.NewTextHandler(io.Discard, nil)), now)

	if _, err := s.ExportJob(ctx, "ex-old", "u"); !fail.Is(err, fail.NotFound) {
		t.Errorf("a two-day-old export is still there: %v", err)
	}
	if _, err := s.ExportReader(ctx, "ex-old", 11); !fail.Is(err, fail.NotFound) {
		t.Errorf("a two-day-old export's file is still there: %v", err)
	}
	if _, err := s.ExportJob(ctx, "ex-new", "u"); err != nil {
		t.Errorf("an hour-old export was removed: %v", err)
	}
	if _, err := s.ExportReader(ctx, "ex-new", 11); err != nil {
		t.Errorf("an hour-old export's file was removed: %v", err)
	}
	if n, err := s.SweepSessions(ctx, now); err != nil || n != 0 {
		t.Errorf("sessions left to sweep: %d, %v", n, err)
	}
	if _, err := s.Session(ctx, "live", now); err != nil {
		t.Errorf("a live session was removed: %v", err)
	}
	if n, err := s.SweepAttempts(ctx, now.Add(-auth.AttemptsKept)); err != nil || n != 0 {
		t.Errorf("attempts left to sweep: %d, %v", n, err)
	}
	if n, err := s.SweepAttempts(ctx, now); err != nil || n != 1 {
		t.Errorf("recent attempts: %d swept now, %v; want the one", n, err)
	}
}
