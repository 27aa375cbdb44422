package drives

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// MaxBulk bounds the submissions one bulk approval names.
const MaxBulk = 2000

// BulkItem names a submission and the version the reviewer saw.
type BulkItem struct {
	ID      string `json:"id"`
	Version int    `json:"version"`
}

// BulkInput is a bulk approval: every submitted submission in the
// caller's scope (or the unit Under) with no compliance failure, or the
// items given.
type BulkInput struct {
	All     bool
	Under   string
	Items   []BulkItem
	Comment string
}

// BulkOutcome is what became of one submission of a bulk approval.
type BulkOutcome struct {
	ID      string `json:"id"`
	School  string `json:"school,omitempty"`
	Name    string `json:"schoolName,omitempty"`
	Version int    `json:"version"`
	Reason  string `json:"reason,omitempty"` // not_found, stale, not_submitted, locked, noncompliant
	Message string `json:"message,omitempty"`
}

// BulkResult lists the submissions approved and those skipped, with why.
type BulkResult struct {
	Approved []BulkOutcome `json:"approved"`
	Skipped  []BulkOutcome `json:"skipped"`
}

// ApproveMany approves many submissions of a drive, each with its own
// revision claiming its next version: each is approved whole or not at
// all, a version that moved on is skipped as stale, and the answer says
// which went which way. The input is checked whole before any write.
func (s *Service) ApproveMany(ctx context.Context, u *store.User, driveID string, in BulkInput) (*BulkResult, error) {
	d, err := s.Drive(ctx, u, driveID)
	if err != nil {
		return nil, err
	}
	if !CanReview(u.Role) {
		return nil, fail.New(fail.Forbidden, "只有教育局可以审核", "Only the bureau can review")
	}
	in.Comment = strings.TrimSpace(in.Comment)
	switch {
	case utf8.RuneCountInString(in.Comment) > 500:
		return nil, fail.Field("comment", "max_length", "意见不能超过 500 字", "The comment may be at most 500 characters")
	case in.All == (len(in.Items) > 0):
		return nil, fail.Field("submissions", "required", "请选择要审核的填报，或选择全部", "Name the submissions, or ask for all")
	case len(in.Items) > MaxBulk:
		return nil, fail.Field("submissions", "max_items", fmt.Sprintf("一次最多审核 %d 份", MaxBulk), fmt.Sprintf("At most %d at once", MaxBulk))
	}
	seen := map[string]bool{}
	for i, it := range in.Items {
		if it.ID == "" || it.Version < 1 || seen[it.ID] {
			return nil, fail.Field(fmt.Sprintf("submissions[%d]", i), "invalid", "需要填报编号和版本号，且不能重复", "needs an id and a version, each once")
		}
		seen[it.ID] = true
	}
	items := in.Items
	res := &BulkResult{Approved: []BulkOutcome{}, Skipped: []BulkOutcome{}}
	if in.All {
		v, err := s.viewOf(ctx, u, d, in.Under)
		if err != nil {
			return nil, err
		}
		for _, school := range v.schools {
			e := v.entries[school.ID]
			switch {
			case e == nil || e.Status != store.StatusSubmitted:
			case e.Failures() > 0:
				res.Skipped = append(res.Skipped, BulkOutcome{ID: e.ID, School: school.ID, Name: school.Name, Version: e.Version,
					Reason: "noncompliant", Message: "有不达标项，请逐份审核"})
			default:
				items = append(items, BulkItem{ID: e.ID, Version: e.Version})
			}
		}
	}
	for _, it := range items {
		out, err := s.approveOne(ctx, u, d, it, in.Comment)
		switch {
		case err != nil:
			return nil, err
		case out.Reason == "":
			res.Approved = append(res.Approved, out)
		default:
			res.Skipped = append(res.Skipped, out)
		}
	}
	return res, nil
}

// approveOne approves one submission of a bulk approval; a reason says
// why it was skipped, an error that nothing more can be done.
func (s *Service) approveOne(ctx context.Context, u *store.User, d *store.Drive, it BulkItem, comment string) (BulkOutcome, error) {
	out := BulkOutcome{ID: it.ID, Version: it.Version}
	sub, err := s.Submission(ctx, u, it.ID)
	if fail.Is(err, fail.NotFound) || err == nil && sub.Drive != d.ID {
		out.Reason, out.Message = "not_found", "不在该任务或您的范围内"
		return out, nil
	}
	if err != nil {
		return out, err
	}
	out.School, out.Name = sub.School, sub.SchoolName
	switch {
	case sub.Version != it.Version:
		out.Reason, out.Message = "stale", "数据已被他人修改"
	case len(sub.Locks) > 0:
		out.Reason, out.Message = "locked", "上级单位已签收"
	case sub.Status != store.StatusSubmitted:
		out.Reason, out.Message = "not_submitted", "不是待审核的填报"
	}
	if out.Reason != "" {
		return out, nil
	}
	next, err := s.decide(ctx, u, sub, Approve, comment)
	switch {
	case fail.Is(err, fail.Conflict):
		out.Reason, out.Message = "stale", "数据已被他人修改"
		return out, nil
	case fail.Is(err, fail.Locked):
		out.Reason, out.Message = "locked", "上级单位已签收"
		return out, nil
	case err != nil:
		return out, err
	}
	out.Version = next.Version
	return out, nil
}
