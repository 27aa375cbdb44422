package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/tianbao-edu/tianbao/store"
)

// dial connects to the database as it is (no migration, no indexes, no
// catalog): to MONGODB_URI, or to the embedded database of the data
// directory, a running server's when attach allows.
func dial(ctx context.Context, cfg *config, log *slog.Logger, attach bool) (*store.Store, func(), error) {
	uri, done := cfg.MongoURI, func() {}
	if uri == "" {
		d, err := openDataDir(cfg, log, attach)
		if err != nil {
			return nil, nil, err
		}
		uri, done = d.uri, func() { d.close(context.Background()) }
	}
	s, err := store.DialOnly(ctx, uri, cfg.Database)
	if err != nil {
		done()
		return nil, nil, err
	}
	return s, func() { _ = s.Close(context.Background()); done() }, nil
}

// runBackup writes an archive of the whole database to file, while the
// server runs: of the embedded database through the running server's, or
// of MONGODB_URI. The archive appears under its name only once complete.
func runBackup(ctx context.Context, cfg *config, log *slog.Logger, file string, stdout io.Writer) error {
	if _, err := os.Stat(file); err == nil {
		return fmt.Errorf("%s exists: name a new file", file)
	}
	s, done, err := dial(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer done()
	tmp, err := os.CreateTemp(filepath.Dir(file), "."+filepath.Base(file)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	start := time.Now()
	st, err := s.Backup(ctx, tmp)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), file)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	fmt.Fprintf(stdout, "backup of %s (schema %d): %s in %s → %s\n", cfg.Database, st.Schema, countsText(st.Counts),
		time.Since(start).Round(time.Millisecond), file)
	if st.Dropped > 0 {
		fmt.Fprintf(stdout, "%d revisions or keys of writes in flight when the submissions were read left out\n", st.Dropped)
	}
	return nil
}

// runRestore loads an archive into an empty database (or, with replace,
// in place of its data). The whole file is checked first; the embedded
// database is restored only while no server runs on it.
func runRestore(ctx context.Context, cfg *config, log *slog.Logger, file string, replace bool, stdout io.Writer) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := store.CheckArchive(f); err != nil {
		return fmt.Errorf("%s: %w; nothing was changed", file, err)
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	s, done, err := dial(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer done()
	st, err := s.Restore(ctx, f, replace, log)
	if errors.Is(err, store.ErrNotEmpty) {
		return fmt.Errorf("%w (tianbao restore -replace %s replaces its data)", err, file)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restored %s (schema %d, now %d): %s\n", cfg.Database, st.Schema, store.Latest(store.Migrations), countsText(st.Counts))
	return nil
}

func countsText(counts map[string]int) string {
	total := 0
	var parts []string
	for n, c := range counts {
		total += c
		parts = append(parts, fmt.Sprintf("%s %d", n, c))
	}
	slices.Sort(parts)
	return fmt.Sprintf("%d documents (%s)", total, strings.Join(parts, ", "))
}
