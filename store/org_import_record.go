package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// colOrgImports holds a record of each import of a school list.
const colOrgImports = "orgImports"

// Org import states.
const (
	ImportRunning = "running"
	ImportDone    = "done"
)

// OrgImport records an import of a school list, so that an import cut
// short is completed by importing the same file again: until it is done it
// keeps the plan, what the import creates and changes with the values it
// replaces, which the schools written before the interruption no longer show.
type OrgImport struct {
	ID         string           `bson:"_id"` // the scope and the file's hash
	Run        string           `bson:"run"` // random, new for each import of the file that is not a resumption
	Org        string           `bson:"org"` // the scope
	By         string           `bson:"by"`
	State      string           `bson:"state"`
	Rows       int              `bson:"rows"`
	Created    []string         `bson:"-"`
	Updated    []ImportedUpdate `bson:"-"`
	StartedAt  time.Time        `bson:"startedAt"`
	FinishedAt time.Time        `bson:"finishedAt,omitempty"`
	// Plan holds Created and Updated as JSON text while the import runs:
	// the embedded server takes seconds to store or read an array of tens
	// of thousands of entries, and milliseconds for one string.
	Plan string `bson:"plan,omitempty"`
}

// ImportedUpdate is a change an import makes to an existing school.
type ImportedUpdate struct {
	Code    string   `json:"code"`
	Fields  []string `json:"fields"`
	Changes []string `json:"changes"`
}

type importPlan struct {
	Created []string         `json:"created"`
	Updated []ImportedUpdate `json:"updated"`
}

// OrgImportRecord returns the record of an import; NotFound when the file
// was never imported into that scope.
func (s *Store) OrgImportRecord(ctx context.Context, id string) (*OrgImport, error) {
	var r OrgImport
	if err := s.c(colOrgImports).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&r); err != nil {
		return nil, dbErr("find org import", err)
	}
	if r.Plan != "" {
		var p importPlan
		if err := json.Unmarshal([]byte(r.Plan), &p); err != nil {
			return nil, fmt.Errorf("store: unable to decode the plan of org import %s: %w", id, err)
		}
		r.Created, r.Updated, r.Plan = p.Created, p.Updated, ""
	}
	return &r, nil
}

// StartOrgImport stores the record of an import about to write, replacing
// that of an earlier, finished import of the same file.
func (s *Store) StartOrgImport(ctx context.Context, r *OrgImport) error {
	plan, err := json.Marshal(importPlan{Created: r.Created, Updated: r.Updated})
	if err != nil {
		return fmt.Errorf("store: unable to encode the plan of org import %s: %w", r.ID, err)
	}
	doc := *r
	doc.Plan = string(plan)
	_, err = s.c(colOrgImports).InsertOne(ctx, doc)
	if mongo.IsDuplicateKeyError(err) {
		_, err = s.c(colOrgImports).ReplaceOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, doc)
	}
	return dbErr("start org import", err)
}

// FinishOrgImport marks an import done and drops its plan.
func (s *Store) FinishOrgImport(ctx context.Context, id string, at time.Time) error {
	_, err := s.c(colOrgImports).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{
		{Key: "$set", Value: bson.D{{Key: "state", Value: ImportDone}, {Key: "finishedAt", Value: at}}},
		{Key: "$unset", Value: bson.D{{Key: "plan", Value: ""}}},
	})
	return dbErr("finish org import", err)
}
