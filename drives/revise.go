package drives

import (
	"context"
	"encoding/json"
	"strings"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// Submission returns a submission under the caller's scope; anything else
// is NotFound, exactly like a missing one. A write to it that stopped
// after storing its revision is completed first.
func (s *Service) Submission(ctx context.Context, u *store.User, id string) (*store.Submission, error) {
	sub, err := s.stored(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.Store.RollForward(ctx, sub)
}

// stored returns a submission under the caller's scope as it is stored,
// for a write: a write that stopped part way makes the new one's claim of
// the next version fail, which completes the stopped one (a Conflict).
func (s *Service) stored(ctx context.Context, u *store.User, id string) (*store.Submission, error) {
	sub, err := s.Store.Submission(ctx, id, u.Org)
	if fail.Is(err, fail.NotFound) {
		return nil, fail.NotFoundf("填报", "Submission")
	}
	return sub, err
}

// Revisions returns a submission's history for a caller in scope.
func (s *Service) Revisions(ctx context.Context, u *store.User, id string) ([]store.Revision, error) {
	sub, err := s.Submission(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.Store.Revisions(ctx, sub)
}

// ReviseInput is a new version of a submission's values.
type ReviseInput struct {
	Version int // the version the client edited (If-Match)
	Values  json.RawMessage
	Draft   bool
	// Explanations explain values outside their usual range, by field
	// path; nil keeps those given before.
	Explanations map[string]string
}

// Revise replaces a submission's values if the client edited the current
// version; a stale version is a Conflict.
func (s *Service) Revise(ctx context.Context, u *store.User, id string, in ReviseInput) (*store.Submission, error) {
	sub, err := s.stored(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if u.Role != store.RoleSchool {
		return nil, fail.New(fail.Forbidden, "只有本校可以修改填报", "Only the school can revise its submission")
	}
	if sub.Version != in.Version {
		return nil, fail.New(fail.Conflict, "数据已被他人修改，请刷新后重试", "It was changed by someone else; reload and try again")
	}
	if len(sub.Locks) > 0 {
		return nil, errLocked()
	}
	if sub.Status == store.StatusApproved {
		return nil, fail.New(fail.Locked, "已审核通过的填报不能修改", "An approved submission cannot be changed")
	}
	if in.Draft && sub.Status == store.StatusSubmitted {
		return nil, fail.Field("draft", "draft", "已提交的填报不能改回草稿", "A submitted submission cannot go back to draft")
	}
	d, err := s.drive(ctx, sub.Drive)
	if err != nil {
		return nil, err
	}
	if err := s.writable(d, sub.School); err != nil {
		return nil, err
	}
	school, err := s.org(ctx, sub.School)
	if err != nil {
		return nil, err
	}
	f, err := s.Form(ctx, d, stagesFor(d, school))
	if err != nil {
		return nil, err
	}
	past, err := s.past(ctx, d, f, school.ID)
	if err != nil {
		return nil, err
	}
	if in.Explanations == nil { // not sent: the explanations given before stay
		in.Explanations = storedExplanations(sub)
	}
	e := env(school, past)
	e.Explained = explainedSet(in.Explanations)
	values, errs := f.Validate(in.Values, e, in.Draft)
	if len(errs) == 0 {
		if values, errs, err = s.withLedger(ctx, f, d, school.ID, sub.Values, values, e, in.Draft); err != nil {
			return nil, err
		}
	}
	var anoms []forms.Anomaly
	if len(errs) == 0 {
		anoms, errs = forms.Explained(f.Anomalies(values, e), in.Explanations, in.Draft)
	}
	if len(errs) > 0 {
		return nil, fail.Fields(errs)
	}
	before := sub.Values
	next := *sub
	next.Values, next.FormVersion, next.Anomalies = values, f.Version, anoms
	next.SamePrevious = samePrevious(f, past.prev, values)
	next.Version++
	next.UpdatedAt, next.UpdatedBy = s.now(), u.ID
	next.RequestHash = ""
	s.setStatus(&next, f, d, e, in.Draft)
	action := "revise"
	if !in.Draft {
		action = "submit"
	}
	rev := &store.Revision{Action: action, Status: next.Status, By: u.ID, At: next.UpdatedAt,
		Values: next.Values, Changed: changed(before, next.Values)}
	if err := s.Store.CommitSubmission(ctx, sub, &next, rev); err != nil {
		return nil, err
	}
	s.Metrics.Submission(next.Status)
	return &next, nil
}

// Review actions.
const (
	Approve = "approve"
	Return  = "return"
)

// Review approves or returns a submitted submission.
func (s *Service) Review(ctx context.Context, u *store.User, id, action, comment string) (*store.Submission, error) {
	sub, err := s.stored(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !CanReview(u.Role) {
		return nil, fail.New(fail.Forbidden, "只有教育局可以审核", "Only the bureau can review")
	}
	comment = strings.TrimSpace(comment)
	switch {
	case action != Approve && action != Return:
		return nil, fail.Field("action", "option", "操作必须是 approve 或 return", "action must be approve or return")
	case action == Return && comment == "":
		return nil, fail.Field("comment", "required", "退回时请填写原因", "Say why when returning")
	case utf8.RuneCountInString(comment) > 500:
		return nil, fail.Field("comment", "max_length", "意见不能超过 500 字", "The comment may be at most 500 characters")
	}
	next, err := s.decide(ctx, u, sub, action, comment)
	if err == nil && action == Return {
		s.returned(ctx, next)
	}
	return next, err
}

// returned tells the school's channel that its submission came back.
func (s *Service) returned(ctx context.Context, sub *store.Submission) {
	d, err := s.drive(ctx, sub.Drive)
	if err != nil {
		return
	}
	school, err := s.org(ctx, sub.School)
	if err != nil {
		return
	}
	s.notifyReturn(ctx, d, school, "returned", returnOccasion(sub.ID, sub.Version), sub.Review.Comment, s.clientLink("form", d.ID))
}

// decide writes a review action on a submission as a revision of its own.
func (s *Service) decide(ctx context.Context, u *store.User, sub *store.Submission, action, comment string) (*store.Submission, error) {
	if len(sub.Locks) > 0 {
		return nil, errLocked()
	}
	if sub.Status != store.StatusSubmitted && !(sub.Status == store.StatusApproved && action == Return) {
		return nil, fail.New(fail.Conflict, "只能审核已提交的填报", "Only a submitted submission can be reviewed")
	}
	next := *sub
	next.Version++
	next.UpdatedAt, next.UpdatedBy = s.now(), u.ID
	next.Review = &store.Review{Action: action, Comment: comment, By: u.ID, At: next.UpdatedAt}
	next.Status = store.StatusApproved
	if action == Return {
		next.Status = store.StatusReturned
		next.Returns++
		if sub.Status == store.StatusApproved {
			next.AfterApproval++
		}
	}
	rev := &store.Revision{Action: action, Status: next.Status, By: u.ID, At: next.UpdatedAt, Comment: comment}
	if err := s.Store.CommitSubmission(ctx, sub, &next, rev); err != nil {
		return nil, err
	}
	s.Metrics.Submission(next.Status)
	return &next, nil
}
