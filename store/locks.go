package store

import (
	"hash/fnv"
	"sync"
)

// stripes orders this instance's read-modify-writes of one document (a
// directory or sheet part, a school's answers): the embedded server runs
// a filtered update as a read and a write that others may come between.
// Across instances (MongoDB, where such an update is atomic) each write
// is made over the version it read. A caller holds one stripe at a time:
// two keys may share a stripe, and two callers holding one each while
// waiting for the other's would wait for ever.
type stripes [64]sync.Mutex

func (s *stripes) lock(key string) func() {
	h := fnv.New32a()
	h.Write([]byte(key))
	m := &s[h.Sum32()%uint32(len(s))]
	m.Lock()
	return m.Unlock
}

// locks are shared by every Store of the process: two of them on one
// database must not write the same document at once either.
var locks stripes
