package auth

import (
	"sync"
	"time"
)

// limiter allows n attempts per window per key (a fixed window, enough to
// slow password guessing from one address).
type limiter struct {
	mu     sync.Mutex
	n      int
	window time.Duration
	now    func() time.Time
	seen   map[string]*bucket
}

type bucket struct {
	start time.Time
	count int
}

func newLimiter(n int, window time.Duration, now func() time.Time) *limiter {
	return &limiter{n: n, window: window, now: now, seen: map[string]*bucket{}}
}

// take counts one attempt and returns how long to wait when over the limit.
func (l *limiter) take(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.now()
	if len(l.seen) > 10000 {
		for k, b := range l.seen {
			if now.Sub(b.start) >= l.window {
				delete(l.seen, k)
			}
		}
	}
	b, ok := l.seen[key]
	if !ok || now.Sub(b.start) >= l.window {
		l.seen[key] = &bucket{start: now, count: 1}
		return 0
	}
	if b.count >= l.n {
		return b.start.Add(l.window).Sub(now)
	}
	b.count++
	return 0
}

// waiting returns how long key must wait before its next attempt, without
// counting one.
func (l *limiter) waiting(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.seen[key]
	if !ok || l.now().Sub(b.start) >= l.window || b.count < l.n {
		return 0
	}
	return b.start.Add(l.window).Sub(l.now())
}
