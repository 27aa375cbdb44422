package store

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"maps"
	"slices"
	"strconv"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const colFigures = "figures"

// A drive's figures are the numbers its schools answered, kept apart from
// its sheet in parts of the same schools, each part in figuresSplit
// documents: trends of a field read them,
// while progress and lists, read far more often, read only the sheet's
// statuses (the numbers were three quarters of its bytes).

// Figures holds one school's numbers in a drive at a version.
type Figures struct {
	Version int                `json:"v"`
	Numbers map[string]float64 `json:"n"`
}

type figuresPart struct {
	ID      string   `bson:"_id"`
	V       int      `bson:"v"`
	Figures jsonText `bson:"figures"` // school → Figures
}

// figuresSplit is how many documents hold the figures of one sheet part:
// a submission rewrites the figures of the schools that share its
// document (about 25), not of the part's 200, whose numbers weigh 250 KB.
const figuresSplit = 8

// figuresID is the document of a school's figures within its sheet part.
func figuresID(part, school string) string {
	h := fnv.New32a()
	h.Write([]byte(school))
	return part + "/" + strconv.Itoa(int(h.Sum32()%figuresSplit))
}

// Figures reads the numbers a drive's schools answered, by school.
func (s *Store) Figures(ctx context.Context, d *Drive) (map[string]Figures, error) {
	var ids []string
	for k := range max(d.Parts, 1) {
		for j := range figuresSplit {
			ids = append(ids, sheetPartID(d.ID, k)+"/"+strconv.Itoa(j))
		}
	}
	out := map[string]Figures{}
	for part := range slices.Chunk(ids, answersGroup) {
		cur, err := s.c(colFigures).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: part}}}})
		if err != nil {
			return nil, dbErr("read figures", err)
		}
		var ps []figuresPart
		if err := cur.All(ctx, &ps); err != nil {
			return nil, dbErr("read figures", err)
		}
		for _, p := range ps {
			var some map[string]Figures
			if err := json.Unmarshal([]byte(p.Figures), &some); err != nil {
				return nil, fmt.Errorf("store: unable to read figures %s: %w", p.ID, err)
			}
			maps.Copy(out, some)
		}
	}
	return out, nil
}

func (s *Store) figuresPart(ctx context.Context, id string) (*figuresPart, error) {
	var p figuresPart
	err := s.c(colFigures).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if err == mongo.ErrNoDocuments {
		return &figuresPart{ID: id, Figures: jsonText("{}")}, nil
	}
	return &p, dbErr("read figures", err)
}

// figured is a school's figures on their way into a part.
type figured struct {
	School string
	Figures
}

// flushFigures merges schools' figures into a part, each unless the part
// holds a later version, written over the version it was read at.
func (s *Store) flushFigures(ctx context.Context, id string, items []figured) error {
	for range 10 {
		p, err := s.figuresPart(ctx, id)
		if err != nil {
			return err
		}
		var have map[string]Figures
		if err := json.Unmarshal([]byte(p.Figures), &have); err != nil {
			return fmt.Errorf("store: unable to read figures %s: %w", id, err)
		}
		changed := false
		for _, it := range items {
			if old, ok := have[it.School]; !ok || old.Version < it.Version {
				have[it.School], changed = it.Figures, true
			}
		}
		if !changed {
			return nil
		}
		raw, err := json.Marshal(have)
		if err != nil {
			return fmt.Errorf("store: unable to write figures: %w", err)
		}
		res, err := s.c(colFigures).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "v", Value: p.V}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "figures", Value: jsonText(raw)}, {Key: "v", Value: p.V + 1}}}},
			options.UpdateOne().SetUpsert(p.V == 0))
		if err != nil && !mongo.IsDuplicateKeyError(err) {
			return dbErr("write figures", err)
		}
		if err == nil && res.MatchedCount+res.UpsertedCount == 1 {
			return nil
		}
	}
	return fmt.Errorf("store: figures %s kept changing under this write", id)
}
