package store

import (
	"strings"
	"sync"
	"time"
)

// Cache keeps values for a short time, sparing the database repeated
// reads of things that rarely change (a signed-in user, a school, a drive)
// while a drive's last evening brings thousands of requests a minute.
// Another instance's change shows here within the time to live.
type Cache[V any] struct {
	mu    sync.Mutex
	ttl   time.Duration
	max   int
	now   func() time.Time
	items map[string]cached[V]
}

type cached[V any] struct {
	v       V
	expires time.Time
}

// NewCache returns a cache of at most max values kept for ttl.
func NewCache[V any](ttl time.Duration, max int, now func() time.Time) *Cache[V] {
	if now == nil {
		now = time.Now
	}
	return &Cache[V]{ttl: ttl, max: max, now: now, items: map[string]cached[V]{}}
}

// Get returns the value of key unless it has expired.
func (c *Cache[V]) Get(key string) (V, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	it, ok := c.items[key]
	if !ok || !c.now().Before(it.expires) {
		var zero V
		return zero, false
	}
	return it.v, true
}

// Put keeps a value, dropping expired ones (or all) when full.
func (c *Cache[V]) Put(key string, v V) {
	c.mu.Lock()
	defer c.mu.Unlock()
	now := c.now()
	if len(c.items) >= c.max {
		for k, it := range c.items {
			if !now.Before(it.expires) {
				delete(c.items, k)
			}
		}
		if len(c.items) >= c.max {
			clear(c.items)
		}
	}
	// The key is copied: it may come from a request buffer that is reused.
	c.items[strings.Clone(key)] = cached[V]{v: v, expires: now.Add(c.ttl)}
}

// Forget drops a key (after this instance changed it).
func (c *Cache[V]) Forget(key string) {
	c.mu.Lock()
	delete(c.items, key)
	c.mu.Unlock()
}

// Clear drops everything.
func (c *Cache[V]) Clear() {
	c.mu.Lock()
	clear(c.items)
	c.mu.Unlock()
}
