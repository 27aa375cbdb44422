package store

import (
	"context"
	"log/slog"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"

	"github.com/tianbao-edu/tianbao/forms"
)

// scopeReminders gives old reminder records their webhook's org path and
// drops their failure texts (see MigrateReminders).
func scopeReminders(ctx context.Context, s *Store, log *slog.Logger) error {
	n, err := s.MigrateReminders(ctx)
	if n > 0 {
		log.Info("reminders given their webhook's org, failure texts dropped", "reminders", n)
	}
	return err
}

// typeAnswers stores every submission's and revision's answers typed by
// their form (see typedValues); typed ones stay as they are.
func typeAnswers(ctx context.Context, s *Store, log *slog.Logger) error {
	n := 0
	for sub, err := range s.all(ctx, colSubmissions) {
		if err != nil {
			return err
		}
		var doc Submission
		if err := bson.Unmarshal(sub, &doc); err != nil {
			return err
		}
		normalize(doc.Values)
		if err := s.replaceTyped(ctx, colSubmissions, doc.ID, &doc, doc.FormVersion, doc.Values, nil); err != nil {
			return err
		}
		n++
	}
	m := 0
	for raw, err := range s.all(ctx, colRevisions) {
		if err != nil {
			return err
		}
		var r Revision
		if err := bson.Unmarshal(raw, &r); err != nil {
			return err
		}
		normalize(r.Values)
		var state forms.Values
		if r.State != nil {
			normalize(r.State.Values)
			state = r.State.Values
			if r.FormVersion == "" {
				r.FormVersion = r.State.FormVersion
			}
		}
		if err := s.replaceTyped(ctx, colRevisions, r.ID, &r, r.FormVersion, r.Values, state); err != nil {
			return err
		}
		m++
	}
	log.Info("answers stored typed", "submissions", n, "revisions", m)
	return nil
}

func (s *Store) replaceTyped(ctx context.Context, coll, id string, doc any, formVersion string, values, state forms.Values) error {
	d, err := s.storedDoc(ctx, doc, formVersion, values, state)
	if err != nil {
		return err
	}
	_, err = s.c(coll).ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, d)
	return dbErr("store typed answers", err)
}

// indexAll writes the directory, sizes every drive's sheet and writes the
// sheet entry and answers of every submission.
func indexAll(ctx context.Context, s *Store, log *slog.Logger) error {
	if err := s.RebuildDirectory(ctx); err != nil {
		return err
	}
	tree, err := s.Tree(ctx)
	if err != nil {
		return err
	}
	drives, err := s.Drives(ctx, time.Time{})
	if err != nil {
		return err
	}
	for _, d := range drives {
		if d.Parts > 0 {
			continue
		}
		n := 0
		for _, school := range tree.Schools(d.Scope.Org) {
			if len(d.Scope.Stages) == 0 || slices.ContainsFunc(school.Stages, func(st string) bool { return slices.Contains(d.Scope.Stages, st) }) {
				n++
			}
		}
		if _, err := s.c(colDrives).UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "parts", Value: PartsFor(n)}}}}); err != nil {
			return dbErr("size a drive's sheet", err)
		}
	}
	s.parts.Clear()
	n := 0
	for raw, err := range s.all(ctx, colSubmissions) {
		if err != nil {
			return err
		}
		var sub Submission
		if err := bson.Unmarshal(raw, &sub); err != nil {
			return err
		}
		normalize(sub.Values)
		if err := s.index(ctx, &sub); err != nil {
			return err
		}
		n++
	}
	log.Info("directory, sheets and answers written", "orgs", tree.Len(), "drives", len(drives), "submissions", n)
	return nil
}

// all yields every document of a collection, read from a cursor.
func (s *Store) all(ctx context.Context, coll string) func(func(bson.Raw, error) bool) {
	return func(yield func(bson.Raw, error) bool) {
		cur, err := s.c(coll).Find(ctx, bson.D{})
		if err != nil {
			yield(nil, dbErr("read "+coll, err))
			return
		}
		defer cur.Close(context.WithoutCancel(ctx))
		for cur.Next(ctx) {
			if !yield(slices.Clone(cur.Current), nil) {
				return
			}
		}
		if err := cur.Err(); err != nil {
			yield(nil, dbErr("read "+coll, err))
		}
	}
}
