package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Roles, highest first.
const (
	RoleAdmin    = "admin"
	RoleDistrict = "district"
	RoleSchool   = "school"
	RoleViewer   = "viewer"
)

// User is an account. OrgPath is the path of its org (the scope it sees).
type User struct {
	ID           string    `json:"id" bson:"_id"`
	Username     string    `json:"username" bson:"username"`
	Name         string    `json:"name" bson:"name"`
	Role         string    `json:"role" bson:"role"`
	Org          string    `json:"org" bson:"org"`
	OrgPath      []string  `json:"-" bson:"orgPath"`
	PasswordHash []byte    `json:"-" bson:"passwordHash"`
	Disabled     bool      `json:"disabled" bson:"disabled"`
	CreatedAt    time.Time `json:"createdAt" bson:"createdAt"`
	// MustChangePassword is set while the account has a password someone
	// else chose (created, reset, first run): it must be changed before
	// anything else.
	MustChangePassword bool `json:"mustChangePassword" bson:"mustChangePassword,omitempty"`
}

// InsertUser creates a user; a taken username is a Conflict.
func (s *Store) InsertUser(ctx context.Context, u *User) error {
	_, err := s.c(colUsers).InsertOne(ctx, u)
	return dbErr("insert user", err)
}

// UserByName returns the user with that username, which is also its _id
// (every account is created so). It reads by _id without a limit: the
// embedded server scans for any filter, and stopping at the first match
// would answer sooner for a name that exists than for one that does not,
// telling a guesser which names are real. It reads a whole scan either way;
// MongoDB answers from the _id index either way.
func (s *Store) UserByName(ctx context.Context, username string) (*User, error) {
	cur, err := s.c(colUsers).Find(ctx, bson.D{{Key: "_id", Value: username}})
	if err != nil {
		return nil, dbErr("find user", err)
	}
	var found []User
	if err := cur.All(ctx, &found); err != nil {
		return nil, dbErr("read user", err)
	}
	for i := range found {
		if found[i].Username == username {
			return &found[i], nil
		}
	}
	return nil, dbErr("find user", mongo.ErrNoDocuments)
}

// User returns the user with that id.
func (s *Store) User(ctx context.Context, id string) (*User, error) {
	return s.findUser(ctx, bson.D{{Key: "_id", Value: id}})
}

func (s *Store) findUser(ctx context.Context, q bson.D) (*User, error) {
	var u User
	if err := s.c(colUsers).FindOne(ctx, q).Decode(&u); err != nil {
		return nil, dbErr("find user", err)
	}
	return &u, nil
}

// CountUsers counts all users.
func (s *Store) CountUsers(ctx context.Context) (int64, error) {
	n, err := s.c(colUsers).CountDocuments(ctx, bson.D{})
	return n, dbErr("count users", err)
}

// UserFilter selects users under an org.
type UserFilter struct {
	Under string
	Role  string
}

// Users lists the users whose org lies under f.Under, by username.
func (s *Store) Users(ctx context.Context, f UserFilter) ([]User, error) {
	q := bson.D{{Key: "orgPath", Value: f.Under}}
	if f.Role != "" {
		q = append(q, bson.E{Key: "role", Value: f.Role})
	}
	cur, err := s.c(colUsers).Find(ctx, q, options.Find().SetSort(bson.D{{Key: "username", Value: 1}}).
		SetProjection(bson.D{{Key: "passwordHash", Value: 0}}))
	if err != nil {
		return nil, dbErr("list users", err)
	}
	var out []User
	return out, dbErr("read users", cur.All(ctx, &out))
}

// SetUserDisabled disables or enables a user under scope (an org on its path).
func (s *Store) SetUserDisabled(ctx context.Context, id, scope string, disabled bool) error {
	return s.updateUser(ctx, id, scope, bson.D{{Key: "disabled", Value: disabled}})
}

// SetUserPassword replaces a user's password hash.
func (s *Store) SetUserPassword(ctx context.Context, id, scope string, hash []byte) error {
	return s.updateUser(ctx, id, scope, bson.D{{Key: "passwordHash", Value: hash}})
}

func (s *Store) updateUser(ctx context.Context, id, scope string, set bson.D) error {
	res, err := s.c(colUsers).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "orgPath", Value: scope}},
		bson.D{{Key: "$set", Value: set}})
	if err == nil && res.MatchedCount == 0 {
		err = mongo.ErrNoDocuments
	}
	return dbErr("update user", err)
}
