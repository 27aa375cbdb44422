// Copyright 2021 FerretDB Inc.
//
// Licensed under the Apache License, Version 2.0 (the "License");
// you may not use this file except in compliance with the License.
// You may obtain a copy of the License at
//
//     http://www.apache.org/licenses/LICENSE-2.0
//
// Unless required by applicable law or agreed to in writing, software
// distributed under the License is distributed on an "AS IS" BASIS,
// WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
// See the License for the specific language governing permissions and
// limitations under the License.

package sqlite

import (
	"context"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/internal/util/fsql"
	"github.com/FerretDB/FerretDB/internal/util/lazyerrors"
)

// Writes to one database that arrive while another is being committed go
// together in the next transaction (group commit): SQLite writes one
// transaction at a time and syncs its log at each commit, so writers that
// come together would otherwise wait for one sync each, in turn. Each
// write runs in a savepoint of its own, so one that fails (a duplicate
// _id) is rolled back alone, and each is answered only once the commit
// that holds it is done.

// groupMax is the most writes one transaction carries.
const groupMax = 256

// groupTimeout bounds one grouped transaction.
const groupTimeout = 30 * time.Second

type groupWriter struct {
	db *fsql.DB

	mu    sync.Mutex
	queue []*groupWrite
	busy  bool
}

type groupWrite struct {
	f    func(ctx context.Context, tx *fsql.Tx) error
	done chan error // buffered: the writer never waits for a gone caller
}

// writers holds the group writer of each open database.
var writers sync.Map // *fsql.DB → *groupWriter

// inWriteTransaction runs f in a transaction shared with the writes that
// arrive with it, and returns f's own outcome or the commit's. f gets a
// context that is never canceled: a statement interrupted inside a shared
// transaction would roll all of it back. When ctx ends first, f may still
// be committed, as with any write whose answer is lost.
func inWriteTransaction(ctx context.Context, db *fsql.DB, f func(ctx context.Context, tx *fsql.Tx) error) error {
	v, _ := writers.LoadOrStore(db, &groupWriter{db: db})
	w := v.(*groupWriter)

	job := &groupWrite{f: f, done: make(chan error, 1)}

	w.mu.Lock()
	w.queue = append(w.queue, job)

	if !w.busy {
		w.busy = true
		go w.drain()
	}
	w.mu.Unlock()

	select {
	case err := <-job.done:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drain commits the queue in groups until it is empty.
func (w *groupWriter) drain() {
	for {
		w.mu.Lock()

		n := min(len(w.queue), groupMax)
		if n == 0 {
			w.busy, w.queue = false, nil
			w.mu.Unlock()

			return
		}

		group := w.queue[:n:n]
		w.queue = w.queue[n:]
		w.mu.Unlock()

		w.commit(group)
	}
}

func (w *groupWriter) commit(group []*groupWrite) {
	ctx, cancel := context.WithTimeout(context.Background(), groupTimeout)
	defer cancel()

	errs := make([]error, len(group))

	err := w.db.InTransaction(ctx, func(tx *fsql.Tx) error {
		for i, job := range group {
			if _, err := tx.ExecContext(ctx, "SAVEPOINT w"); err != nil {
				return lazyerrors.Error(err)
			}

			if errs[i] = job.f(ctx, tx); errs[i] != nil {
				if _, err := tx.ExecContext(ctx, "ROLLBACK TO w"); err != nil {
					return lazyerrors.Error(err)
				}
			}

			if _, err := tx.ExecContext(ctx, "RELEASE w"); err != nil {
				return lazyerrors.Error(err)
			}
		}

		return nil
	})

	for i, job := range group {
		if err != nil {
			job.done <- err
		} else {
			job.done <- errs[i]
		}
	}
}
