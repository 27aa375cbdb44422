package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const colHazardArchive = "hazardArchive"

// A school's ledger document holds the hazards it is working on: the open
// ones and those closed within archiveAfter. A hazard closed longer ago
// moves, at the ledger's next write, to a document of its own in the
// archive (_id school|hazard), and the ledger keeps its id. A report reads
// and writes the ledger document alone, however many years the school has
// reported; the school's whole ledger (its screen) reads the archive too,
// by _id. A report that names an archived hazard (the revision of an old
// report) brings it back into the ledger.
//
// Archived copies are written before the ledger that drops them, each
// stamped with the ledger version it was copied from, and a copy never
// replaces one stamped later: two instances archiving from one version
// write the same copy, and a write cut short leaves copies that no ledger
// names yet, which the next write makes again.
const archiveAfter = 90 * 24 * time.Hour

type archivedDoc struct {
	ID     string   `bson:"_id"`
	School string   `bson:"school"`
	V      int      `bson:"v"` // the ledger version it was copied from
	Hazard jsonText `bson:"hazard"`
}

func archiveID(school, hazard string) string { return school + "|" + hazard }

// toArchive picks the hazards of a ledger that a report at "at" moves to
// the archive: closed archiveAfter before it, and not named by it.
func toArchive(hs []Hazard, named []string, at time.Time) map[string]Hazard {
	out := map[string]Hazard{}
	cut := at.Add(-archiveAfter)
	for _, h := range hs {
		if !h.IsOpen() && h.UpdatedAt.Before(cut) && !slices.Contains(named, h.ID) {
			out[h.ID] = h
		}
	}
	return out
}

// reportIDs are the hazards a report names.
func reportIDs(r *HazardReport) []string {
	var out []string
	for _, row := range r.Rows {
		if id, _ := row[LedgerID].(string); id != "" {
			out = append(out, id)
		}
	}
	return out
}

// among returns the ids of archived that are in ids.
func among(archived, ids []string) []string {
	var out []string
	for _, id := range ids {
		if _, found := slices.BinarySearch(archived, id); found && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// archive copies hazards of a school's ledger at version v into the
// archive, where no copy from a later version is.
func (s *Store) archive(ctx context.Context, school string, v int, hs map[string]Hazard) error {
	for id, h := range hs {
		text, err := json.Marshal(&h)
		if err != nil {
			return fmt.Errorf("store: unable to archive hazard %s: %w", id, err)
		}
		_, err = s.c(colHazardArchive).UpdateOne(ctx,
			bson.D{{Key: "_id", Value: archiveID(school, id)}, {Key: "v", Value: bson.D{{Key: "$lt", Value: v}}}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "school", Value: school}, {Key: "v", Value: v}, {Key: "hazard", Value: jsonText(text)}}}},
			options.UpdateOne().SetUpsert(true))
		if err != nil && !mongo.IsDuplicateKeyError(err) {
			return dbErr("archive hazard", err)
		}
	}
	return nil
}

// archivedHazards reads archived hazards of a school by id.
func (s *Store) archivedHazards(ctx context.Context, school string, ids []string) ([]Hazard, error) {
	keys := make([]string, len(ids))
	for i, id := range ids {
		keys[i] = archiveID(school, id)
	}
	var docs []archivedDoc
	if err := s.find(ctx, colHazardArchive, keys, &docs); err != nil {
		return nil, err
	}
	out := make([]Hazard, 0, len(docs))
	for _, d := range docs {
		var h Hazard
		if err := json.Unmarshal(d.Hazard, &h); err != nil {
			return nil, fmt.Errorf("store: unable to read archived hazard %s: %w", d.ID, err)
		}
		out = append(out, h)
	}
	return out, nil
}

// withArchived adds to a school's live hazards its archived ones among
// ids, in the order they were found.
func (s *Store) withArchived(ctx context.Context, school string, live []Hazard, ids []string) ([]Hazard, error) {
	if len(ids) == 0 {
		return live, nil
	}
	old, err := s.archivedHazards(ctx, school, ids)
	if err != nil {
		return nil, err
	}
	return merged(live, old), nil
}

// merged puts archived hazards among live ones in the order they were
// found (of hazards found by one report, the archived ones first); a
// hazard in both is the live one.
func merged(live, old []Hazard) []Hazard {
	old = slices.DeleteFunc(old, func(h Hazard) bool {
		return slices.ContainsFunc(live, func(x Hazard) bool { return x.ID == h.ID })
	})
	all := append(old, live...)
	slices.SortStableFunc(all, func(a, b Hazard) int { return foundAt(a).Compare(foundAt(b)) })
	return all
}

// foundAt is when a hazard entered the ledger.
func foundAt(h Hazard) time.Time {
	if len(h.History) > 0 {
		return h.History[0].At
	}
	return h.UpdatedAt
}
