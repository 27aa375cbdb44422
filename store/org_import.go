package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// bulkSize is how many documents one insertMany or $in query carries.
const bulkSize = 500

// AuditEntry records who changed what and when.
type AuditEntry struct {
	ID      string    `json:"id" bson:"_id"`
	At      time.Time `json:"at" bson:"at"`
	By      string    `json:"by" bson:"by"`         // user id
	Action  string    `json:"action" bson:"action"` // e.g. "org.import.update"
	Object  string    `json:"object" bson:"object"` // the id of what changed
	Kind    string    `json:"kind" bson:"kind"`     // what kind of object: "school"
	Changes []string  `json:"changes,omitempty" bson:"changes,omitempty"`
}

// InsertAudit appends entries to the audit log, giving those without an id
// a random one.
func (s *Store) InsertAudit(ctx context.Context, entries ...AuditEntry) error {
	for start := 0; start < len(entries); start += bulkSize {
		part := entries[start:min(start+bulkSize, len(entries))]
		docs := make([]any, len(part))
		for i := range part {
			if part[i].ID == "" {
				part[i].ID = newAuditID()
			}
			docs[i] = part[i]
		}
		if _, err := s.c(colAudit).InsertMany(ctx, docs); err != nil {
			return dbErr("insert audit entries", err)
		}
	}
	return nil
}

// Audit returns the latest entries of the audit log, newest first; limit is
// capped at 1000 and defaults to 100.
func (s *Store) Audit(ctx context.Context, limit int) ([]AuditEntry, error) {
	if limit <= 0 {
		limit = 100
	}
	limit = min(limit, 1000)
	cur, err := s.c(colAudit).Find(ctx, bson.D{},
		options.Find().SetSort(bson.D{{Key: "at", Value: -1}, {Key: "_id", Value: -1}}).SetLimit(int64(limit)))
	if err != nil {
		return nil, dbErr("list audit entries", err)
	}
	var out []AuditEntry
	return out, dbErr("read audit entries", cur.All(ctx, &out))
}

// OrgsByID returns the orgs with the given ids, of any kind, keyed by id.
func (s *Store) OrgsByID(ctx context.Context, ids []string) (map[string]Org, error) {
	out := make(map[string]Org, len(ids))
	for start := 0; start < len(ids); start += bulkSize {
		part := ids[start:min(start+bulkSize, len(ids))]
		cur, err := s.c(colOrgs).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: part}}}})
		if err != nil {
			return nil, dbErr("find orgs", err)
		}
		var found []Org
		if err := cur.All(ctx, &found); err != nil {
			return nil, dbErr("read orgs", err)
		}
		for _, o := range found {
			out[o.ID] = o
		}
	}
	return out, nil
}

// OrgsOfKind lists every org of a kind ordered by id (for example the
// cities of a database).
func (s *Store) OrgsOfKind(ctx context.Context, kind string) ([]Org, error) {
	cur, err := s.c(colOrgs).Find(ctx, bson.D{{Key: "kind", Value: kind}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list orgs", err)
	}
	var out []Org
	return out, dbErr("read orgs", cur.All(ctx, &out))
}

func newAuditID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
