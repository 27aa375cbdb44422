package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/handlers"
)

func serve(ctx context.Context, cfg *config, log *slog.Logger, stdout io.Writer) error {
	a, err := open(ctx, cfg, log, false)
	if err != nil {
		return err
	}
	defer a.close()
	if a.data != nil && !cfg.NoDemo {
		if err := seedDemo(ctx, a, cfg, stdout, false); err != nil {
			return err
		}
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	ln = handlers.Listener(newDrainingListener(ln, drainQuiet, drainMax))
	app := handlers.New(handlers.Deps{
		Store: a.store, Auth: a.auth, Drives: a.drives, Planning: a.planning, Metrics: a.metrics, Log: log, Web: webFS(),
		BodyLimit: cfg.BodyLimit, CORSOrigins: cfg.CORSOrigins, TrustedProxies: cfg.Proxies,
	})
	bg, stopBackground := context.WithCancel(context.Background())
	defer stopBackground()
	go a.drives.RunScheduler(bg, cfg.Tick)
	go sweepLoop(bg, a, log)

	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	if err := offerSetup(ctx, a, log, stdout, "http://"+displayAddr(ln.Addr())+"/"); err != nil {
		log.Error("first run: no setup token issued", "err", err)
	}
	fmt.Fprintf(stdout, "Tianbao 填报 is listening on http://%s\n", displayAddr(ln.Addr()))
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight")
	if err := app.ShutdownWithTimeout(30 * time.Second); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		log.Warn("shutdown", "err", err)
	}
	stopBackground()
	waitCtx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a.drives.Wait(waitCtx)
	return nil
}

// offerSetup issues and prints a first-run token when the database has no
// bureau yet: whoever holds it sets the bureau up on the web page at url,
// once. (tianbao init does the same from the command line.)
func offerSetup(ctx context.Context, a *application, log *slog.Logger, stdout io.Writer, url string) error {
	needed, err := a.auth.SetupNeeded(ctx)
	if err != nil || !needed {
		return err
	}
	token, err := a.auth.IssueSetupToken(ctx)
	if err != nil {
		return err
	}
	log.Warn("first run: no bureau yet; open the web page and enter the setup token, or run tianbao init", "url", url, "setup_token", token)
	fmt.Fprintf(stdout, "首次设置 First run: open %s and enter the setup token %s (or run: tianbao init)\n", url, token)
	return nil
}

func displayAddr(addr net.Addr) string {
	tcp, ok := addr.(*net.TCPAddr)
	if ok && (tcp.IP == nil || tcp.IP.IsUnspecified()) {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return addr.String()
}

// exportsKept is how long a finished export stays to be downloaded.
const exportsKept = 24 * time.Hour

func sweepLoop(ctx context.Context, a *application, log *slog.Logger) {
	t := time.NewTicker(10 * time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			sweep(ctx, a, log, time.Now())
		}
	}
}

// sweep removes what has outlived its use: expired sessions (the embedded
// server has no TTL indexes), export files older than exportsKept and
// counted sign-in attempts older than auth.AttemptsKept.
func sweep(ctx context.Context, a *application, log *slog.Logger, now time.Time) {
	if n, err := a.store.SweepSessions(ctx, now); err != nil {
		log.Warn("session sweep failed", "err", err)
	} else if n > 0 {
		log.Info("expired sessions removed", "count", n)
	}
	if err := a.store.DeleteExportsBefore(ctx, now.Add(-exportsKept)); err != nil {
		log.Warn("export sweep failed", "err", err)
	}
	if _, err := a.store.SweepAttempts(ctx, now.Add(-auth.AttemptsKept)); err != nil {
		log.Warn("attempt sweep failed", "err", err)
	}
}

// healthcheck asks the local server's /healthz (for container health checks).
func healthcheck(addr string) error {
	_, port, err := net.SplitHostPort(addr)
	if err != nil {
		return err
	}
	client := &http.Client{Timeout: 3 * time.Second}
	resp, err := client.Get("http://127.0.0.1:" + port + "/healthz")
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("healthz answered %s", resp.Status)
	}
	return nil
}
