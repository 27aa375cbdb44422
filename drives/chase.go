package drives

import (
	"context"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// What became of one reminder channel when a drive was chased.
const (
	OutcomeSent        = "sent"         // the channel took the message
	OutcomeFailed      = "failed"       // it did not: Failure says why
	OutcomeNoneMissing = "none_missing" // every school of its unit has submitted
	OutcomeAlreadySent = "already_sent" // a chase of this minute reached it already
	OutcomeNotCovered  = "not_covered"  // its unit has no school in the drive
)

// ChaseChannel is one reminder channel of a chase: whom it speaks for
// (Org, with the number of its missing schools) and what became of it.
type ChaseChannel struct {
	ID      string                 `json:"id"`
	Name    string                 `json:"name"`
	Format  string                 `json:"format"`
	Org     string                 `json:"org"`
	OrgName string                 `json:"orgName,omitempty"`
	Missing int                    `json:"missing"`
	Outcome string                 `json:"outcome"`
	Failure *store.ReminderFailure `json:"failure,omitempty"`
}

// ChaseResult is what a chase did: how many channels took the message,
// and every channel in the caller's scope with its outcome. No channel at
// all means none is configured.
type ChaseResult struct {
	Sent     int            `json:"sent"`
	Channels []ChaseChannel `json:"channels"`
}

// Chase sends a reminder about one drive now to the webhooks in the
// caller's scope (一键催报). Taps within the same minute send once.
func (s *Service) Chase(ctx context.Context, u *store.User, driveID string) (*ChaseResult, error) {
	d, err := s.Drive(ctx, u, driveID)
	if err != nil {
		return nil, err
	}
	if s.Sender == nil {
		return nil, fail.New(fail.Unavailable, "未配置提醒通道", "No reminder channel is configured")
	}
	res := &ChaseResult{Channels: []ChaseChannel{}}
	res.Sent, err = s.notify(ctx, d, u.Org, "chase-"+s.Now().UTC().Format("200601021504"), "chase",
		func(c ChaseChannel) { res.Channels = append(res.Channels, c) })
	if err != nil {
		return nil, err
	}
	return res, nil
}
