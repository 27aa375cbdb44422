package store

import (
	"context"
	"errors"
	"strconv"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/fail"
)

// Collections of counted attempts (see ClaimAttempt).
const (
	colAttempts     = "attempts"     // the attempts that count, _id key/n
	colAttemptHeads = "attemptHeads" // where a key's numbers have got to, _id key
)

// Attempt is one claimed password check of a counter (a user from an
// address, a user from anywhere, ...): the n-th of its key, when it was
// claimed and the failures that counted once it was (itself included).
type Attempt struct {
	ID    string    `bson:"_id"`
	Key   string    `bson:"key"`
	User  string    `bson:"user"` // an opaque tag of the account, to clear its counters
	N     int64     `bson:"n"`
	At    time.Time `bson:"at"`
	Fails int       `bson:"fails"`
}

// AttemptRule decides, from the latest attempt of a key (nil when there is
// none), how many failures the next one carries and how long it must wait
// first; a wait above zero refuses it.
type AttemptRule func(last *Attempt) (fails int, wait time.Duration)

// maxClaimRounds bounds the attempts lost to concurrent claimers of one key
// before a claim gives up.
const maxClaimRounds = 100

// ClaimAttempt claims the next attempt of key for user at now, if rule lets
// it: it returns the attempt, or the wait rule imposed and no attempt.
//
// Attempts are numbered per key and an attempt is claimed by inserting its
// document, whose _id (key/n) is unique: of concurrent claimers of one
// number exactly one wins, on the embedded server (where findAndModify and
// updates with a filter are not atomic) and on MongoDB shared by many app
// instances alike. A loser reads the winner's attempt and asks rule again,
// so no more attempts get through than rule allows. Concurrent sign-ins
// share one insert command. (A lock per key in the process with $inc would
// hold within one instance only, and a conditional update cannot stand in
// for it on the embedded server; a unique insert holds everywhere.)
//
// An attempt that stops counting (SettleAttempt with no failures: the usual
// right password) is deleted, so the collections hold failures and little
// else, and a key whose attempts all settled starts again at 1 without a
// head. The head, written from the second attempt of a run on, only says
// which number to start from; when it lags, the taken numbers say so.
func (s *Store) ClaimAttempt(ctx context.Context, key, user string, now time.Time, rule AttemptRule) (*Attempt, time.Duration, error) {
	var head Attempt
	err := s.c(colAttemptHeads).FindOne(ctx, bson.D{{Key: "_id", Value: key}}).Decode(&head)
	if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
		return nil, 0, dbErr("find attempt head", err)
	}
	n := head.N
	last, err := s.attempt(ctx, key, n)
	if err != nil {
		return nil, 0, err
	}
	for range maxClaimRounds {
		fails, wait := rule(last)
		if wait > 0 {
			return nil, wait, nil
		}
		n++
		a := &Attempt{ID: attemptID(key, n), Key: key, User: user, N: n, At: now, Fails: fails}
		err := s.insertGrouped(ctx, colAttempts, a)
		if err == nil {
			if n > 1 {
				s.moveHead(ctx, a)
			}
			return a, 0, nil
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, 0, dbErr("claim attempt", err)
		}
		if last, err = s.attempt(ctx, key, n); err != nil {
			return nil, 0, err
		}
	}
	e := fail.New(fail.TooMany, "尝试过于频繁，请稍后再试", "Too many attempts, try again later")
	e.RetryAfter = time.Second
	return nil, 0, e
}

// attempt returns the n-th attempt of key, nil when there is none (n is 0,
// or it was swept).
func (s *Store) attempt(ctx context.Context, key string, n int64) (*Attempt, error) {
	if n == 0 {
		return nil, nil
	}
	var a Attempt
	err := s.c(colAttempts).FindOne(ctx, bson.D{{Key: "_id", Value: attemptID(key, n)}}).Decode(&a)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return nil, nil
	}
	if err != nil {
		return nil, dbErr("find attempt", err)
	}
	return &a, nil
}

// moveHead points a key's head at its attempt a unless a later one is
// there. The filter is the _id alone, which the embedded server leaves to
// SQLite instead of decoding every document. The head is a hint (a lost
// race may leave it behind, which the next claim corrects), so it fails
// silently.
func (s *Store) moveHead(ctx context.Context, a *Attempt) {
	_, _ = s.c(colAttemptHeads).UpdateOne(ctx, bson.D{{Key: "_id", Value: a.Key}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "n", Value: a.N}, {Key: "at", Value: a.At}}},
			{Key: "$set", Value: bson.D{{Key: "user", Value: a.User}}}},
		options.UpdateOne().SetUpsert(true))
}

// SettleAttempt sets the failures an attempt carries once its password
// proved right or went unchecked; with none left it is deleted.
func (s *Store) SettleAttempt(ctx context.Context, a *Attempt, fails int) error {
	id := bson.D{{Key: "_id", Value: a.ID}}
	if fails <= 0 {
		_, err := s.c(colAttempts).DeleteOne(ctx, id)
		return dbErr("settle attempt", err)
	}
	_, err := s.c(colAttempts).UpdateOne(ctx, id, bson.D{{Key: "$set", Value: bson.D{{Key: "fails", Value: fails}}}})
	return dbErr("settle attempt", err)
}

// ClearAttempts forgets every attempt of a user (after a new password is
// set): its counters start again from nothing.
func (s *Store) ClearAttempts(ctx context.Context, user string) error {
	q := bson.D{{Key: "user", Value: user}}
	if _, err := s.c(colAttempts).DeleteMany(ctx, q); err != nil {
		return dbErr("clear attempts", err)
	}
	_, err := s.c(colAttemptHeads).DeleteMany(ctx, q)
	return dbErr("clear attempt heads", err)
}

// SweepAttempts deletes the attempts claimed before a time, and the heads
// of keys whose latest attempt is older.
func (s *Store) SweepAttempts(ctx context.Context, before time.Time) (int64, error) {
	q := bson.D{{Key: "at", Value: bson.D{{Key: "$lt", Value: before}}}}
	res, err := s.c(colAttempts).DeleteMany(ctx, q)
	if err != nil {
		return 0, dbErr("sweep attempts", err)
	}
	if _, err := s.c(colAttemptHeads).DeleteMany(ctx, q); err != nil {
		return 0, dbErr("sweep attempt heads", err)
	}
	return res.DeletedCount, nil
}

func attemptID(key string, n int64) string { return key + "/" + strconv.FormatInt(n, 10) }
