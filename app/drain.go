package main

import (
	"errors"
	"net"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// A stopping server accepts connections until none has arrived for
// drainQuiet, and for drainMax at most.
const (
	drainQuiet = 250 * time.Millisecond
	drainMax   = 2 * time.Second
)

// deadliner is a listener whose Accept can be given a deadline
// (*net.TCPListener, *net.UnixListener).
type deadliner interface {
	net.Listener
	SetDeadline(time.Time) error
}

// drainingListener closes gently. Closing a listening socket resets every
// connection the kernel has completed but the server has not yet accepted:
// a phone that sent its report a moment before the shutdown would see it
// cut. Close instead lets Accept go on until no connection has arrived for
// a short window, and only then closes the socket; the server answers what
// it accepted (one request each, as it is stopping).
type drainingListener struct {
	deadliner
	quiet    time.Duration
	max      time.Duration
	draining atomic.Bool
	once     sync.Once
	closeErr error
}

func newDrainingListener(ln net.Listener, quiet, max time.Duration) net.Listener {
	d, ok := ln.(deadliner)
	if !ok {
		return ln
	}
	return &drainingListener{deadliner: d, quiet: quiet, max: max}
}

func (l *drainingListener) Accept() (net.Conn, error) {
	c, err := l.deadliner.Accept()
	if !l.draining.Load() {
		return c, err
	}
	if errors.Is(err, os.ErrDeadlineExceeded) {
		l.closeNow()
		return nil, net.ErrClosed
	}
	if err == nil {
		_ = l.deadliner.SetDeadline(time.Now().Add(l.quiet))
	}
	return c, err
}

// Close starts the drain and returns; the serving loop's Accept closes the
// socket once the drain is quiet, a timer when it has lasted drainMax (or
// no loop is accepting).
func (l *drainingListener) Close() error {
	if !l.draining.CompareAndSwap(false, true) {
		return nil
	}
	if err := l.deadliner.SetDeadline(time.Now().Add(l.quiet)); err != nil {
		l.closeNow()
		return l.closeErr
	}
	time.AfterFunc(l.max, l.closeNow)
	return nil
}

func (l *drainingListener) closeNow() {
	l.once.Do(func() { l.closeErr = l.deadliner.Close() })
}
