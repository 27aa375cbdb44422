package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/forms"
)

// indicatorDoc is an indicator as stored; Edited marks a bureau's change
// that built-in catalog updates must not overwrite.
type indicatorDoc struct {
	forms.Indicator `bson:",inline"`
	Edited          bool      `bson:"edited"`
	UpdatedAt       time.Time `bson:"updatedAt"`
}

// LoadBuiltins writes the built-in catalog, replacing earlier built-in
// versions but never an indicator a bureau has edited.
func (s *Store) LoadBuiltins(ctx context.Context, inds []forms.Indicator, now time.Time) error {
	for _, ind := range inds {
		ind.Builtin = true
		doc := indicatorDoc{Indicator: ind, UpdatedAt: now}
		_, err := s.c(colIndicators).ReplaceOne(ctx,
			bson.D{{Key: "_id", Value: ind.Code}, {Key: "edited", Value: false}}, doc, options.Replace().SetUpsert(true))
		if err != nil && !mongo.IsDuplicateKeyError(err) {
			return dbErr("load built-in indicator "+ind.Code, err)
		}
	}
	return nil
}

// PutIndicator stores a bureau's indicator (new or edited).
func (s *Store) PutIndicator(ctx context.Context, ind forms.Indicator, now time.Time) error {
	doc := indicatorDoc{Indicator: ind, Edited: true, UpdatedAt: now}
	_, err := s.c(colIndicators).ReplaceOne(ctx, bson.D{{Key: "_id", Value: ind.Code}}, doc, options.Replace().SetUpsert(true))
	return dbErr("put indicator", err)
}

// Indicators returns every indicator by code.
func (s *Store) Indicators(ctx context.Context) (map[string]forms.Indicator, error) {
	cur, err := s.c(colIndicators).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list indicators", err)
	}
	var docs []indicatorDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("read indicators", err)
	}
	out := make(map[string]forms.Indicator, len(docs))
	for _, d := range docs {
		out[d.Code] = d.Indicator
	}
	return out, nil
}

// PlanDoc is a stored plan; Rev grows with every change.
type PlanDoc struct {
	forms.Plan `bson:",inline"`
	Rev        int       `json:"rev" bson:"rev"`
	UpdatedAt  time.Time `json:"updatedAt" bson:"updatedAt"`
	UpdatedBy  string    `json:"updatedBy" bson:"updatedBy"`
}

// InsertPlan creates a plan.
func (s *Store) InsertPlan(ctx context.Context, p *PlanDoc) error {
	p.Rev = 1
	_, err := s.c(colPlans).InsertOne(ctx, p)
	return dbErr("insert plan", err)
}

// UpdatePlan replaces a plan if it is still at rev; the stored rev grows by one.
func (s *Store) UpdatePlan(ctx context.Context, p *PlanDoc, rev int) error {
	p.Rev = rev + 1
	res, err := s.c(colPlans).ReplaceOne(ctx, bson.D{{Key: "_id", Value: p.ID}, {Key: "rev", Value: rev}}, p)
	if err != nil {
		return dbErr("update plan", err)
	}
	if res.MatchedCount == 0 {
		if _, err := s.Plan(ctx, p.ID); err != nil {
			return err
		}
		return staleErr()
	}
	return nil
}

// Plan returns one plan.
func (s *Store) Plan(ctx context.Context, id string) (*PlanDoc, error) {
	var p PlanDoc
	if err := s.c(colPlans).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p); err != nil {
		return nil, dbErr("find plan", err)
	}
	return &p, nil
}

// Plans lists the plans, newest year first.
func (s *Store) Plans(ctx context.Context) ([]PlanDoc, error) {
	cur, err := s.c(colPlans).Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "year", Value: -1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list plans", err)
	}
	var out []PlanDoc
	return out, dbErr("read plans", cur.All(ctx, &out))
}

// PutForm stores a generated form; forms are immutable, so an existing
// version is left as it is.
func (s *Store) PutForm(ctx context.Context, f *forms.Form) error {
	_, err := s.c(colForms).InsertOne(ctx, f)
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return dbErr("put form", err)
}

// Form returns a form by version.
func (s *Store) Form(ctx context.Context, version string) (*forms.Form, error) {
	var f forms.Form
	if err := s.c(colForms).FindOne(ctx, bson.D{{Key: "_id", Value: version}}).Decode(&f); err != nil {
		return nil, dbErr("find form", err)
	}
	return &f, nil
}
