package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/tianbao-edu/tianbao/store"
)

// A data directory is used by one process at a time: the one that holds its
// lock runs the embedded database on it and writes the database's address
// (a Unix socket in a private temporary directory) next to the lock. A
// command started while a server runs reaches the server's database at
// that address instead of starting a second database on the same files.
const (
	lockName = "tianbao.lock"
	uriName  = "embedded.uri"
)

// dataDir is the embedded database of a data directory, this process's
// own or reached at the address another process wrote.
type dataDir struct {
	uri      string
	emb      *store.Embedded // nil when attached
	attached bool
	release  func()
}

// errInUse is the refusal of a command that needs the directory to itself.
var errInUse = errors.New("the data directory is in use by a running Tianbao: stop it first")

// openDataDir starts the embedded database on cfg.DataDir, or, when
// another process holds the directory and attach is allowed, returns the
// address of that process's database.
func openDataDir(cfg *config, log *slog.Logger, attach bool) (*dataDir, error) {
	if err := os.MkdirAll(cfg.DataDir, 0o750); err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	lockPath, uriPath := filepath.Join(cfg.DataDir, lockName), filepath.Join(cfg.DataDir, uriName)
	release, ok, err := lockFile(lockPath)
	if err != nil {
		return nil, fmt.Errorf("data dir: %w", err)
	}
	if !ok {
		if !attach {
			return nil, fmt.Errorf("%s: %w", cfg.DataDir, errInUse)
		}
		uri, err := waitForURI(uriPath, 10*time.Second)
		if err != nil {
			return nil, err
		}
		log.Info("using the database of the Tianbao running on this data directory", "data", cfg.DataDir)
		return &dataDir{uri: uri, attached: true}, nil
	}
	dbLog := slog.New(levelHandler{slog.LevelWarn, log.Handler()}).With("component", "ferretdb")
	emb, err := store.StartEmbedded(cfg.DataDir, dbLog)
	if err != nil {
		release()
		return nil, err
	}
	tmp := uriPath + ".tmp"
	if err := os.WriteFile(tmp, []byte(emb.URI+"\n"), 0o600); err == nil {
		err = os.Rename(tmp, uriPath)
	}
	if err != nil {
		emb.Stop(context.Background())
		release()
		return nil, fmt.Errorf("data dir: %w", err)
	}
	log.Info("embedded database started", "data", cfg.DataDir, "uri", emb.URI)
	return &dataDir{uri: emb.URI, emb: emb, release: func() { os.Remove(uriPath); release() }}, nil
}

// waitForURI reads the address the lock's holder writes once its database
// runs (it may be starting still).
func waitForURI(path string, within time.Duration) (string, error) {
	deadline := time.Now().Add(within)
	for {
		b, err := os.ReadFile(path)
		if uri := strings.TrimSpace(string(b)); err == nil && uri != "" {
			return uri, nil
		}
		if time.Now().After(deadline) {
			return "", fmt.Errorf("the data directory is locked but %s names no database: is another command starting?", path)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func (d *dataDir) close(ctx context.Context) {
	if d.emb != nil {
		d.emb.Stop(ctx)
	}
	if d.release != nil {
		d.release()
	}
}
