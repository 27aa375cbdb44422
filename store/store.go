// Package store keeps Tianbao's data in MongoDB (or the embedded
// MongoDB-compatible server): collections, documents, indexes and queries.
//
// One code path serves both servers, shaped by what the embedded one
// (FerretDB 1.24 on SQLite) does:
//   - only a filter on _id alone is answered from an index; any other
//     filter reads the whole collection. Hot lookups (sessions, a
//     submission, a school's submission to a drive) are therefore by _id,
//     with scope checked after reading, and the (drive, school) pair has a
//     key document of its own;
//   - findAndModify and replace with a filter are not atomic under
//     concurrency, and there are no transactions: each new version of a
//     submission is claimed by inserting its revision, whose _id is unique;
//   - creating an index that exists drops the connection, and distinct with
//     maxTimeMS is refused: indexes are created only when missing, and
//     distinct runs without a deadline;
//   - TTL indexes are missing: expired sessions are checked on read and
//     swept periodically;
//   - every command is a transaction of its own with a synced commit:
//     inserts of submissions, their keys and revisions from concurrent
//     requests are grouped into one command (see inserter).
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
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
	s := &Store{client: client, db: client.Database(database), owned: true}
	if err := s.Ping(ctx); err != nil {
		_ = client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}

// Database returns a Store on another database of the same connection, with
// its indexes created; closing it leaves the connection open.
func (s *Store) Database(ctx context.Context, name string) (*Store, error) {
	o := &Store{client: s.client, db: s.client.Database(name)}
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
