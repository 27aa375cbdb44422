package store

import (
	"context"
	"encoding/json"
	"fmt"
	"reflect"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

const colHazardBoard = "hazardBoard"

// The board holds the open hazards of every school, without their
// history, in boardParts documents of one JSON text each (a school's
// part is the hash of its code): a bureau's list of open and overdue
// hazards reads these documents by _id, however many schools and reports
// there are, and keeps those of the schools in its scope. The embedded
// server reads a document at about 90 ms a megabyte: a hazard is kept in
// short keys, and a report rewrites one part of 1/64 of the schools.
const boardParts = 64

type boardDoc struct {
	ID      string   `bson:"_id"`
	V       int      `bson:"v"`
	Schools jsonText `bson:"schools"` // school → its open hazards (boardHazard)
	// Ledgers is school → the version of its ledger the board holds, so
	// that a writer that read an older ledger leaves a newer entry alone.
	Ledgers jsonText `bson:"ledgers,omitempty"`
}

// boardHazard is an open hazard as the board keeps it.
type boardHazard struct {
	ID          string    `json:"i"`
	Category    string    `json:"c,omitempty"`
	Place       string    `json:"p,omitempty"`
	Description string    `json:"d,omitempty"`
	FoundOn     string    `json:"f,omitempty"`
	Level       string    `json:"l,omitempty"`
	Measure     string    `json:"m,omitempty"`
	Responsible string    `json:"r,omitempty"`
	Deadline    string    `json:"dl,omitempty"`
	Status      string    `json:"s,omitempty"`
	Evidence    string    `json:"e,omitempty"`
	FoundIn     string    `json:"fi,omitempty"`
	Reported    []string  `json:"rp,omitempty"`
	UpdatedAt   time.Time `json:"u"`
}

func toBoard(h *Hazard) boardHazard {
	return boardHazard{ID: h.ID, Category: h.Category, Place: h.Place, Description: h.Description, FoundOn: h.FoundOn,
		Level: h.Level, Measure: h.Measure, Responsible: h.Responsible, Deadline: h.Deadline, Status: h.Status,
		Evidence: h.Evidence, FoundIn: h.FoundIn, Reported: h.Reported, UpdatedAt: h.UpdatedAt}
}

func (b *boardHazard) hazard(school string) Hazard {
	return Hazard{ID: b.ID, School: school, Category: b.Category, Place: b.Place, Description: b.Description, FoundOn: b.FoundOn,
		Level: b.Level, Measure: b.Measure, Responsible: b.Responsible, Deadline: b.Deadline, Status: b.Status,
		Evidence: b.Evidence, FoundIn: b.FoundIn, Reported: b.Reported, UpdatedAt: b.UpdatedAt}
}

func boardPartID(k int) string { return fmt.Sprintf("open|%d", k) }

func (s *Store) boardPart(ctx context.Context, k int) (*boardDoc, map[string][]boardHazard, map[string]int, error) {
	var d boardDoc
	err := s.c(colHazardBoard).FindOne(ctx, bson.D{{Key: "_id", Value: boardPartID(k)}}).Decode(&d)
	if err == mongo.ErrNoDocuments {
		return &boardDoc{ID: boardPartID(k)}, map[string][]boardHazard{}, map[string]int{}, nil
	}
	if err != nil {
		return nil, nil, nil, dbErr("read hazard board", err)
	}
	m, vs, err := d.decode(true)
	return &d, m, vs, err
}

// decode reads a board part's open hazards and, when asked, the ledger
// versions they came from.
func (d *boardDoc) decode(versions bool) (map[string][]boardHazard, map[string]int, error) {
	m, vs := map[string][]boardHazard{}, map[string]int{}
	if err := json.Unmarshal(d.Schools, &m); err != nil {
		return nil, nil, fmt.Errorf("store: unable to read hazard board part %s: %w", d.ID, err)
	}
	if versions && len(d.Ledgers) > 0 {
		if err := json.Unmarshal(d.Ledgers, &vs); err != nil {
			return nil, nil, fmt.Errorf("store: unable to read hazard board part %s: %w", d.ID, err)
		}
	}
	return m, vs, nil
}

// OpenHazards returns the open hazards of every school that has some, by
// school, without their history: the board's parts in one read by _id.
func (s *Store) OpenHazards(ctx context.Context) (map[string][]Hazard, error) {
	ids := make([]string, boardParts)
	for k := range ids {
		ids[k] = boardPartID(k)
	}
	var docs []boardDoc
	if err := s.find(ctx, colHazardBoard, ids, &docs); err != nil {
		return nil, err
	}
	out := map[string][]Hazard{}
	for _, d := range docs {
		m, _, err := d.decode(false)
		if err != nil {
			return nil, err
		}
		for school, bs := range m {
			hs := make([]Hazard, len(bs))
			for i := range bs {
				hs[i] = bs[i].hazard(school)
			}
			out[school] = hs
		}
	}
	return out, nil
}

// openOf is what the board holds of a ledger: its open hazards without
// history.
func openOf(hs []Hazard) []boardHazard {
	var out []boardHazard
	for i := range hs {
		if hs[i].IsOpen() {
			out = append(out, toBoard(&hs[i]))
		}
	}
	return out
}

// writeBoard puts the open hazards of a school's ledger at version v into
// its board part, unless the part holds a later version's: of two reports
// of one school, on one instance or two, the board ends with the later.
func (s *Store) writeBoard(ctx context.Context, school string, v int, open []boardHazard) error {
	k := partOf(school, boardParts)
	defer locks.lock(boardPartID(k))()
	for attempt := 0; ; attempt++ {
		d, m, vs, err := s.boardPart(ctx, k)
		if err != nil {
			return err
		}
		if vs[school] > v || vs[school] == v && reflect.DeepEqual(m[school], open) {
			return nil
		}
		if len(open) == 0 {
			delete(m, school)
		} else {
			m[school] = open
		}
		vs[school] = v
		text, err := json.Marshal(m)
		if err != nil {
			return fmt.Errorf("store: unable to write hazard board part %s: %w", d.ID, err)
		}
		versions, err := json.Marshal(vs)
		if err != nil {
			return fmt.Errorf("store: unable to write hazard board part %s: %w", d.ID, err)
		}
		stale, err := s.putVersioned(ctx, colHazardBoard, d.ID, d.V, bson.D{{Key: "schools", Value: jsonText(text)}, {Key: "ledgers", Value: jsonText(versions)}})
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
