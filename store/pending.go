package store

import (
	"context"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/tianbao-edu/tianbao/fail"
)

const colPending = "pending"

// A write that touches more than one document (a submission with its
// sheet entry and answers, an org with its directory part) first notes
// what it is about in the pending collection and removes the note when
// every document is written. A write cut short (a crash, a lost
// connection) leaves its note; Mend finishes it from the record it
// touched first. The collection holds only writes in flight, a handful,
// so reading it whole is cheap.
type pendingNote struct {
	ID string    `bson:"_id"` // kind|id
	At time.Time `bson:"at"`
}

const (
	pendingOrg        = "org"  // one org: its directory part
	pendingTree       = "tree" // a batch of orgs: the whole directory
	pendingSubmission = "sub"  // a submission: its sheet entry, answers and hazard ledger
	pendingHazards    = "haz"  // a submission's hazard ledger alone, as releases before this one noted it
)

func (s *Store) intend(ctx context.Context, kind, id string) error {
	err := s.insertGrouped(ctx, colPending, pendingNote{ID: kind + "|" + id, At: time.Now().UTC()})
	if mongo.IsDuplicateKeyError(err) {
		return nil // noted by a write of it that has not finished: one note does for both
	}
	return dbErr("note a write", err)
}

func (s *Store) done(ctx context.Context, kind, id string) error {
	return s.doneWriter.do(context.WithoutCancel(ctx), kind+"|"+id)
}

// flushDone removes the notes of finished writes, those that finished
// together in one command.
func (s *Store) flushDone(ctx context.Context, ids []string) error {
	_, err := s.c(colPending).DeleteMany(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	return dbErr("clear writes' notes", err)
}

// Mend finishes the writes noted before since and never cleared: the
// directory part of an org, the submission a revision got ahead of, a
// submission's sheet entry and answers, and its school's hazard ledger.
// It returns how many it finished.
func (s *Store) Mend(ctx context.Context, since time.Time) (int, error) {
	cur, err := s.c(colPending).Find(ctx, bson.D{})
	if err != nil {
		return 0, dbErr("read pending writes", err)
	}
	var notes []pendingNote
	if err := cur.All(ctx, &notes); err != nil {
		return 0, dbErr("read pending writes", err)
	}
	n := 0
	for _, note := range notes {
		if note.At.After(since) {
			continue // still being written
		}
		kind, id, _ := strings.Cut(note.ID, "|")
		switch kind {
		case pendingOrg:
			o, err := s.Org(ctx, id)
			if err == nil {
				err = s.putDirectory(ctx, o)
			}
			if err != nil && !fail.Is(err, fail.NotFound) {
				return n, err
			}
		case pendingTree:
			if err := s.RebuildDirectory(ctx); err != nil {
				return n, err
			}
		case pendingSubmission:
			if err := s.mendSubmission(ctx, id); err != nil && !fail.Is(err, fail.NotFound) {
				return n, err
			}
		case pendingHazards:
			if err := s.mendHazards(ctx, id); err != nil && !fail.Is(err, fail.NotFound) {
				return n, err
			}
		}
		if err := s.done(ctx, kind, id); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
