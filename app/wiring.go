package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"slices"
	"time"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/metrics"
	"github.com/tianbao-edu/tianbao/notify"
	"github.com/tianbao-edu/tianbao/planning"
	"github.com/tianbao-edu/tianbao/store"
)

// application is the wired-up core: database, services.
type application struct {
	store    *store.Store
	data     *dataDir // the embedded database, when there is no MONGODB_URI
	auth     *auth.Service
	drives   *drives.Service
	planning *planning.Service
	metrics  *metrics.Metrics
	log      *slog.Logger
}

// open connects to MONGODB_URI, or starts the embedded server (a command
// other than the server, attach, may use the one a running server holds),
// brings the data up to this release's schema and loads the built-in
// indicator catalog.
func open(ctx context.Context, cfg *config, log *slog.Logger, attach bool) (*application, error) {
	a := &application{log: log}
	uri := cfg.MongoURI
	if uri == "" {
		d, err := openDataDir(cfg, log, attach)
		if err != nil {
			return nil, err
		}
		a.data, uri = d, d.uri
	}
	s, err := store.OpenMigrated(ctx, uri, cfg.Database, log)
	if err != nil {
		a.close()
		return nil, err
	}
	a.store = s
	catalog, err := forms.Catalog()
	if err != nil {
		a.close()
		return nil, fmt.Errorf("catalog: %w", err)
	}
	if err := s.LoadBuiltins(ctx, catalog, time.Now()); err != nil {
		a.close()
		return nil, err
	}
	a.auth = auth.New(s, nil)
	a.auth.TokenTTL = cfg.TokenTTL
	a.drives = drives.New(s, nil, cfg.TZ, log)
	a.drives.Sender = notify.NewSender(cfg.TZ)
	a.drives.Sender.Dialable = webhookDialable(cfg.HookNets)
	a.drives.PublicURL = cfg.PublicURL
	a.metrics = metrics.New()
	a.drives.Metrics = a.metrics
	a.planning = &planning.Service{Store: s, Now: time.Now}
	return a, nil
}

func (a *application) close() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if a.store != nil {
		_ = a.store.Close(ctx)
	}
	if a.data != nil {
		a.data.close(ctx)
	}
}

func withApp(ctx context.Context, cfg *config, log *slog.Logger, fn func(*application) error) error {
	a, err := open(ctx, cfg, log, true)
	if err != nil {
		return err
	}
	defer a.close()
	return fn(a)
}

// levelHandler passes on only records at or above its level (the embedded
// server logs every connection at info).
type levelHandler struct {
	level slog.Level
	slog.Handler
}

func (h levelHandler) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= h.level && h.Handler.Enabled(ctx, l)
}

func (h levelHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	return levelHandler{h.level, h.Handler.WithAttrs(attrs)}
}

func (h levelHandler) WithGroup(name string) slog.Handler {
	return levelHandler{h.level, h.Handler.WithGroup(name)}
}

// webhookDialable lets reminders reach public addresses and those of the
// internal networks configured (TIANBAO_WEBHOOK_NETWORKS), nothing else.
func webhookDialable(nets []netip.Prefix) func(netip.Addr) bool {
	return func(a netip.Addr) bool {
		return notify.Public(a) || slices.ContainsFunc(nets, func(p netip.Prefix) bool { return p.Contains(a.Unmap()) })
	}
}
