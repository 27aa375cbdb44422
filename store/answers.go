package store

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"slices"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const colAnswers = "answers"

// A school's answers to a drive are kept a second time as one JSON text,
// under _id drive|school, for the workbooks: reading a submission
// document costs the embedded server a moment per value answered (8 ms
// for a whole form), reading one text value next to nothing. The
// submission document stays the record, typed for anyone's tools.
type answersDoc struct {
	ID         string   `bson:"_id"`
	Version    int      `bson:"v"`
	Submission jsonText `bson:"sub"`
}

// putAnswers writes a submission's answers unless a later version of them
// is there already. Answers that arrive together go in one command.
func (s *Store) putAnswers(ctx context.Context, sub *Submission) error {
	a, err := answersOf(sub)
	if err != nil {
		return err
	}
	return s.answersWriter.do(ctx, a)
}

func answersOf(sub *Submission) (answersDoc, error) {
	raw, err := json.Marshal(sub)
	if err != nil {
		return answersDoc{}, fmt.Errorf("store: unable to write answers: %w", err)
	}
	return answersDoc{ID: keyOf(sub.Drive, sub.School), Version: sub.Version, Submission: jsonText(raw)}, nil
}

// flushAnswers replaces answers documents, each unless a later version is
// stored (its upsert then meets the _id taken, which is no error here).
func (s *Store) flushAnswers(ctx context.Context, docs []answersDoc) error {
	latest := map[string]answersDoc{}
	for _, d := range docs {
		if have, ok := latest[d.ID]; !ok || d.Version > have.Version {
			latest[d.ID] = d
		}
	}
	var models []mongo.WriteModel
	for _, d := range latest {
		models = append(models, mongo.NewReplaceOneModel().SetUpsert(true).SetReplacement(d).
			SetFilter(bson.D{{Key: "_id", Value: d.ID}, {Key: "v", Value: bson.D{{Key: "$lte", Value: d.Version}}}}))
	}
	for part := range slices.Chunk(models, updateGroup) {
		_, err := s.c(colAnswers).BulkWrite(ctx, part, options.BulkWrite().SetOrdered(false))
		if _, dupsOnly := duplicates(err); err != nil && !dupsOnly {
			return dbErr("write answers", err)
		}
	}
	return nil
}

// Answers yields the submissions of a drive for the schools given, in
// their order, from their answers; a school without answers yields nil.
// They are read answersGroup at a time, the next group while the last is
// used.
func (s *Store) Answers(ctx context.Context, drive string, schools []string) iter.Seq2[*Submission, error] {
	return func(yield func(*Submission, error) bool) {
		type group struct {
			subs map[string]*Submission
			err  error
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		groups := make(chan chan group, 2)
		var wg sync.WaitGroup
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(groups)
			for part := range slices.Chunk(schools, answersGroup) {
				ch := make(chan group, 1)
				select {
				case groups <- ch:
				case <-ctx.Done():
					return
				}
				subs, err := s.answersOf(ctx, drive, part)
				ch <- group{subs, err}
			}
		}()
		defer wg.Wait()
		defer cancel()
		i := 0
		for ch := range groups {
			g := <-ch
			if g.err != nil {
				yield(nil, g.err)
				return
			}
			for _, school := range schools[i:min(i+answersGroup, len(schools))] {
				if !yield(g.subs[school], nil) {
					return
				}
			}
			i += answersGroup
		}
	}
}

// answersGroup is how many schools' answers one read carries.
const answersGroup = 100

// answersOf reads the answers of some schools of a drive in one query.
func (s *Store) answersOf(ctx context.Context, drive string, schools []string) (map[string]*Submission, error) {
	ids := make([]string, len(schools))
	for i, school := range schools {
		ids[i] = keyOf(drive, school)
	}
	cur, err := s.c(colAnswers).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, dbErr("read answers", err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	out := make(map[string]*Submission, len(schools))
	for cur.Next(ctx) {
		var doc answersDoc
		if err := cur.Decode(&doc); err != nil {
			return nil, dbErr("decode answers", err)
		}
		var sub Submission
		if err := json.Unmarshal([]byte(doc.Submission), &sub); err != nil {
			return nil, fmt.Errorf("store: unable to read answers %s: %w", doc.ID, err)
		}
		out[sub.School] = &sub
	}
	return out, dbErr("read answers", cur.Err())
}
