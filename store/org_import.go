package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// bulkSize is how many audit entries one insertMany carries.
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
// a random one. An entry whose id is stored already is left as it is, so
// a write that is repeated records each change once.
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
		if _, err := s.c(colAudit).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false)); err != nil {
			if _, dupsOnly := duplicates(err); !dupsOnly {
				return dbErr("insert audit entries", err)
			}
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

// AllOrgs yields every org of the database, read in one pass. The
// embedded server answers any query but a lookup of one _id by reading the
// whole collection, so one pass beats a query per chunk of ids.
func (s *Store) AllOrgs(ctx context.Context) iter.Seq2[*Org, error] {
	return func(yield func(*Org, error) bool) {
		cur, err := s.c(colOrgs).Find(ctx, bson.D{})
		if err != nil {
			yield(nil, dbErr("list orgs", err))
			return
		}
		defer cur.Close(context.WithoutCancel(ctx))
		for cur.Next(ctx) {
			var o Org
			if err := cur.Decode(&o); err != nil {
				yield(nil, dbErr("decode org", err))
				return
			}
			if !yield(&o, nil) {
				return
			}
		}
		if err := cur.Err(); err != nil {
			yield(nil, dbErr("read orgs", err))
		}
	}
}

// InsertOrgs inserts new orgs in one command, each written whole or not at
// all. It returns the ids that were taken already: those orgs are left as
// they are and the others inserted.
func (s *Store) InsertOrgs(ctx context.Context, orgs []Org) ([]string, error) {
	docs := make([]any, len(orgs))
	for i := range orgs {
		docs[i] = orgs[i]
	}
	var taken []string
	err := s.writeOrgs(ctx, "", pointers(orgs), func() error {
		_, err := s.c(colOrgs).InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
		if err == nil {
			return nil
		}
		at, dupsOnly := duplicates(err)
		if !dupsOnly {
			return dbErr("insert orgs", err)
		}
		for _, n := range at {
			taken = append(taken, orgs[n].ID)
		}
		return nil
	})
	if err != nil || len(taken) == 0 {
		return taken, err
	}
	// The taken ones went into the directory as this import had them: put
	// back what the orgs hold.
	return taken, s.RebuildDirectory(ctx)
}

func pointers(orgs []Org) []*Org {
	out := make([]*Org, len(orgs))
	for i := range orgs {
		out[i] = &orgs[i]
	}
	return out
}

// OrgUpdate is a change to an existing org: its new state and the stored
// names of the fields that changed ("students", "stages"...).
type OrgUpdate struct {
	Org    Org
	Fields []string
}

// updateGroup is how many updates one update command carries. The embedded
// server keeps each statement's read open, holding one of its 100
// connections, until the whole command ends: a command of more statements
// than it has connections free waits for itself forever.
const updateGroup = 32

// UpdateOrgs sets the changed fields and updatedAt of existing orgs, one
// update by _id each, sent in commands of a few dozen: each org is written
// whole or not at all, and fields that others changed meanwhile are kept.
func (s *Store) UpdateOrgs(ctx context.Context, updates []OrgUpdate) error {
	models := make([]mongo.WriteModel, len(updates))
	for i, u := range updates {
		raw, err := bson.Marshal(u.Org)
		if err != nil {
			return fmt.Errorf("store: unable to encode org: %w", err)
		}
		doc := bson.Raw(raw)
		set, unset := bson.D{}, bson.D{}
		for _, f := range append(slices.Clone(u.Fields), "updatedAt") {
			if v, err := doc.LookupErr(f); err == nil {
				set = append(set, bson.E{Key: f, Value: v})
			} else {
				unset = append(unset, bson.E{Key: f, Value: ""}) // a field left out when empty
			}
		}
		change := bson.D{{Key: "$set", Value: set}}
		if len(unset) > 0 {
			change = append(change, bson.E{Key: "$unset", Value: unset})
		}
		models[i] = mongo.NewUpdateOneModel().SetFilter(bson.D{{Key: "_id", Value: u.Org.ID}}).SetUpdate(change)
	}
	orgs := make([]*Org, len(updates))
	for i := range updates {
		orgs[i] = &updates[i].Org
	}
	return s.writeOrgs(ctx, "", orgs, func() error {
		for part := range slices.Chunk(models, updateGroup) {
			if _, err := s.c(colOrgs).BulkWrite(ctx, part, options.BulkWrite().SetOrdered(false)); err != nil {
				return dbErr("update orgs", err)
			}
		}
		return nil
	})
}

// duplicates returns the indexes of the documents an unordered write
// refused as duplicates, and whether those were its only errors.
func duplicates(err error) ([]int, bool) {
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil || len(bwe.WriteErrors) == 0 {
		return nil, false
	}
	at := make([]int, 0, len(bwe.WriteErrors))
	for _, we := range bwe.WriteErrors {
		if !mongo.IsDuplicateKeyError(we) {
			return nil, false
		}
		at = append(at, we.Index)
	}
	return at, true
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
