package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Org kinds.
const (
	KindProvince = "province" // 省教育厅
	KindCity     = "city"     // 市教育局
	KindCounty   = "county"   // 县（市）教育局
	KindDistrict = "district" // 区教育局
	KindTown     = "town"     // 镇街教育办、中心校
	KindArea     = "area"     // 学区
	KindSchool   = "school"
)

// Kinds lists every kind of org, bureaus from the top down, then schools.
var Kinds = []string{KindProvince, KindCity, KindCounty, KindDistrict, KindTown, KindArea, KindSchool}

// Org is a node of the organisation tree: the city bureau, a district or
// county bureau, or a school. Path lists its ancestors and itself, root first.
type Org struct {
	ID         string    `json:"id" bson:"_id"`
	Name       string    `json:"name" bson:"name"`
	Kind       string    `json:"kind" bson:"kind"`
	Parent     string    `json:"parent,omitempty" bson:"parent,omitempty"`
	Path       []string  `json:"path" bson:"path"`
	Stages     []string  `json:"stages,omitempty" bson:"stages,omitempty"`
	Public     bool      `json:"public" bson:"public"`
	Urban      bool      `json:"urban" bson:"urban"`
	Classrooms int       `json:"classrooms,omitempty" bson:"classrooms,omitempty"`
	Students   int       `json:"students,omitempty" bson:"students,omitempty"`
	Contact    string    `json:"contact,omitempty" bson:"contact,omitempty"`
	Phone      string    `json:"phone,omitempty" bson:"phone,omitempty"`
	Closed     bool      `json:"closed" bson:"closed"`
	UpdatedAt  time.Time `json:"updatedAt" bson:"updatedAt"`
}

// PutOrg inserts or replaces an org (seeding the tree).
func (s *Store) PutOrg(ctx context.Context, o *Org) error {
	return s.writeOrgs(ctx, o.ID, []*Org{o}, func() error {
		_, err := s.c(colOrgs).ReplaceOne(ctx, bson.D{{Key: "_id", Value: o.ID}}, o, options.Replace().SetUpsert(true))
		return dbErr("put org", err)
	})
}

// InsertOrg creates an org; a Conflict means its id is taken. Of concurrent
// inserts of one id exactly one succeeds.
func (s *Store) InsertOrg(ctx context.Context, o *Org) error {
	return s.writeOrgs(ctx, o.ID, []*Org{o}, func() error {
		_, err := s.c(colOrgs).InsertOne(ctx, o)
		return dbErr("insert org", err)
	})
}

// ReplaceOrg replaces an existing org; NotFound when there is none.
func (s *Store) ReplaceOrg(ctx context.Context, o *Org) error {
	return s.writeOrgs(ctx, o.ID, []*Org{o}, func() error {
		res, err := s.c(colOrgs).ReplaceOne(ctx, bson.D{{Key: "_id", Value: o.ID}}, o)
		if err == nil && res.MatchedCount == 0 {
			err = mongo.ErrNoDocuments
		}
		return dbErr("replace org", err)
	})
}

// writeOrgs runs a write of orgs, then writes them into the directory; a
// note says so first (pendingOrg for one org, pendingTree for a batch)
// until both are done.
func (s *Store) writeOrgs(ctx context.Context, id string, orgs []*Org, write func() error) error {
	kind := pendingOrg
	if len(orgs) != 1 {
		kind, id = pendingTree, "batch"
	}
	if err := s.intend(ctx, kind, id); err != nil {
		return err
	}
	if err := write(); err != nil {
		return err
	}
	if err := s.putDirectory(ctx, orgs...); err != nil {
		return err
	}
	return s.done(ctx, kind, id)
}

// Org returns one org by id.
func (s *Store) Org(ctx context.Context, id string) (*Org, error) {
	var o Org
	if err := s.c(colOrgs).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&o); err != nil {
		return nil, dbErr("find org", err)
	}
	return &o, nil
}

// OrgFilter selects orgs of a subtree.
type OrgFilter struct {
	Under string // ancestor (or self) id; required
	Kind  string // optional
	Open  bool   // only orgs that are not closed
}

func (f OrgFilter) bson() bson.D {
	q := bson.D{{Key: "path", Value: f.Under}}
	if f.Kind != "" {
		q = append(q, bson.E{Key: "kind", Value: f.Kind})
	}
	if f.Open {
		q = append(q, bson.E{Key: "closed", Value: false})
	}
	return q
}

// Orgs lists the orgs of a subtree ordered by id.
func (s *Store) Orgs(ctx context.Context, f OrgFilter) ([]Org, error) {
	cur, err := s.c(colOrgs).Find(ctx, f.bson(), options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list orgs", err)
	}
	var out []Org
	if err := cur.All(ctx, &out); err != nil {
		return nil, dbErr("read orgs", err)
	}
	return out, nil
}

// CountOrgs counts the orgs of a subtree.
func (s *Store) CountOrgs(ctx context.Context, f OrgFilter) (int64, error) {
	n, err := s.c(colOrgs).CountDocuments(ctx, f.bson())
	return n, dbErr("count orgs", err)
}
