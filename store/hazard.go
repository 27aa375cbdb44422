package store

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const colHazards = "hazards"

// The hazard ledger (隐患台账): every safety hazard a school reports is a
// record of its own, from the report that found it until it is closed
// (销号). A school's reports list its hazards in the hazards section's
// repeat group (LedgerSection, LedgerRows); each handed-in report updates
// the ledger, and the hazards still open are carried into the school's
// next report. The ledger of a school is one document whose _id is the
// school's code, its hazards in one JSON text (the embedded server reads
// one text at once, a document's values one by one), those closed long
// ago in its archive (hazard_archive.go); the open hazards of
// every school are also kept in the board (hazard_board.go), for the
// bureau's lists.

// Where a form keeps the ledger: the rows of a section's repeat group,
// each row one hazard, its id in LedgerID (empty for a new one).
const (
	LedgerSection = "hazards"
	LedgerRows    = "items"
	LedgerID      = "hazard_id"
)

// Hazard statuses: a hazard is open until its status is closed.
const (
	HazardOpen   = "open"   // 待整改
	HazardFixing = "fixing" // 整改中
	HazardClosed = "closed" // 已整改销号
)

// Hazard is one hazard of a school's ledger.
type Hazard struct {
	ID          string `json:"id"`
	School      string `json:"school"`
	Category    string `json:"category"`
	Place       string `json:"place"`
	Description string `json:"description"`
	FoundOn     string `json:"foundOn"`
	Level       string `json:"level"`
	Measure     string `json:"measure,omitempty"`
	Responsible string `json:"responsible,omitempty"`
	Deadline    string `json:"deadline,omitempty"`
	Status      string `json:"status"`
	ClosedOn    string `json:"closedOn,omitempty"`
	Evidence    string `json:"evidence,omitempty"`
	// FoundIn is the drive whose report found it; Reported every drive
	// whose report listed it, oldest first.
	FoundIn   string    `json:"foundIn"`
	Reported  []string  `json:"reported"`
	UpdatedAt time.Time `json:"updatedAt"`
	// History holds every change, oldest first.
	History []HazardEvent `json:"history,omitempty"`
	// seen is each report's last word on the hazard (submission → row),
	// so that a report changes only what it changed itself.
	Seen map[string]map[string]string `json:"seen,omitempty"`
}

// HazardEvent is one change of a hazard, by one handed-in report.
type HazardEvent struct {
	At         time.Time `json:"at"`
	By         string    `json:"by"`
	Drive      string    `json:"drive"`
	Submission string    `json:"submission"`
	Version    int       `json:"version"`
	// Action is found, updated, closed or reopened.
	Action string `json:"action"`
	// Changes are the fields changed, as [before, after].
	Changes map[string][2]string `json:"changes,omitempty"`
}

// Hazard actions.
const (
	HazardFound    = "found"
	HazardUpdated  = "updated"
	HazardClosedAs = "closed"
	HazardReopened = "reopened"
)

// hazardFields maps the row fields of the ledger's repeat group to a
// hazard's fields.
var hazardFields = []struct {
	id  string
	ref func(h *Hazard) *string
}{
	{"category", func(h *Hazard) *string { return &h.Category }},
	{"place", func(h *Hazard) *string { return &h.Place }},
	{"description", func(h *Hazard) *string { return &h.Description }},
	{"found_on", func(h *Hazard) *string { return &h.FoundOn }},
	{"level", func(h *Hazard) *string { return &h.Level }},
	{"measure", func(h *Hazard) *string { return &h.Measure }},
	{"responsible", func(h *Hazard) *string { return &h.Responsible }},
	{"deadline", func(h *Hazard) *string { return &h.Deadline }},
	{"status", func(h *Hazard) *string { return &h.Status }},
	{"closed_on", func(h *Hazard) *string { return &h.ClosedOn }},
	{"evidence", func(h *Hazard) *string { return &h.Evidence }},
}

// Row is the hazard as a row of the ledger's repeat group, the way a
// report carries it on: its id and its fields, empty ones left out.
func (h *Hazard) Row() map[string]any {
	row := map[string]any{LedgerID: h.ID}
	for _, f := range hazardFields {
		if v := *f.ref(h); v != "" {
			row[f.id] = v
		}
	}
	return row
}

// fields is the hazard's row fields as texts.
func (h *Hazard) fields() map[string]string {
	out := make(map[string]string, len(hazardFields))
	for _, f := range hazardFields {
		out[f.id] = *f.ref(h)
	}
	return out
}

// IsOpen reports whether the hazard is not closed.
func (h *Hazard) IsOpen() bool { return h.Status != HazardClosed }

// Overdue reports whether the hazard is open past its deadline on day
// today ("2026-12-01").
func (h *Hazard) Overdue(today string) bool {
	return h.IsOpen() && h.Deadline != "" && h.Deadline < today
}

// rowFields reads a report's row as texts, by the ledger's field ids.
func rowFields(row map[string]any) map[string]string {
	out := make(map[string]string, len(hazardFields))
	for _, f := range hazardFields {
		if s, ok := row[f.id].(string); ok {
			out[f.id] = s
		} else {
			out[f.id] = ""
		}
	}
	return out
}

// HazardReport is a handed-in report's word on a school's hazards: the
// rows of its ledger section, each with its id.
type HazardReport struct {
	School     string
	Drive      string
	Submission string
	Version    int
	At         time.Time
	By         string
	Rows       []map[string]any
}

// ReportOf is the hazard report of a submission: nil when it is a draft
// or has no ledger section.
func ReportOf(sub *Submission) *HazardReport {
	sec := sub.Values[LedgerSection]
	if sub.Status == StatusDraft || sec == nil {
		return nil
	}
	r := &HazardReport{School: sub.School, Drive: sub.Drive, Submission: sub.ID, Version: sub.Version, At: sub.UpdatedAt, By: sub.UpdatedBy}
	rows, _ := sec[LedgerRows].([]any)
	for _, x := range rows {
		if row, ok := x.(map[string]any); ok {
			if id, _ := row[LedgerID].(string); id != "" {
				r.Rows = append(r.Rows, row)
			}
		}
	}
	return r
}

// apply updates hazards with a report: a row of a new id is a new hazard;
// a row of a known one changes the fields that differ from what the same
// report said of it last (from the hazard as it stands when the report
// first lists it), so that an old report revised later does not undo what
// a newer one changed. It reports whether anything changed.
func apply(hazards []Hazard, r *HazardReport) ([]Hazard, bool) {
	changed := false
	for _, row := range r.Rows {
		id, _ := row[LedgerID].(string)
		now := rowFields(row)
		i := slices.IndexFunc(hazards, func(h Hazard) bool { return h.ID == id })
		if i < 0 {
			h := Hazard{ID: id, School: r.School, FoundIn: r.Drive}
			ev := r.event(HazardFound)
			ev.Changes = map[string][2]string{}
			for _, f := range hazardFields {
				if v := now[f.id]; v != "" {
					*f.ref(&h) = v
					ev.Changes[f.id] = [2]string{"", v}
				}
			}
			h.History = append(h.History, ev)
			if h.Status == HazardClosed {
				h.History = append(h.History, r.event(HazardClosedAs))
			}
			h.UpdatedAt = r.At
			hazards = append(hazards, h)
			i, changed = len(hazards)-1, true
		} else {
			h := &hazards[i]
			base := h.Seen[r.Submission]
			if base == nil {
				base = h.fields()
			}
			diff := map[string][2]string{}
			for _, f := range hazardFields {
				if now[f.id] != base[f.id] && now[f.id] != *f.ref(h) {
					diff[f.id] = [2]string{*f.ref(h), now[f.id]}
				}
			}
			if len(diff) > 0 {
				wasOpen := h.IsOpen()
				for id, d := range diff {
					for _, f := range hazardFields {
						if f.id == id {
							*f.ref(h) = d[1]
						}
					}
				}
				action := HazardUpdated
				switch {
				case wasOpen && !h.IsOpen():
					action = HazardClosedAs
				case !wasOpen && h.IsOpen():
					action = HazardReopened
				}
				ev := r.event(action)
				ev.Changes = diff
				h.History = append(h.History, ev)
				h.UpdatedAt, changed = r.At, true
			}
		}
		h := &hazards[i]
		if !maps.Equal(h.Seen[r.Submission], now) {
			if h.Seen == nil {
				h.Seen = map[string]map[string]string{}
			}
			h.Seen[r.Submission], changed = now, true
		}
		if !slices.Contains(h.Reported, r.Drive) {
			h.Reported, changed = append(h.Reported, r.Drive), true
		}
	}
	return hazards, changed
}

func (r *HazardReport) event(action string) HazardEvent {
	return HazardEvent{At: r.At, By: r.By, Drive: r.Drive, Submission: r.Submission, Version: r.Version, Action: action}
}

// ledgerDoc is a school's ledger as stored: its hazards still open or
// closed lately, and the ids of those moved to its archive
// (hazard_archive.go).
type ledgerDoc struct {
	ID       string   `bson:"_id"`
	V        int      `bson:"v"`
	Hazards  jsonText `bson:"hazards"`
	Archived []string `bson:"archived,omitempty"`
}

func (s *Store) ledger(ctx context.Context, school string) (*ledgerDoc, []Hazard, error) {
	var d ledgerDoc
	err := s.c(colHazards).FindOne(ctx, bson.D{{Key: "_id", Value: school}}).Decode(&d)
	if err == mongo.ErrNoDocuments {
		return &ledgerDoc{ID: school}, nil, nil
	}
	if err != nil {
		return nil, nil, dbErr("read hazard ledger", err)
	}
	s.ledgers.put(school, d.V, d.Hazards, d.Archived)
	hs, err := readLedger(school, d.Hazards)
	return &d, hs, err
}

func readLedger(school string, text []byte) ([]Hazard, error) {
	var hs []Hazard
	if err := json.Unmarshal(text, &hs); err != nil {
		return nil, fmt.Errorf("store: unable to read the hazard ledger of %s: %w", school, err)
	}
	return hs, nil
}

// Hazards returns a school's whole ledger: every hazard it reported, open
// or closed, with its history, in the order they were found. Those closed
// long ago are read from its archive.
func (s *Store) Hazards(ctx context.Context, school string) ([]Hazard, error) {
	d, hs, err := s.ledger(ctx, school)
	if err != nil {
		return nil, err
	}
	return s.withArchived(ctx, school, hs, d.Archived)
}

// LiveHazards returns a school's open hazards and those closed lately,
// with any archived hazard among ids: what a report naming ids is checked
// against and carries on. It reads as much whatever the school's years.
func (s *Store) LiveHazards(ctx context.Context, school string, ids []string) ([]Hazard, error) {
	d, hs, err := s.ledger(ctx, school)
	if err != nil {
		return nil, err
	}
	return s.withArchived(ctx, school, hs, among(d.Archived, ids))
}

// ApplyHazards writes a report into its school's ledger and the board of
// open hazards. Applying a report twice changes nothing the second time.
// A submission's write applies its report itself (see index), under the
// submission's note.
func (s *Store) ApplyHazards(ctx context.Context, r *HazardReport) error {
	return s.applyHazards(ctx, r, false)
}

// putHazards applies a handed-in submission's report, if it has one.
func (s *Store) putHazards(ctx context.Context, sub *Submission) error {
	if r := ReportOf(sub); r != nil {
		return s.applyHazards(ctx, r, false)
	}
	return nil
}

// applyHazards writes a report into the ledger and, when that changed the
// ledger, the school's open hazards into the board as the version written
// holds them; mending, the board is written even when the ledger was not
// (a write cut short between the two is finished so), from the ledger as
// stored. The two are written under locks of their own, one after the
// other: locks are striped, and one held while taking another could wait
// on itself.
func (s *Store) applyHazards(ctx context.Context, r *HazardReport, mending bool) error {
	v, live, changed, err := s.writeLedger(ctx, r)
	if err != nil || !changed && !mending {
		return err
	}
	if !changed {
		d, hs, err := s.ledger(ctx, r.School)
		if err != nil {
			return err
		}
		v, live = d.V, hs
	}
	return s.writeBoard(ctx, r.School, v, openOf(live))
}

// writeLedger applies a report to its school's ledger and reports whether
// that changed it and, if so, the version written and its hazards. Archived hazards the report names come back into the
// ledger; hazards closed archiveAfter before the report move out of it,
// copied into the archive as the ledger's version d.V holds them before
// that version is replaced, so that a write that turns out stale copies
// nothing it did not read as written.
func (s *Store) writeLedger(ctx context.Context, r *HazardReport) (v int, live []Hazard, changed bool, err error) {
	defer locks.lock(colHazards + "|" + r.School)()
	for attempt := 0; ; attempt++ {
		d, hs, err := s.ledgerToWrite(ctx, r.School, attempt)
		if err != nil {
			return 0, nil, false, err
		}
		named := reportIDs(r)
		revived := among(d.Archived, named)
		if len(revived) > 0 {
			old, err := s.archivedHazards(ctx, r.School, revived)
			if err != nil {
				return 0, nil, false, err
			}
			hs = merged(hs, old)
		}
		moved := toArchive(hs, named, r.At)
		hs, changed := apply(hs, r)
		if !changed {
			return 0, nil, false, nil
		}
		if err := s.archive(ctx, r.School, d.V, moved); err != nil {
			return 0, nil, false, err
		}
		live := slices.DeleteFunc(hs, func(h Hazard) bool { _, ok := moved[h.ID]; return ok })
		archived := slices.DeleteFunc(slices.Clone(d.Archived), func(id string) bool { return slices.Contains(revived, id) })
		for id := range moved {
			archived = append(archived, id)
		}
		slices.Sort(archived)
		text, err := json.Marshal(live)
		if err != nil {
			return 0, nil, false, fmt.Errorf("store: unable to write the hazard ledger of %s: %w", r.School, err)
		}
		stale, err := s.putLedger(ctx, r.School, d.V, text, archived)
		switch {
		case stale && attempt < 10:
			continue
		case stale:
			return 0, nil, false, fmt.Errorf("store: the hazard ledger of %s kept changing under this write", r.School)
		case err != nil:
			return 0, nil, false, dbErr("write hazard ledger", err)
		}
		s.ledgers.put(r.School, d.V+1, text, archived)
		return d.V + 1, live, true, nil
	}
}

// ledgerToWrite is the ledger a write starts from: at first the latest
// this Store saw, when it has it, then as the database holds it.
func (s *Store) ledgerToWrite(ctx context.Context, school string, attempt int) (*ledgerDoc, []Hazard, error) {
	if l, ok := s.ledgers.get(school); ok && attempt == 0 {
		hs, err := readLedger(school, l.text)
		return &ledgerDoc{ID: school, V: l.v, Archived: l.archived}, hs, err
	}
	return s.ledger(ctx, school)
}

// putLedger writes a school's ledger as version v+1 if it is still at
// version v; stale says another write came first.
func (s *Store) putLedger(ctx context.Context, school string, v int, text []byte, archived []string) (stale bool, err error) {
	if archived == nil {
		archived = []string{}
	}
	return s.putVersioned(ctx, colHazards, school, v, bson.D{{Key: "hazards", Value: jsonText(text)}, {Key: "archived", Value: archived}})
}

// putVersioned sets fields of a document and its version to v+1 if it is
// still at version v (0: not there yet); stale says another write came
// first.
func (s *Store) putVersioned(ctx context.Context, coll, id string, v int, set bson.D) (stale bool, err error) {
	set = append(set, bson.E{Key: "v", Value: v + 1})
	res, err := s.c(coll).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "v", Value: v}},
		bson.D{{Key: "$set", Value: set}}, options.UpdateOne().SetUpsert(v == 0))
	if mongo.IsDuplicateKeyError(err) || err == nil && res.MatchedCount+res.UpsertedCount == 0 {
		return true, nil
	}
	return false, err
}

// mendHazards applies the report of a submission whose ledger write was
// cut short, as the submission now stands: for the notes of its own kind
// that a release before this one left.
func (s *Store) mendHazards(ctx context.Context, id string) error {
	var sub Submission
	if err := s.c(colSubmissions).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&sub); err != nil {
		return dbErr("find submission", err)
	}
	normalize(sub.Values)
	cur, err := s.RollForward(ctx, &sub)
	if err != nil {
		return err
	}
	if r := ReportOf(cur); r != nil {
		return s.applyHazards(ctx, r, true)
	}
	return nil
}
