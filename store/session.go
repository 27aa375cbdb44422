package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Session is a signed-in token, stored by the hash of the token only.
type Session struct {
	Hash      string    `bson:"_id"`
	User      string    `bson:"user"`
	CreatedAt time.Time `bson:"createdAt"`
	ExpiresAt time.Time `bson:"expiresAt"`
}

// InsertSession stores a new session.
func (s *Store) InsertSession(ctx context.Context, sess *Session) error {
	_, err := s.c(colSessions).InsertOne(ctx, sess)
	return dbErr("insert session", err)
}

// Session returns the session with that token hash if it has not expired at now.
func (s *Store) Session(ctx context.Context, hash string, now time.Time) (*Session, error) {
	// Found by _id alone, the one lookup the embedded server answers from
	// its index; expiry is checked here.
	var sess Session
	if err := s.c(colSessions).FindOne(ctx, bson.D{{Key: "_id", Value: hash}}).Decode(&sess); err != nil {
		return nil, dbErr("find session", err)
	}
	if !now.Before(sess.ExpiresAt) {
		return nil, dbErr("find session", mongo.ErrNoDocuments)
	}
	return &sess, nil
}

// DeleteSession removes one session.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.c(colSessions).DeleteOne(ctx, bson.D{{Key: "_id", Value: hash}})
	return dbErr("delete session", err)
}

// DeleteUserSessions removes every session of a user except keep.
func (s *Store) DeleteUserSessions(ctx context.Context, user, keep string) error {
	_, err := s.c(colSessions).DeleteMany(ctx, bson.D{{Key: "user", Value: user}, {Key: "_id", Value: bson.D{{Key: "$ne", Value: keep}}}})
	return dbErr("delete sessions", err)
}

// SweepSessions deletes sessions expired at now (the embedded server has no TTL indexes).
func (s *Store) SweepSessions(ctx context.Context, now time.Time) (int64, error) {
	res, err := s.c(colSessions).DeleteMany(ctx, bson.D{{Key: "expiresAt", Value: bson.D{{Key: "$lte", Value: now}}}})
	if err != nil {
		return 0, dbErr("sweep sessions", err)
	}
	return res.DeletedCount, nil
}
