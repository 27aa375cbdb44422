package store

import (
	"context"
	"iter"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// SchoolQuery selects the schools under every org of Under (the drive's
// scope and the caller's: their intersection), optionally of some stages
// and of one district.
type SchoolQuery struct {
	Under    []string
	Stages   []string
	District string
}

func (q SchoolQuery) bson() bson.D {
	d := bson.D{{Key: "kind", Value: KindSchool}, {Key: "path", Value: bson.D{{Key: "$all", Value: q.Under}}}}
	if q.District != "" {
		d = append(d, bson.E{Key: "parent", Value: q.District})
	}
	if len(q.Stages) > 0 {
		d = append(d, bson.E{Key: "stages", Value: bson.D{{Key: "$in", Value: q.Stages}}})
	}
	return d
}

// Schools yields the matching schools ordered by code.
func (s *Store) Schools(ctx context.Context, q SchoolQuery) iter.Seq2[*Org, error] {
	return func(yield func(*Org, error) bool) {
		cur, err := s.c(colOrgs).Find(ctx, q.bson(), options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
		if err != nil {
			yield(nil, dbErr("list schools", err))
			return
		}
		defer cur.Close(context.WithoutCancel(ctx))
		for cur.Next(ctx) {
			var o Org
			if err := cur.Decode(&o); err != nil {
				yield(nil, dbErr("decode school", err))
				return
			}
			if !yield(&o, nil) {
				return
			}
		}
		if err := cur.Err(); err != nil {
			yield(nil, dbErr("read schools", err))
		}
	}
}

// Districts returns the districts that have schools under every org of
// under, ordered by id.
func (s *Store) Districts(ctx context.Context, under []string) ([]Org, error) {
	// The embedded server refuses distinct with maxTimeMS, which the driver
	// adds when ctx has a deadline; distinct over an index is quick anyway.
	ids, err := s.c(colOrgs).Distinct(context.WithoutCancel(ctx), "parent", SchoolQuery{Under: under}.bson()).Raw()
	if err != nil {
		return nil, dbErr("list districts", err)
	}
	var parents []string
	values, err := ids.Values()
	if err != nil {
		return nil, dbErr("read districts", err)
	}
	for _, v := range values {
		if str, ok := v.StringValueOK(); ok {
			parents = append(parents, str)
		}
	}
	if len(parents) == 0 {
		return nil, nil
	}
	cur, err := s.c(colOrgs).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: parents}}}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list districts", err)
	}
	var out []Org
	return out, dbErr("read districts", cur.All(ctx, &out))
}
