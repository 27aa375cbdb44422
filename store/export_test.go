package store

import (
	"context"

	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Inserter exposes the insert grouping to the tests of package store_test.
type Inserter struct{ b *inserter }

func NewInserter(coll *mongo.Collection) Inserter { return Inserter{newInserter(coll)} }

func (i Inserter) Insert(ctx context.Context, doc any) error { return i.b.insert(ctx, doc) }

// Hold makes the inserter act as if a command were in flight, so that
// inserts queue up until Release.
func (i Inserter) Hold() { i.b.mu.Lock(); i.b.busy = true; i.b.mu.Unlock() }

func (i Inserter) Queued() int { i.b.mu.Lock(); defer i.b.mu.Unlock(); return len(i.b.queue) }

func (i Inserter) Release() { go i.b.drain() }

// ChunkSize is the size of the pieces an export file is stored in.
const ChunkSize = chunkSize

// WriteBoardAs writes a school's open hazards into the board as a writer
// that read its ledger at version v, holding hs, would.
func (s *Store) WriteBoardAs(ctx context.Context, school string, v int, hs []Hazard) error {
	return s.writeBoard(ctx, school, v, openOf(hs))
}
