package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const colHazardBoard = "hazardBoard"

// The board holds the open hazards of every school, without their
// history, in boardParts documents of one JSON text each (a school's
// part is the hash of its code): a bureau's list of open and overdue
// hazards reads these few documents by _id, however many schools and
// reports there are, and keeps those of the schools in its scope.
const boardParts = 16

type boardDoc struct {
	ID      string `bson:"_id"`
	V       int    `bson:"v"`
	Schools string `bson:"schools"` // school → its open hazards
}

func boardPartID(k int) string { return fmt.Sprintf("open|%d", k) }

func (s *Store) boardPart(ctx context.Context, k int) (*boardDoc, map[string][]Hazard, error) {
	var d boardDoc
	err := s.c(colHazardBoard).FindOne(ctx, bson.D{{Key: "_id", Value: boardPartID(k)}}).Decode(&d)
	if err == mongo.ErrNoDocuments {
		return &boardDoc{ID: boardPartID(k)}, map[string][]Hazard{}, nil
	}
	if err != nil {
		return nil, nil, dbErr("read hazard board", err)
	}
	m := map[string][]Hazard{}
	if err := json.Unmarshal([]byte(d.Schools), &m); err != nil {
		return nil, nil, fmt.Errorf("store: unable to read hazard board part %s: %w", d.ID, err)
	}
	return &d, m, nil
}

// OpenHazards returns the open hazards of every school that has some, by
// school, without their history.
func (s *Store) OpenHazards(ctx context.Context) (map[string][]Hazard, error) {
	out := map[string][]Hazard{}
	for k := range boardParts {
		_, m, err := s.boardPart(ctx, k)
		if err != nil {
			return nil, err
		}
		for school, hs := range m {
			out[school] = hs
		}
	}
	return out, nil
}

// openOf is what the board holds of a ledger: its open hazards without
// history.
func openOf(hs []Hazard) []Hazard {
	var out []Hazard
	for _, h := range hs {
		if h.IsOpen() {
			h.History, h.Seen = nil, nil
			out = append(out, h)
		}
	}
	return out
}

// putBoard writes a school's open hazards, as its ledger holds them now,
// into its part of the board. The ledger is read under the part's lock,
// so that of two reports of one school the board ends with the later.
func (s *Store) putBoard(ctx context.Context, school string) error {
	k := partOf(school, boardParts)
	defer locks.lock(boardPartID(k))()
	for attempt := 0; ; attempt++ {
		_, hs, err := s.ledger(ctx, school)
		if err != nil {
			return err
		}
		open := openOf(hs)
		d, m, err := s.boardPart(ctx, k)
		if err != nil {
			return err
		}
		if reflect.DeepEqual(m[school], open) {
			return nil
		}
		if len(open) == 0 {
			delete(m, school)
		} else {
			m[school] = open
		}
		raw, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("store: unable to write the hazard board: %w", err)
		}
		res, err := s.c(colHazardBoard).UpdateOne(ctx, bson.D{{Key: "_id", Value: d.ID}, {Key: "v", Value: d.V}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "schools", Value: string(raw)}, {Key: "v", Value: d.V + 1}}}},
			options.UpdateOne().SetUpsert(d.V == 0))
		stale := mongo.IsDuplicateKeyError(err) || err == nil && res.MatchedCount+res.UpsertedCount == 0
		switch {
		case stale && attempt < 10:
			continue
		case stale:
			return fmt.Errorf("store: hazard board part %s kept changing under this write", d.ID)
		case err != nil:
			return dbErr("write hazard board", err)
		}
		return nil
	}
}
