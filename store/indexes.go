package store

import (
	"context"
	"fmt"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Collection names.
const (
	colOrgs           = "orgs"
	colUsers          = "users"
	colSessions       = "sessions"
	colIndicators     = "indicators"
	colPlans          = "plans"
	colForms          = "forms"
	colSchedules      = "schedules"
	colDrives         = "drives"
	colSubmissions    = "submissions"
	colRevisions      = "revisions"
	colAudit          = "audit"
	colReminders      = "reminders"
	colExports        = "exports"
	colSubmissionKeys = "submissionKeys"
)

func (s *Store) ensureIndexes(ctx context.Context) error {
	unique := func(keys bson.D) mongo.IndexModel {
		return mongo.IndexModel{Keys: keys, Options: options.Index().SetUnique(true)}
	}
	plain := func(keys bson.D) mongo.IndexModel { return mongo.IndexModel{Keys: keys} }
	all := map[string][]mongo.IndexModel{
		colOrgs:         {plain(bson.D{{Key: "path", Value: 1}}), plain(bson.D{{Key: "kind", Value: 1}, {Key: "_id", Value: 1}})},
		colUsers:        {unique(bson.D{{Key: "username", Value: 1}}), plain(bson.D{{Key: "orgPath", Value: 1}, {Key: "username", Value: 1}})},
		colSessions:     {plain(bson.D{{Key: "user", Value: 1}}), plain(bson.D{{Key: "expiresAt", Value: 1}})},
		colDrives:       {plain(bson.D{{Key: "schedule", Value: 1}, {Key: "period", Value: 1}}), plain(bson.D{{Key: "closesAt", Value: 1}})},
		colSubmissions:  {unique(bson.D{{Key: "drive", Value: 1}, {Key: "school", Value: 1}})},
		colAudit:        {plain(bson.D{{Key: "at", Value: -1}})},
		colWebhooks:     {plain(bson.D{{Key: "orgPath", Value: 1}})},
		colReminders:    {plain(bson.D{{Key: "drive", Value: 1}, {Key: "orgPath", Value: 1}})},
		colExports:      {plain(bson.D{{Key: "updatedAt", Value: 1}}), plain(bson.D{{Key: "user", Value: 1}, {Key: "drive", Value: 1}, {Key: "status", Value: 1}})},
		colExportChunks: {plain(bson.D{{Key: "job", Value: 1}, {Key: "n", Value: 1}})},
		colAttempts:     {plain(bson.D{{Key: "user", Value: 1}}), plain(bson.D{{Key: "at", Value: 1}})},
		colAttemptHeads: {plain(bson.D{{Key: "user", Value: 1}}), plain(bson.D{{Key: "at", Value: 1}})},
	}
	existing, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return dbErr("list collections", err)
	}
	for name, models := range all {
		missing := models
		if slices.Contains(existing, name) {
			if missing, err = s.missingIndexes(ctx, name, models); err != nil {
				return err
			}
		}
		if len(missing) == 0 {
			continue
		}
		if _, err := s.c(name).Indexes().CreateMany(ctx, missing); err != nil {
			return dbErr("create indexes on "+name, err)
		}
	}
	return nil
}

// missingIndexes leaves out the indexes that exist already: the embedded
// server drops the connection when asked to create an existing one again.
func (s *Store) missingIndexes(ctx context.Context, coll string, models []mongo.IndexModel) ([]mongo.IndexModel, error) {
	cur, err := s.c(coll).Indexes().List(ctx)
	if err != nil {
		return nil, dbErr("list indexes on "+coll, err)
	}
	var have []struct {
		Name string `bson:"name"`
	}
	if err := cur.All(ctx, &have); err != nil {
		return nil, dbErr("read indexes on "+coll, err)
	}
	names := map[string]bool{}
	for _, h := range have {
		names[h.Name] = true
	}
	var out []mongo.IndexModel
	for _, m := range models {
		if !names[indexName(m.Keys.(bson.D))] {
			out = append(out, m)
		}
	}
	return out, nil
}

// indexName is the server's default name for an index on keys.
func indexName(keys bson.D) string {
	name := ""
	for i, k := range keys {
		if i > 0 {
			name += "_"
		}
		name += fmt.Sprintf("%s_%v", k.Key, k.Value)
	}
	return name
}
