package drives

import (
	"context"
)

// Settle completes, for each drive that closed within the last 30 days and
// is not settled yet, the writes to its submissions that stopped between
// storing their revision and updating the submission (see
// store.RollForwardDrive): once a drive is locked no next write would
// complete them, and its progress and exports read the submissions as they
// are stored. It reports how many submissions it rolled forward. Settling
// is idempotent, so instances may run it at once.
func (s *Service) Settle(ctx context.Context) (int, error) {
	now := s.Now()
	drives, err := s.Store.UnsettledDrives(ctx, now.Add(-recentlyClosed), now)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, d := range drives {
		n, err := s.Store.RollForwardDrive(ctx, d.ID)
		total += n
		if err != nil {
			return total, err
		}
		if n > 0 {
			s.Log.Warn("completed interrupted submission writes of a closed drive", "drive", d.ID, "submissions", n)
		}
		if err := s.Store.SettleDrive(ctx, d.ID, now.UTC()); err != nil {
			return total, err
		}
	}
	return total, nil
}
