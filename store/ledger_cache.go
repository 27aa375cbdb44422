package store

import "sync"

// ledgerCache keeps the ledgers this Store last read or wrote, as stored
// (version, JSON text and the ids in its archive), so that a report's write does not read again
// the ledger its validation read a moment before. It is only a starting
// point: the write is made over the version it holds, and a version that
// moved on (another instance wrote) is read afresh. Reads for anyone to
// see always go to the database.
type ledgerCache struct {
	mu    sync.Mutex
	m     map[string]cachedLedger
	bytes int
}

type cachedLedger struct {
	v        int
	text     []byte
	archived []string
}

// ledgerCacheBytes bounds the texts kept; past it the cache starts over.
const ledgerCacheBytes = 8 << 20

func (c *ledgerCache) get(school string) (cachedLedger, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	l, ok := c.m[school]
	return l, ok
}

func (c *ledgerCache) put(school string, v int, text []byte, archived []string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if old, ok := c.m[school]; ok {
		if old.v > v {
			return
		}
		c.bytes -= len(old.text)
	}
	if c.m == nil || c.bytes+len(text) > ledgerCacheBytes {
		c.m, c.bytes = map[string]cachedLedger{}, 0
	}
	c.m[school] = cachedLedger{v: v, text: text, archived: archived}
	c.bytes += len(text)
}
