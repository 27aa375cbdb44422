// Package store keeps Tianbao's data in MongoDB (or the embedded
// MongoDB-compatible server): collections, documents, indexes and queries.
// QUERIES.md lists every query with the index it uses on MongoDB.
//
// One code path serves both servers, shaped by what the embedded one
// (FerretDB 1.24 on SQLite, third_party/ferretdb) does:
//   - only a filter with an _id equality is answered from an index (the
//     carried patch makes the _id index usable at all, and lets an _id
//     equality narrow a filter that says more, such as a version check);
//     any other filter reads the whole collection and decodes every
//     document of it, value by value: 0.2 ms for a small document, 6–8 ms
//     for a whole form's answers. Everything a request reads is therefore
//     found by _id, with scope checked after reading;
//   - findAndModify and replace with a filter are not atomic under
//     concurrency, and there are no transactions: each new version of a
//     submission is claimed by inserting its revision, whose _id is unique,
//     and documents that many writers change (directory and sheet parts)
//     are written by one combiner per document in this process and over
//     the version read (a compare-and-set that MongoDB runs atomically);
//   - creating an index that exists drops the connection, and distinct with
//     maxTimeMS is refused: indexes are created only when missing;
//   - TTL indexes are missing: expired sessions are checked on read and
//     swept periodically;
//   - every command is a transaction of its own with a synced commit:
//     writes that arrive together are grouped into one command (inserter,
//     combiner).
//
// What bureau staff read most — a drive's progress, its received list, a
// workbook, a year's trend — touches every school in their scope. Read
// from the submissions it took minutes at 5,000 schools (one scan per
// district, over submissions with all their values, growing with every
// month of history). The design keeps beside the records what those reads
// need, each in a few documents of one JSON text value, which the embedded
// server reads as fast as a small document:
//   - the directory: the whole org tree, in parts of about a thousand orgs
//     (directory.go). Scope, grouping by the units below the caller's org
//     at any depth, and the expected schools come from it;
//   - a sheet per drive: every school's status, dates and verdicts, in parts
//     of about 200 schools sized when the drive opens (sheet.go). Progress,
//     lists, trends and reminders read it;
//   - answers: one document per school and drive, _id drive|school, its
//     submission as one JSON text (answers.go), which workbooks read
//     school by school, a few ahead.
//
// Each request then costs a score of lookups by _id for the schools in
// its scope, whatever the history holds: no query scans submissions. The
// records stay the truth and stay typed for a bureau's own tools
// (typed.go). Every write of an org or a submission writes its directory
// part, sheet entry and answers too; it notes itself first in the pending
// collection and clears the note when all is written, and the scheduler
// finishes any write left noted for a minute (pending.go), so a crash
// leaves no sheet behind its submissions. The numbers answered are kept
// apart, in the drive's figures, which only trends of a field read.
//
// Each instance keeps the directory and sheet parts it read with their
// versions; a request reads the small version document (directory meta, a
// drive's `drive|versions`) and only the parts that moved on, so it is as
// exact as reading every part, across instances too: every write of a part
// is a compare-and-set on its version, followed by raising the version in
// the version document.
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
	"go.mongodb.org/mongo-driver/v2/mongo/readpref"

	"github.com/tianbao-edu/tianbao/fail"
)

// Store is a connection to one Tianbao database.
type Store struct {
	client *mongo.Client
	db     *mongo.Database
	owned  bool // Close disconnects the client

	inserters sync.Map // collection name → *inserter
	parts     sync.Map // drive id → its number of sheet parts
	forms     sync.Map // form version → *forms.Form
	tree      treeCache
	sheets    sheetCache
	ledgers   ledgerCache

	sheetWrites   atomic.Uint64
	sheetWriter   combiners[Entry]
	figuresWriter combiners[figured]
	answersWriter combiner[answersDoc]
	doneWriter    combiner[string]
}

func newStore(client *mongo.Client, db *mongo.Database, owned bool) *Store {
	s := &Store{client: client, db: db, owned: owned}
	s.sheetWriter.flush = s.flushEntries
	s.figuresWriter.flush = s.flushFigures
	s.answersWriter.flush = s.flushAnswers
	s.doneWriter.flush = s.flushDone
	return s
}

// Open connects to uri, selects the database and creates the indexes.
func Open(ctx context.Context, uri, database string) (*Store, error) {
	s, err := connect(ctx, uri, database)
	if err != nil {
		return nil, err
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = s.client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

// connect connects to uri and selects the database.
func connect(ctx context.Context, uri, database string) (*Store, error) {
	opts := options.Client().ApplyURI(uri).
		SetServerSelectionTimeout(5 * time.Second).
		SetConnectTimeout(5 * time.Second).
		SetRetryWrites(false).
		SetBSONOptions(&options.BSONOptions{DefaultDocumentM: true}).
		SetAppName("tianbao")
	client, err := mongo.Connect(opts)
	if err != nil {
		return nil, fmt.Errorf("store: unable to connect: %w", err)
	}
	s := newStore(client, client.Database(database), true)
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

// Database returns a Store on another database of the same connection, with
// its indexes created; closing it leaves the connection open.
func (s *Store) Database(ctx context.Context, name string) (*Store, error) {
	o := newStore(s.client, s.client.Database(name), false)
	return o, o.ensureIndexes(ctx)
}

// Drop removes the whole database (tests).
func (s *Store) Drop(ctx context.Context) error { return s.db.Drop(ctx) }

// Close disconnects from the server.
func (s *Store) Close(ctx context.Context) error {
	if !s.owned {
		return nil
	}
	return s.client.Disconnect(ctx)
}

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	if err := s.client.Ping(ctx, readpref.Primary()); err != nil {
		return dbErr("ping", err)
	}
	return nil
}

func (s *Store) c(name string) *mongo.Collection { return s.db.Collection(name) }

// insertGrouped inserts one document into a collection written by many
// requests at once (see inserter).
func (s *Store) insertGrouped(ctx context.Context, name string, doc any) error {
	b, ok := s.inserters.Load(name)
	if !ok {
		b, _ = s.inserters.LoadOrStore(name, newInserter(s.c(name)))
	}
	return b.(*inserter).insert(ctx, doc)
}

// dbErr translates a driver error into a coded error with a store prefix.
func dbErr(op string, err error) error {
	if err == nil {
		return nil
	}
	var fe *fail.Error
	if errors.As(err, &fe) {
		return err
	}
	wrapped := fmt.Errorf("store: unable to %s: %w", op, err)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments):
		return fail.Wrap(fail.NotFound, wrapped, "记录不存在", "Not found")
	case mongo.IsDuplicateKeyError(err):
		return fail.Wrap(fail.Conflict, wrapped, "记录已存在", "Already exists")
	case errors.Is(err, context.Canceled):
		return wrapped
	case !mongo.IsNetworkError(err) && !mongo.IsTimeout(err) && (strings.HasPrefix(op, "decode") || errors.As(err, new(mongo.CommandError)) ||
		errors.As(err, new(mongo.WriteException)) || errors.As(err, new(mongo.BulkWriteException))):
		// The server answered and refused: a fault of ours, not of the network.
		return wrapped
	default:
		// Anything else the driver reports (selection timeouts, broken or
		// cleared connections) means the database cannot be reached now.
		e := fail.Wrap(fail.Unavailable, wrapped, "数据库暂时不可用，请稍后重试", "The database is unavailable, please retry shortly")
		e.RetryAfter = 5 * time.Second
		return e
	}
}
