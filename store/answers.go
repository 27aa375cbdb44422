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
	ID         string `bson:"_id"`
	Version    int    `bson:"v"`
	Submission string `bson:"sub"`
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
	return answersDoc{ID: keyOf(sub.Drive, sub.School), Version: sub.Version, Submission: string(raw)}, nil
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
// A few are read ahead at a time.
func (s *Store) Answers(ctx context.Context, drive string, schools []string) iter.Seq2[*Submission, error] {
	return func(yield func(*Submission, error) bool) {
		const ahead = 16
		type result struct {
			sub *Submission
			err error
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		slots := make(chan chan result, ahead)
		var wg sync.WaitGroup
		go func() {
			defer close(slots)
			for _, school := range schools {
				ch := make(chan result, 1)
				select {
				case slots <- ch:
				case <-ctx.Done():
					return
				}
				wg.Add(1)
				go func() {
					defer wg.Done()
					sub, err := s.answers(ctx, drive, school)
					ch <- result{sub, err}
				}()
			}
		}()
		defer wg.Wait()
		for ch := range slots {
			r := <-ch
			if !yield(r.sub, r.err) || r.err != nil {
				cancel()
				for range slots {
				}
				return
			}
		}
	}
}

func (s *Store) answers(ctx context.Context, drive, school string) (*Submission, error) {
	var doc answersDoc
	err := s.c(colAnswers).FindOne(ctx, bson.D{{Key: "_id", Value: keyOf(drive, school)}}).Decode(&doc)
	if err == mongo.ErrNoDocuments {
		return nil, nil
	}
	if err != nil {
		return nil, dbErr("read answers", err)
	}
	var sub Submission
	if err := json.Unmarshal([]byte(doc.Submission), &sub); err != nil {
		return nil, fmt.Errorf("store: unable to read answers %s: %w", doc.ID, err)
	}
	return &sub, nil
}
