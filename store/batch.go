package store

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// batchMax is the most documents one grouped insert carries.
const batchMax = 64

// batchTimeout bounds one grouped insert, whoever is waiting for it.
const batchTimeout = 30 * time.Second

// inserter groups the single-document inserts of concurrent requests into
// one insert command. The embedded server commits each command in one
// transaction, so fifty submissions arriving together in a drive's last
// evening cost one commit instead of fifty. Nothing waits for company: an
// insert goes out at once when none is in flight, and the ones that arrive
// meanwhile go together in the next command. Each document keeps its own
// outcome (a duplicate _id fails only that document).
type inserter struct {
	coll *mongo.Collection

	mu    sync.Mutex
	queue []*pendingInsert
	busy  bool
}

type pendingInsert struct {
	doc  bson.Raw
	done chan error // buffered: the sender never waits for a gone caller
}

func newInserter(coll *mongo.Collection) *inserter { return &inserter{coll: coll} }

// insert stores doc and returns its own outcome: nil, a write error for
// this document alone (a duplicate _id), or the error of the whole command.
// When ctx ends first the document may still be stored, as with any write
// whose answer is lost.
func (b *inserter) insert(ctx context.Context, doc any) error {
	raw, err := bson.Marshal(doc)
	if err != nil {
		return fmt.Errorf("store: unable to encode %s document: %w", b.coll.Name(), err)
	}
	p := &pendingInsert{doc: raw, done: make(chan error, 1)}
	b.mu.Lock()
	b.queue = append(b.queue, p)
	if !b.busy {
		b.busy = true
		go b.drain()
	}
	b.mu.Unlock()
	select {
	case err := <-p.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain sends the queue in groups until it is empty.
func (b *inserter) drain() {
	for {
		b.mu.Lock()
		n := min(len(b.queue), batchMax)
		if n == 0 {
			b.busy, b.queue = false, nil
			b.mu.Unlock()
			return
		}
		group := b.queue[:n:n]
		b.queue = b.queue[n:]
		b.mu.Unlock()
		b.send(group)
	}
}

func (b *inserter) send(group []*pendingInsert) {
	docs := make([]any, len(group))
	for i, p := range group {
		docs[i] = p.doc
	}
	ctx, cancel := context.WithTimeout(context.Background(), batchTimeout)
	defer cancel()
	_, err := b.coll.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		for _, p := range group {
			p.done <- nil
		}
		return
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		for _, p := range group {
			p.done <- err
		}
		return
	}
	failed := make(map[int]mongo.WriteError, len(bwe.WriteErrors))
	for _, we := range bwe.WriteErrors {
		failed[we.Index] = we.WriteError
	}
	for i, p := range group {
		if we, ok := failed[i]; ok {
			p.done <- mongo.WriteException{WriteErrors: []mongo.WriteError{we}}
		} else {
			p.done <- nil
		}
	}
}
