package store

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Embedded is the in-process MongoDB-compatible server (FerretDB on SQLite)
// used when no MONGODB_URI is configured.
type Embedded struct {
	URI     string
	sockDir string
	cancel  context.CancelFunc
	done    chan struct{}
}

// StartEmbedded starts the embedded server with its data under dataDir,
// listening on a private Unix socket only.
func StartEmbedded(dataDir string, logger *slog.Logger) (*Embedded, error) {
	if err := os.MkdirAll(dataDir, 0o750); err != nil {
		return nil, fmt.Errorf("store: unable to create data dir: %w", err)
	}
	abs, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("store: unable to resolve data dir: %w", err)
	}
	// Socket paths are limited to ~100 bytes: keep it short, outside dataDir.
	sockDir, err := os.MkdirTemp("", "tb")
	if err != nil {
		return nil, fmt.Errorf("store: unable to create socket dir: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	f, err := ferretdb.New(&ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{Unix: filepath.Join(sockDir, "m.sock")},
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
		Logger:    logger,
	})
	if err != nil {
		os.RemoveAll(sockDir)
		return nil, fmt.Errorf("store: unable to start embedded server: %w", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	e := &Embedded{sockDir: sockDir, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(e.done)
		_ = f.Run(ctx)
	}()
	e.URI = f.MongoDBURI()
	return e, nil
}

// Stop shuts the server down and waits for it, at most until ctx ends.
func (e *Embedded) Stop(ctx context.Context) {
	e.cancel()
	select {
	case <-e.done:
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
	}
	os.RemoveAll(e.sockDir)
}
