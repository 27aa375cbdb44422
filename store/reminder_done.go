package store

import "context"

// SettledReminders returns which of the reminders ids are recorded and
// will not be tried again (sent, being sent, or failed maxAttempts times):
// read by _id in one go, so a step that runs each minute claims only what
// is left.
func (s *Store) SettledReminders(ctx context.Context, ids []string, maxAttempts int) (map[string]bool, error) {
	out := map[string]bool{}
	if len(ids) == 0 {
		return out, nil
	}
	var recs []Reminder
	if err := s.find(ctx, colReminders, ids, &recs); err != nil {
		return nil, err
	}
	for _, r := range recs {
		if r.Status != "failed" || r.Attempts >= maxAttempts {
			out[r.ID] = true
		}
	}
	return out, nil
}
