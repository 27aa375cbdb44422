package store

import (
	"context"
	"sync"
)

// combiner joins the writes to one document (or collection) that arrive
// while one is in flight into the next: each write of the embedded
// server is a transaction with a synced commit, and the schools of a
// drive's last evening all write to its few sheet parts. Every caller
// gets the outcome of the write that carried its item.
type combiner[T any] struct {
	flush func(ctx context.Context, items []T) error

	mu    sync.Mutex
	queue []*combined[T]
	busy  bool
}

type combined[T any] struct {
	item T
	done chan error // buffered: the flusher never waits for a gone caller
}

// do hands item to the next write and waits for its outcome. When ctx
// ends first the item may still be written, as with any write whose
// answer is lost.
func (c *combiner[T]) do(ctx context.Context, item T) error {
	p := &combined[T]{item: item, done: make(chan error, 1)}
	c.mu.Lock()
	c.queue = append(c.queue, p)
	if !c.busy {
		c.busy = true
		go c.drain()
	}
	c.mu.Unlock()
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *combiner[T]) drain() {
	for {
		c.mu.Lock()
		n := min(len(c.queue), batchMax)
		if n == 0 {
			c.busy, c.queue = false, nil
			c.mu.Unlock()
			return
		}
		group := c.queue[:n:n]
		c.queue = c.queue[n:]
		c.mu.Unlock()
		items := make([]T, n)
		for i, p := range group {
			items[i] = p.item
		}
		ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
		err := c.flush(ctx, items)
		cancel()
		for _, p := range group {
			p.done <- err
		}
	}
}

// combiners holds a combiner per key (a sheet part's _id, say).
type combiners[T any] struct {
	m     sync.Map // key → *combiner[T]
	flush func(ctx context.Context, key string, items []T) error
}

func (cs *combiners[T]) do(ctx context.Context, key string, item T) error {
	c, ok := cs.m.Load(key)
	if !ok {
		c, _ = cs.m.LoadOrStore(key, &combiner[T]{flush: func(ctx context.Context, items []T) error {
			return cs.flush(ctx, key, items)
		}})
	}
	return c.(*combiner[T]).do(ctx, item)
}
