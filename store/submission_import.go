package store

import (
	"context"
	"slices"

	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// importGroup is how many documents one command of an import carries.
const importGroup = 500

// Imported is a submission made elsewhere (a history being loaded): as
// it was submitted and, when it was reviewed once since, as the review
// left it (version 2).
type Imported struct {
	Submitted *Submission
	Reviewed  *Submission
}

// ImportSubmissions stores imported submissions in bulk: the documents,
// keys, revisions, answers and sheet entries InsertSubmission and
// CommitSubmission write, a few commands for many. It notes nothing: an
// import cut short is imported again (what is stored already is left as
// it is).
func (s *Store) ImportSubmissions(ctx context.Context, in []Imported) error {
	var subs []*Submission
	var revs []*Revision
	for _, im := range in {
		sub := im.Submitted
		if r := im.Reviewed; r != nil {
			rev := &Revision{Status: r.Status, At: r.UpdatedAt}
			if r.Review != nil {
				rev.Action, rev.By, rev.Comment = r.Review.Action, r.Review.By, r.Review.Comment
			}
			rev.ID, rev.Submission, rev.Version, rev.State, rev.FormVersion = revisionID(r.ID, r.Version), r.ID, r.Version, r, r.FormVersion
			revs = append(revs, revisionOf(sub, "", "", nil, nil), rev)
			sub = r
		}
		subs = append(subs, sub)
	}
	var docs, keys, revDocs []any
	for _, sub := range subs {
		d, err := s.storedDoc(ctx, sub, sub.FormVersion, sub.Values, nil)
		if err != nil {
			return err
		}
		docs = append(docs, d)
		keys = append(keys, submissionKey{ID: keyOf(sub.Drive, sub.School), Submission: sub.ID})
	}
	for _, r := range revs {
		d, err := s.storedRevision(ctx, r)
		if err != nil {
			return err
		}
		revDocs = append(revDocs, d)
	}
	for _, w := range []struct {
		coll string
		docs []any
	}{{colSubmissions, docs}, {colSubmissionKeys, keys}, {colRevisions, revDocs}} {
		for part := range slices.Chunk(w.docs, importGroup) {
			_, err := s.c(w.coll).InsertMany(ctx, part, options.InsertMany().SetOrdered(false))
			if _, dupsOnly := duplicates(err); err != nil && !dupsOnly {
				return dbErr("import "+w.coll, err)
			}
		}
	}
	var answers []answersDoc
	entries := map[string][]Entry{}
	figures := map[string][]figured{}
	for _, sub := range subs {
		a, err := answersOf(sub)
		if err != nil {
			return err
		}
		answers = append(answers, a)
		parts, err := s.driveParts(ctx, sub.Drive)
		if err != nil {
			return err
		}
		id := sheetPartID(sub.Drive, sheetPartOf(sub.School, parts))
		e := entryOf(sub)
		entries[id] = append(entries[id], e)
		fid := figuresID(id, e.School)
		figures[fid] = append(figures[fid], figured{School: e.School, Figures: Figures{Version: e.Version, Numbers: e.Numbers}})
	}
	for part := range slices.Chunk(answers, batchMax) {
		if err := s.flushAnswers(ctx, part); err != nil {
			return err
		}
	}
	for id, es := range entries {
		if err := s.flushEntries(ctx, id, es); err != nil {
			return err
		}
	}
	for id, fs := range figures {
		if err := s.flushFigures(ctx, id, fs); err != nil {
			return err
		}
	}
	return nil
}
