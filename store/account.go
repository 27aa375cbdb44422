package store

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// SetPassword replaces the password hash of a user under scope (an org on
// its path), clears any lockout and sets whether the password must be
// changed at the next sign-in.
func (s *Store) SetPassword(ctx context.Context, id, scope string, hash []byte, mustChange bool) error {
	return s.updateUser(ctx, id, scope, bson.D{{Key: "passwordHash", Value: hash},
		{Key: "failedLogins", Value: 0}, {Key: "lockedUntil", Value: time.Time{}}, {Key: "mustChangePassword", Value: mustChange}})
}

// UsersByID returns the users with the given ids that exist, keyed by id.
func (s *Store) UsersByID(ctx context.Context, ids []string) (map[string]User, error) {
	out := make(map[string]User, len(ids))
	for start := 0; start < len(ids); start += bulkSize {
		part := ids[start:min(start+bulkSize, len(ids))]
		cur, err := s.c(colUsers).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: part}}}})
		if err != nil {
			return nil, dbErr("find users", err)
		}
		var found []User
		if err := cur.All(ctx, &found); err != nil {
			return nil, dbErr("read users", err)
		}
		for _, u := range found {
			out[u.ID] = u
		}
	}
	return out, nil
}

// InsertUsers creates users, bulkSize at a time, each on its own: a taken
// id or username fails only that user. It returns the ids created.
func (s *Store) InsertUsers(ctx context.Context, users []User) ([]string, error) {
	var created []string
	for start := 0; start < len(users); start += bulkSize {
		part := users[start:min(start+bulkSize, len(users))]
		docs := make([]any, len(part))
		for i := range part {
			docs[i] = &part[i]
		}
		_, err := s.c(colUsers).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		failed := map[int]bool{}
		var bwe mongo.BulkWriteException
		if errors.As(err, &bwe) && bwe.WriteConcernError == nil {
			for _, we := range bwe.WriteErrors {
				if !mongo.IsDuplicateKeyError(we) {
					return created, dbErr("insert users", err)
				}
				failed[we.Index] = true
			}
		} else if err != nil {
			return created, dbErr("insert users", err)
		}
		for i, u := range part {
			if !failed[i] {
				created = append(created, u.ID)
			}
		}
	}
	return created, nil
}
