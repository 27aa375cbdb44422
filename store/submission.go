package store

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/forms"
)

// Submission statuses.
const (
	StatusDraft     = "draft"
	StatusSubmitted = "submitted"
	StatusReturned  = "returned"
	StatusApproved  = "approved"
)

// Review is the last review action on a submission.
type Review struct {
	Action  string    `json:"action" bson:"action"`
	Comment string    `json:"comment" bson:"comment"`
	By      string    `json:"by" bson:"by"`
	At      time.Time `json:"at" bson:"at"`
}

// Submission is the current state of one school's answer to one drive. Its
// _id is the client's UUID; (drive, school) is unique.
type Submission struct {
	ID          string         `json:"id" bson:"_id"`
	Drive       string         `json:"drive" bson:"drive"`
	School      string         `json:"school" bson:"school"`
	SchoolName  string         `json:"schoolName" bson:"schoolName"`
	OrgPath     []string       `json:"-" bson:"orgPath"`
	Status      string         `json:"status" bson:"status"`
	Version     int            `json:"version" bson:"version"`
	FormVersion string         `json:"formVersion" bson:"formVersion"`
	Values      forms.Values   `json:"values" bson:"values"`
	Compliance  []forms.Result `json:"compliance" bson:"compliance"`
	Late        bool           `json:"late" bson:"late"`
	SubmittedAt time.Time      `json:"submittedAt,omitzero" bson:"submittedAt,omitempty"`
	CreatedAt   time.Time      `json:"createdAt" bson:"createdAt"`
	UpdatedAt   time.Time      `json:"updatedAt" bson:"updatedAt"`
	UpdatedBy   string         `json:"updatedBy" bson:"updatedBy"`
	Review      *Review        `json:"review,omitempty" bson:"review,omitempty"`
	// Locks lists the units whose sign-off holds the submission locked
	// (always stored, so that a write's $set clears it).
	Locks       []string `json:"locks,omitempty" bson:"locks"`
	RequestHash string   `json:"-" bson:"requestHash"`
	// Anomalies are the values outside their usual range, with the
	// school's explanations.
	Anomalies []forms.Anomaly `json:"anomalies,omitempty" bson:"anomalies,omitempty"`
	// SamePrevious lists the fields ("canteen.canteen_staff") answered as
	// in the previous period.
	SamePrevious []string `json:"samePrevious,omitempty" bson:"samePrevious,omitempty"`
	// Returns counts the bureau's returns, AfterApproval those of them that
	// reopened an approved submission.
	Returns       int `json:"returns,omitempty" bson:"returns,omitempty"`
	AfterApproval int `json:"afterApproval,omitempty" bson:"afterApproval,omitempty"`
}

// AnomalyCounts counts the submission's values outside their usual range
// with and without an explanation.
func (sub *Submission) AnomalyCounts() (explained, unexplained int) {
	for _, a := range sub.Anomalies {
		if a.Explanation != "" {
			explained++
		} else {
			unexplained++
		}
	}
	return explained, unexplained
}

// InsertSubmission stores a new submission and its (drive, school) key,
// with what is kept beside it (see indexReport). A Conflict means its id
// or its (drive, school) pair exists already.
func (s *Store) InsertSubmission(ctx context.Context, sub *Submission) error {
	if err := s.intend(ctx, pendingSubmission, sub.ID); err != nil {
		return err
	}
	doc, err := s.storedDoc(ctx, sub, sub.FormVersion, sub.Values, nil)
	if err != nil {
		return err
	}
	if err := s.insertGrouped(ctx, colSubmissions, doc); err != nil {
		return dbErr("insert submission", err)
	}
	if err := s.PutSubmissionKey(ctx, sub); err != nil {
		return err
	}
	if err := s.indexReport(ctx, sub, false); err != nil {
		return err
	}
	return s.done(ctx, pendingSubmission, sub.ID)
}

// submissionKey finds a school's submission to a drive by _id: lookups by
// _id alone are the ones the embedded server answers without a scan.
type submissionKey struct {
	ID         string `bson:"_id"` // drive|school
	Submission string `bson:"submission"`
}

func keyOf(drive, school string) string { return drive + "|" + school }

// PutSubmissionKey stores a submission's (drive, school) key unless it is
// there already.
func (s *Store) PutSubmissionKey(ctx context.Context, sub *Submission) error {
	err := s.insertGrouped(ctx, colSubmissionKeys, submissionKey{ID: keyOf(sub.Drive, sub.School), Submission: sub.ID})
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return dbErr("insert submission key", err)
}

// Submission returns one submission if it lies under scope (an org id on
// its path). It is found by _id and its scope checked here.
func (s *Store) Submission(ctx context.Context, id, scope string) (*Submission, error) {
	var sub Submission
	if err := s.c(colSubmissions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sub); err != nil {
		return nil, dbErr("find submission", err)
	}
	normalize(sub.Values)
	if !slices.Contains(sub.OrgPath, scope) {
		return nil, dbErr("find submission", mongo.ErrNoDocuments)
	}
	return &sub, nil
}

// SchoolSubmission returns a school's submission to a drive.
func (s *Store) SchoolSubmission(ctx context.Context, drive, school string) (*Submission, error) {
	var key submissionKey
	err := s.c(colSubmissionKeys).FindOne(ctx, bson.D{{Key: "_id", Value: keyOf(drive, school)}}).Decode(&key)
	if err == nil {
		var sub Submission
		if err := s.c(colSubmissions).FindOne(ctx, bson.D{{Key: "_id", Value: key.Submission}}).Decode(&sub); err != nil {
			return nil, dbErr("find submission", err)
		}
		normalize(sub.Values)
		return &sub, nil
	}
	return nil, dbErr("find submission key", err)
}

// SchoolSubmissions returns a school's submissions to some drives, by
// drive, in two reads by _id whatever the number of drives; a drive the
// school has no submission in is left out.
func (s *Store) SchoolSubmissions(ctx context.Context, school string, drives []string) (map[string]*Submission, error) {
	ids := make([]string, len(drives))
	for i, d := range drives {
		ids[i] = keyOf(d, school)
	}
	cur, err := s.c(colSubmissionKeys).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return nil, dbErr("find submission keys", err)
	}
	var keys []submissionKey
	if err := cur.All(ctx, &keys); err != nil {
		return nil, dbErr("find submission keys", err)
	}
	out := make(map[string]*Submission, len(keys))
	if len(keys) == 0 {
		return out, nil
	}
	subIDs := make([]string, len(keys))
	for i, k := range keys {
		subIDs[i] = k.Submission
	}
	cur, err = s.c(colSubmissions).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: subIDs}}}})
	if err != nil {
		return nil, dbErr("find submissions", err)
	}
	var subs []Submission
	if err := cur.All(ctx, &subs); err != nil {
		return nil, dbErr("find submissions", err)
	}
	for i := range subs {
		normalize(subs[i].Values)
		out[subs[i].Drive] = &subs[i]
	}
	return out, nil
}

// RepairSchoolSubmission finds a school's submission to a drive by query
// and mends its key: for when an insert collided with a submission whose
// key a stopped write never stored.
func (s *Store) RepairSchoolSubmission(ctx context.Context, drive, school string) (*Submission, error) {
	var sub Submission
	q := bson.D{{Key: "drive", Value: drive}, {Key: "school", Value: school}}
	if err := s.c(colSubmissions).FindOne(ctx, q).Decode(&sub); err != nil {
		return nil, dbErr("find submission", err)
	}
	normalize(sub.Values)
	return &sub, s.PutSubmissionKey(ctx, &sub)
}

// CommitSubmission writes next, a new version of prev, with its revision.
// The revision's id (submission:version) is the claim: of two writers from
// the same version only one can insert it, the other gets a Conflict. The
// revision holds the whole new state, so a write interrupted between the
// two steps is completed by the next writer instead of blocking it. A
// revision with new answers (rev.Values) also brings the report into the
// hazard ledger; a review or a lock leaves the ledger as it is.
func (s *Store) CommitSubmission(ctx context.Context, prev, next *Submission, rev *Revision) error {
	if err := s.intend(ctx, pendingSubmission, next.ID); err != nil {
		return err
	}
	if err := s.commit(ctx, prev, next, rev); err != nil {
		return err
	}
	index := s.index
	if rev.Values != nil {
		index = func(ctx context.Context, sub *Submission) error { return s.indexReport(ctx, sub, false) }
	}
	if err := index(ctx, next); err != nil {
		return err
	}
	return s.done(ctx, pendingSubmission, next.ID)
}

func (s *Store) commit(ctx context.Context, prev, next *Submission, rev *Revision) error {
	// The version being replaced is in the history first (a no-op if it is).
	if err := s.InsertRevision(ctx, revisionOf(prev, "", "", nil, nil)); err != nil {
		return err
	}
	rev.ID, rev.Submission, rev.Version, rev.State = revisionID(next.ID, next.Version), next.ID, next.Version, next
	doc, err := s.storedRevision(ctx, rev)
	if err != nil {
		return err
	}
	if err := s.insertGrouped(ctx, colRevisions, doc); err != nil {
		if mongo.IsDuplicateKeyError(err) {
			_, _ = s.RollForward(ctx, prev)
			return staleErr()
		}
		return dbErr("claim revision", err)
	}
	return s.applyState(ctx, next, prev.Version)
}

// RollForward completes a write whose revision was stored but whose
// submission update never happened (its writer stopped between the two
// steps, or is between them now: both then apply the same state, once).
// It returns the submission as it stands after that. The next write to a
// submission goes through here, as do reads of one submission and the
// finishing of noted writes (Mend). It costs a lookup of one revision by
// _id.
func (s *Store) RollForward(ctx context.Context, sub *Submission) (*Submission, error) {
	var rev Revision
	err := s.c(colRevisions).FindOne(ctx, bson.D{{Key: "_id", Value: revisionID(sub.ID, sub.Version+1)}}).Decode(&rev)
	switch {
	case errors.Is(err, mongo.ErrNoDocuments) || err == nil && rev.State == nil:
		return sub, nil
	case err != nil:
		return nil, dbErr("find revision", err)
	}
	normalize(rev.State.Values)
	if err := s.applyState(ctx, rev.State, sub.Version); err != nil {
		return nil, err
	}
	if err := s.index(ctx, rev.State); err != nil {
		return nil, err
	}
	return rev.State, nil
}

func (s *Store) applyState(ctx context.Context, next *Submission, from int) error {
	doc, err := s.storedDoc(ctx, next, next.FormVersion, next.Values, nil)
	if err != nil {
		return err
	}
	_, err = s.c(colSubmissions).UpdateOne(ctx, bson.D{{Key: "_id", Value: next.ID}, {Key: "version", Value: from}},
		bson.D{{Key: "$set", Value: doc}})
	return dbErr("update submission", err)
}

func revisionID(submission string, version int) string {
	return fmt.Sprintf("%s:%d", submission, version)
}

// revisionOf describes a submission's state as a history entry.
func revisionOf(sub *Submission, action, comment string, changed []string, state *Submission) *Revision {
	if action == "" {
		action = "create"
		if sub.Version > 1 {
			action = "revise"
		}
	}
	return &Revision{ID: revisionID(sub.ID, sub.Version), Submission: sub.ID, Version: sub.Version, Action: action,
		Status: sub.Status, By: sub.UpdatedBy, At: sub.UpdatedAt, Values: sub.Values, FormVersion: sub.FormVersion, Changed: changed,
		Comment: comment, State: state}
}

// SubmissionFilter selects the submissions of a drive under every org of
// Under (the drive's scope, the caller's, perhaps one district).
type SubmissionFilter struct {
	Drive string
	Under []string
	Lean  bool // leave out values
}

// Submissions yields the submissions of a drive in scope ordered by school,
// reading them from a cursor: a query by drive and orgPath, which the
// embedded server answers by reading the whole collection. No request
// uses it; tests and tools read what was stored with it.
func (s *Store) Submissions(ctx context.Context, f SubmissionFilter) iter.Seq2[*Submission, error] {
	return func(yield func(*Submission, error) bool) {
		q := bson.D{{Key: "drive", Value: f.Drive}, {Key: "orgPath", Value: bson.D{{Key: "$all", Value: f.Under}}}}
		opts := options.Find().SetSort(bson.D{{Key: "school", Value: 1}})
		if f.Lean {
			opts.SetProjection(bson.D{{Key: "values", Value: 0}})
		}
		cur, err := s.c(colSubmissions).Find(ctx, q, opts)
		if err != nil {
			yield(nil, dbErr("list submissions", err))
			return
		}
		defer cur.Close(context.WithoutCancel(ctx))
		for cur.Next(ctx) {
			var sub Submission
			if err := cur.Decode(&sub); err != nil {
				yield(nil, dbErr("decode submission", err))
				return
			}
			normalize(sub.Values)
			if !yield(&sub, nil) {
				return
			}
		}
		if err := cur.Err(); err != nil {
			yield(nil, dbErr("read submissions", err))
		}
	}
}

// Revision is one entry of a submission's append-only history.
type Revision struct {
	ID         string       `json:"id" bson:"_id"`
	Submission string       `json:"submission" bson:"submission"`
	Version    int          `json:"version" bson:"version"`
	Action     string       `json:"action" bson:"action"`
	Status     string       `json:"status" bson:"status"`
	By         string       `json:"by" bson:"by"`
	At         time.Time    `json:"at" bson:"at"`
	Values     forms.Values `json:"values,omitempty" bson:"values,omitempty"`
	// FormVersion is the form the values answer (it types them when stored).
	FormVersion string      `json:"formVersion,omitempty" bson:"formVersion,omitempty"`
	Changed     []string    `json:"changed,omitempty" bson:"changed,omitempty"`
	Comment     string      `json:"comment,omitempty" bson:"comment,omitempty"`
	State       *Submission `json:"-" bson:"state,omitempty"`
}

// InsertRevision appends to a submission's history; an existing id is left
// as it is (the write is idempotent).
func (s *Store) InsertRevision(ctx context.Context, r *Revision) error {
	doc, err := s.storedRevision(ctx, r)
	if err != nil {
		return err
	}
	err = s.insertGrouped(ctx, colRevisions, doc)
	if mongo.IsDuplicateKeyError(err) {
		return nil
	}
	return dbErr("insert revision", err)
}

// Revisions returns a submission's history, oldest first. A new
// submission's first version is stored as a revision only when it is
// first changed (CommitSubmission does that before anything else), so
// until then it is taken from the submission itself.
func (s *Store) Revisions(ctx context.Context, sub *Submission) ([]Revision, error) {
	// Versions are numbered from 1: each is looked up by its _id, as the
	// embedded server reads the whole collection for any other filter.
	var out []Revision
	for v := 1; v <= sub.Version; v++ {
		var r Revision
		err := s.c(colRevisions).FindOne(ctx, bson.D{{Key: "_id", Value: revisionID(sub.ID, v)}}).Decode(&r)
		if errors.Is(err, mongo.ErrNoDocuments) {
			continue
		}
		if err != nil {
			return nil, dbErr("read revisions", err)
		}
		normalize(r.Values)
		if r.State != nil {
			normalize(r.State.Values)
		}
		out = append(out, r)
	}
	if !slices.ContainsFunc(out, func(r Revision) bool { return r.Version == sub.Version }) {
		out = append(out, *revisionOf(sub, "", "", nil, nil))
	}
	slices.SortStableFunc(out, func(a, b Revision) int { return a.At.Compare(b.At) })
	return out, nil
}
