package drives

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"sort"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// SubmitInput is a school's create request.
type SubmitInput struct {
	ID     string
	School string
	Values json.RawMessage
	Draft  bool
	// Explanations explain values outside their usual range, by field path.
	Explanations map[string]string
}

// Create stores a new submission. The client's id makes it idempotent: a
// replay with the same content returns the stored submission (created
// false), the same id with other content is a Conflict.
func (s *Service) Create(ctx context.Context, u *store.User, driveID string, in SubmitInput) (*store.Submission, bool, error) {
	if _, err := uuid.Parse(in.ID); err != nil || len(in.ID) != 36 {
		return nil, false, fail.Field("id", "uuid", "id 必须是客户端生成的 UUID", "id must be a client-generated UUID")
	}
	if u.Role == store.RoleViewer {
		return nil, false, fail.New(fail.Forbidden, "只读账号不能填报", "Read-only accounts cannot submit")
	}
	f, d, school, err := s.SchoolForm(ctx, u, driveID, in.School)
	if err != nil {
		return nil, false, err
	}
	hash := requestHash(d.ID, school.ID, in.Values, in.Draft, in.Explanations)
	// A new submission is inserted straight away; the stored one is looked
	// up only when something stands in the way, since a retry must get its
	// stored answer even after the drive closed or the form changed.
	now := s.now()
	if err := s.writable(d, school.ID); err != nil {
		return s.replayOr(ctx, in.ID, school.ID, hash, err)
	}
	if locks, err := s.lockedBy(ctx, d, school); err != nil || len(locks) > 0 {
		return s.replayOr(ctx, in.ID, school.ID, hash, cmp.Or(err, errLocked()))
	}
	past, err := s.past(ctx, d, f, school.ID)
	if err != nil {
		return nil, false, err
	}
	e := env(school, past)
	e.Explained = explainedSet(in.Explanations)
	values, errs := f.Validate(in.Values, e, in.Draft)
	if len(errs) == 0 {
		if values, errs, err = s.withLedger(ctx, f, d, school.ID, nil, values, e, in.Draft); err != nil {
			return nil, false, err
		}
	}
	var anoms []forms.Anomaly
	if len(errs) == 0 {
		anoms, errs = forms.Explained(f.Anomalies(values, e), in.Explanations, in.Draft)
	}
	if len(errs) > 0 {
		return s.replayOr(ctx, in.ID, school.ID, hash, fail.Fields(errs))
	}
	sub := &store.Submission{
		ID: in.ID, Drive: d.ID, School: school.ID, SchoolName: school.Name, OrgPath: school.Path, Version: 1,
		FormVersion: f.Version, Values: values, CreatedAt: now, UpdatedAt: now, UpdatedBy: u.ID,
		RequestHash: hash, Compliance: []forms.Result{}, Anomalies: anoms, SamePrevious: samePrevious(f, past.prev, values),
	}
	s.setStatus(sub, f, d, e, in.Draft)
	if err := s.Store.InsertSubmission(ctx, sub); err != nil {
		if !fail.Is(err, fail.Conflict) {
			return nil, false, err
		}
		if old, err2 := s.Store.Submission(ctx, in.ID, school.ID); err2 == nil {
			// A create cut short after its submission was stored left no key.
			if err := s.Store.PutSubmissionKey(ctx, old); err != nil {
				return nil, false, err
			}
			return replay(old, hash)
		}
		other, err2 := s.Store.SchoolSubmission(ctx, d.ID, school.ID)
		if fail.Is(err2, fail.NotFound) {
			// The school's submission was stored by a write cut short before its key.
			other, err2 = s.Store.RepairSchoolSubmission(ctx, d.ID, school.ID)
		}
		if err2 != nil {
			return nil, false, err
		}
		return nil, false, fail.New(fail.Conflict,
			fmt.Sprintf("本校在该任务已有填报（%s），请修改已有填报", other.ID),
			fmt.Sprintf("This school already has a submission in this drive (%s); revise it instead", other.ID))
	}
	if err := s.lockLate(ctx, u, d, school); err != nil {
		return nil, false, err
	}
	s.Metrics.Submission(sub.Status)
	return sub, true, nil
}

// replayOr answers a retry with its stored submission, or fails with err.
func (s *Service) replayOr(ctx context.Context, id, school, hash string, err error) (*store.Submission, bool, error) {
	if old, lookupErr := s.Store.Submission(ctx, id, school); lookupErr == nil {
		return replay(old, hash)
	}
	return nil, false, err
}

func replay(old *store.Submission, hash string) (*store.Submission, bool, error) {
	if old.RequestHash != hash {
		return nil, false, fail.New(fail.Conflict, "该 id 已用于内容不同的填报", "This id was already used for a different submission")
	}
	return old, false, nil
}

// requestHash identifies a create request's content, key order aside.
func requestHash(drive, school string, values json.RawMessage, draft bool, explanations map[string]string) string {
	var v any
	canon := []byte(values)
	if json.Unmarshal(values, &v) == nil {
		if b, err := json.Marshal(v); err == nil {
			canon = b
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "%s\x00%s\x00%t\x00", drive, school, draft)
	h.Write(bytes.TrimSpace(canon))
	if len(explanations) > 0 {
		b, _ := json.Marshal(explanations) // keys sorted
		h.Write([]byte{0})
		h.Write(b)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// writable refuses writes to a drive that is not open for the school.
func (s *Service) writable(d *store.Drive, school string) error {
	now := s.now()
	if now.Before(d.OpensAt) {
		return fail.New(fail.Conflict, "该任务尚未开始", "This drive is not open yet")
	}
	if !now.Before(d.ClosesAt) && !slices.Contains(d.Reopened, school) {
		return fail.New(fail.Locked, "该任务已截止锁定，如需补报请联系教育局重新开放", "This drive is closed and locked; ask the bureau to reopen it for your school")
	}
	return nil
}

// setStatus sets status, compliance, late flag and submission time for a
// save (draft) or a submit; compliance is scored in e, the context the
// values were validated in.
func (s *Service) setStatus(sub *store.Submission, f *forms.Form, d *store.Drive, e forms.Env, draft bool) {
	if draft {
		if sub.SubmittedAt.IsZero() {
			sub.Status = store.StatusDraft
		}
		return
	}
	now := s.now()
	sub.Status = store.StatusSubmitted
	sub.SubmittedAt = now
	sub.Late = !now.Before(d.DueAt)
	sub.Compliance = f.Score(sub.Values, e)
}

// changed lists the field paths whose values differ.
func changed(before, after forms.Values) []string {
	var out []string
	seen := map[string]bool{}
	for sec, fields := range after {
		for id, v := range fields {
			seen[sec+"."+id] = true
			if !reflect.DeepEqual(before[sec][id], v) {
				out = append(out, sec+"."+id)
			}
		}
	}
	for sec, fields := range before {
		for id := range fields {
			if !seen[sec+"."+id] {
				out = append(out, sec+"."+id)
			}
		}
	}
	sort.Strings(out)
	return out
}
