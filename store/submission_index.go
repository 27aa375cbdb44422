package store

import (
	"context"
	"errors"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// index writes what is kept beside a submission for reading many at once:
// its entry in the drive's sheet and its answers. Both are idempotent and
// never go back to an earlier version.
func (s *Store) index(ctx context.Context, sub *Submission) error {
	// The two are apart and each a write of its own: written side by side,
	// a submission waits for the slower, not for both.
	answers := make(chan error, 1)
	go func() { answers <- s.putAnswers(ctx, sub) }()
	entry := s.putEntry(ctx, sub)
	return errors.Join(<-answers, entry)
}

// indexReport is index and, for a handed-in report with a hazards
// section, its school's hazard ledger and board, the three side by side.
func (s *Store) indexReport(ctx context.Context, sub *Submission, mending bool) error {
	r := ReportOf(sub)
	if r == nil {
		return s.index(ctx, sub)
	}
	hazards := make(chan error, 1)
	go func() { hazards <- s.applyHazards(ctx, r, mending) }()
	return errors.Join(s.index(ctx, sub), <-hazards)
}

// mendSubmission finishes a write of a submission cut short: a stored
// revision the document never got, then the sheet entry, the answers and
// the hazard ledger (applying a report again changes nothing).
func (s *Store) mendSubmission(ctx context.Context, id string) error {
	sub, err := s.submissionByID(ctx, id)
	if err != nil {
		return err
	}
	if sub, err = s.RollForward(ctx, sub); err != nil {
		return err
	}
	return s.indexReport(ctx, sub, true)
}

// submissionByID reads a submission whatever its scope.
func (s *Store) submissionByID(ctx context.Context, id string) (*Submission, error) {
	var sub Submission
	if err := s.c(colSubmissions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sub); err != nil {
		return nil, dbErr("find submission", err)
	}
	normalize(sub.Values)
	return &sub, nil
}
