package store

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const colDirectory = "directory"

// The directory is the whole org tree in a few documents: each part holds
// the orgs whose id hashes to it as one JSON text. The embedded server
// reads a document's values one by one, slowly (a 5,000-school scan of the
// orgs took seconds); one text value of a thousand orgs it reads at once.
// Every request that needs the tree (progress, lists, exports) reads the
// meta document and the parts by _id: a handful of lookups, exact, with no
// cache to go stale. The orgs collection stays the record; every write to
// it is written here too (see PutOrg).
const (
	dirMetaID   = "dir"
	orgsPerPart = 1000
)

// dirMeta says which generation of parts is current, how many it has and
// the version each part has reached (a part's number → version).
type dirMeta struct {
	ID       string         `bson:"_id"`
	Gen      int            `bson:"gen"`
	Parts    int            `bson:"parts"`
	Versions map[string]int `bson:"versions,omitempty"`
}

type dirPart struct {
	ID   string `bson:"_id"`
	V    int    `bson:"v"`
	Orgs string `bson:"orgs"`
}

func partID(gen, k int) string { return fmt.Sprintf("dir|%d|%d", gen, k) }

func partOf(id string, parts int) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(parts))
}

// Tree reads the whole org tree from the directory. The parts this Store
// read before are kept with their versions and read again only when the
// meta document says a part moved on: a request then costs one lookup.
func (s *Store) Tree(ctx context.Context) (*Tree, error) {
	meta, err := s.dirMeta(ctx)
	if err != nil {
		return nil, err
	}
	s.tree.mu.Lock()
	defer s.tree.mu.Unlock()
	c := &s.tree
	if c.gen != meta.Gen || len(c.parts) != meta.Parts {
		c.gen, c.parts, c.built = meta.Gen, make([]treePart, meta.Parts), nil
	}
	for k := range meta.Parts {
		if c.parts[k].orgs != nil && c.parts[k].v >= meta.Versions[strconv.Itoa(k)] {
			continue
		}
		p, err := s.dirPart(ctx, partID(meta.Gen, k))
		if err != nil {
			return nil, err
		}
		var some []Org
		if err := json.Unmarshal([]byte(p.Orgs), &some); err != nil {
			return nil, fmt.Errorf("store: unable to read directory part %s: %w", p.ID, err)
		}
		c.parts[k], c.built = treePart{v: p.V, orgs: some}, nil
	}
	if c.built == nil {
		var orgs []Org
		for _, p := range c.parts {
			orgs = append(orgs, p.orgs...)
		}
		c.built = NewTree(orgs)
	}
	return c.built, nil
}

// treeCache is the directory's parts as last read, and the tree built of
// them: shared by requests, never changed once built.
type treeCache struct {
	mu    sync.Mutex
	gen   int
	parts []treePart
	built *Tree
}

type treePart struct {
	v    int
	orgs []Org
}

func (s *Store) dirMeta(ctx context.Context) (*dirMeta, error) {
	var m dirMeta
	err := s.c(colDirectory).FindOne(ctx, bson.D{{Key: "_id", Value: dirMetaID}}).Decode(&m)
	if err == mongo.ErrNoDocuments {
		return &dirMeta{ID: dirMetaID}, nil
	}
	return &m, dbErr("read directory", err)
}

func (s *Store) dirPart(ctx context.Context, id string) (*dirPart, error) {
	var p dirPart
	err := s.c(colDirectory).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
	if err == mongo.ErrNoDocuments {
		return &dirPart{ID: id, Orgs: "[]"}, nil
	}
	return &p, dbErr("read directory part", err)
}

// putDirectory writes orgs into their parts of the directory, growing it
// when it has too few parts for its orgs.
func (s *Store) putDirectory(ctx context.Context, orgs ...*Org) error {
	defer locks.lock(dirMetaID)()
	for attempt := 0; ; attempt++ {
		meta, err := s.dirMeta(ctx)
		if err != nil {
			return err
		}
		if meta.Parts == 0 {
			return s.rebuildDirectory(ctx, meta) // the orgs are in the collection already
		}
		byPart := map[int][]*Org{}
		for _, o := range orgs {
			k := partOf(o.ID, meta.Parts)
			byPart[k] = append(byPart[k], o)
		}
		grow, stale := false, false
		for k, some := range byPart {
			p, err := s.dirPart(ctx, partID(meta.Gen, k))
			if err != nil {
				return err
			}
			n, ok, err := s.writePart(ctx, p, some)
			if err != nil {
				return err
			}
			stale = stale || !ok
			grow = grow || n > 2*orgsPerPart
		}
		switch {
		case grow:
			return s.regrowDirectory(ctx, meta)
		case !stale:
			return nil
		case attempt == 10:
			return fmt.Errorf("store: directory kept changing under this write")
		}
	}
}

// writePart replaces orgs in a part unless another writer got there first
// (ok false); it returns the part's size.
func (s *Store) writePart(ctx context.Context, p *dirPart, orgs []*Org) (int, bool, error) {
	var have []Org
	if err := json.Unmarshal([]byte(p.Orgs), &have); err != nil {
		return 0, false, fmt.Errorf("store: unable to read directory part %s: %w", p.ID, err)
	}
	if len(orgs) == 0 {
		return len(have), true, nil
	}
	for _, o := range orgs {
		i, found := slices.BinarySearchFunc(have, o.ID, func(x Org, id string) int { return cmp.Compare(x.ID, id) })
		if found {
			have[i] = *o
		} else {
			have = slices.Insert(have, i, *o)
		}
	}
	raw, err := json.Marshal(have)
	if err != nil {
		return 0, false, fmt.Errorf("store: unable to write directory part: %w", err)
	}
	res, err := s.c(colDirectory).UpdateOne(ctx, bson.D{{Key: "_id", Value: p.ID}, {Key: "v", Value: p.V}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "orgs", Value: string(raw)}, {Key: "v", Value: p.V + 1}}}},
		options.UpdateOne().SetUpsert(p.V == 0))
	if mongo.IsDuplicateKeyError(err) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, dbErr("write directory part", err)
	}
	if res.MatchedCount+res.UpsertedCount != 1 {
		return len(have), false, nil
	}
	// The meta document says the part moved on, so readers read it again.
	// Written after the part: a write cut short between the two left its
	// note, and Mend writes the org again.
	k := p.ID[strings.LastIndexByte(p.ID, '|')+1:]
	_, err = s.c(colDirectory).UpdateOne(ctx, bson.D{{Key: "_id", Value: dirMetaID}},
		bson.D{{Key: "$max", Value: bson.D{{Key: "versions." + k, Value: p.V + 1}}}})
	return len(have), true, dbErr("write directory version", err)
}

// RebuildDirectory writes the directory anew from the orgs collection: at
// the first start of a release that has one, and to mend it.
func (s *Store) RebuildDirectory(ctx context.Context) error {
	defer locks.lock(dirMetaID)()
	meta, err := s.dirMeta(ctx)
	if err != nil {
		return err
	}
	return s.rebuildDirectory(ctx, meta)
}

// rebuildDirectory writes a new generation of parts from the orgs
// collection, then makes it current in one write.
func (s *Store) rebuildDirectory(ctx context.Context, meta *dirMeta) error {
	cur, err := s.c(colOrgs).Find(ctx, bson.D{})
	if err != nil {
		return dbErr("read orgs", err)
	}
	var orgs []Org
	if err := cur.All(ctx, &orgs); err != nil {
		return dbErr("read orgs", err)
	}
	return s.writeGeneration(ctx, meta, orgs)
}

// regrowDirectory splits the directory into more parts, from the parts
// themselves: its orgs outgrew them.
func (s *Store) regrowDirectory(ctx context.Context, meta *dirMeta) error {
	var orgs []Org
	for k := range meta.Parts {
		p, err := s.dirPart(ctx, partID(meta.Gen, k))
		if err != nil {
			return err
		}
		var some []Org
		if err := json.Unmarshal([]byte(p.Orgs), &some); err != nil {
			return fmt.Errorf("store: unable to read directory part %s: %w", p.ID, err)
		}
		orgs = append(orgs, some...)
	}
	return s.writeGeneration(ctx, meta, orgs)
}

// writeGeneration writes orgs as the next generation of parts, sized for
// them, makes it current in one write and removes the one before.
func (s *Store) writeGeneration(ctx context.Context, meta *dirMeta, orgs []Org) error {
	slices.SortFunc(orgs, func(a, b Org) int { return cmp.Compare(a.ID, b.ID) })
	parts := max(1, (len(orgs)+orgsPerPart-1)/orgsPerPart)
	gen := meta.Gen + 1
	split := make([][]Org, parts)
	for _, o := range orgs {
		k := partOf(o.ID, parts)
		split[k] = append(split[k], o)
	}
	for k, some := range split {
		if some == nil {
			some = []Org{}
		}
		raw, err := json.Marshal(some)
		if err != nil {
			return fmt.Errorf("store: unable to write directory: %w", err)
		}
		if _, err := s.c(colDirectory).ReplaceOne(ctx, bson.D{{Key: "_id", Value: partID(gen, k)}},
			dirPart{ID: partID(gen, k), V: 1, Orgs: string(raw)}, options.Replace().SetUpsert(true)); err != nil {
			return dbErr("write directory", err)
		}
	}
	next := dirMeta{ID: dirMetaID, Gen: gen, Parts: parts, Versions: map[string]int{}}
	for k := range parts {
		next.Versions[strconv.Itoa(k)] = 1
	}
	var err error
	if meta.Parts == 0 {
		_, err = s.c(colDirectory).ReplaceOne(ctx, bson.D{{Key: "_id", Value: dirMetaID}}, next, options.Replace().SetUpsert(true))
	} else {
		_, err = s.c(colDirectory).ReplaceOne(ctx, bson.D{{Key: "_id", Value: dirMetaID}, {Key: "gen", Value: meta.Gen}}, next)
	}
	if err != nil {
		return dbErr("switch directory", err)
	}
	for k := range meta.Parts {
		_, _ = s.c(colDirectory).DeleteOne(ctx, bson.D{{Key: "_id", Value: partID(meta.Gen, k)}})
	}
	return nil
}
