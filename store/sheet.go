package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
)

const colSheets = "sheets"

// A drive's sheet is what its progress, its lists and the trends need of
// every school's submission — status, late flag, version, compliance, the
// numbers answered — in a few documents of one JSON text each, a part per
// SchoolsPerPart expected schools. Reading a 5,000-school drive's
// progress is a score of lookups by _id however many drives the database
// holds, where reading the submissions themselves decoded every value of
// every one. Each write of a submission writes its entry (see index).
const SchoolsPerPart = 200

// Entry is one school's submission to a drive as its sheet holds it.
type Entry struct {
	School      string            `json:"s"`
	ID          string            `json:"i"`
	Version     int               `json:"v"`
	Status      string            `json:"st"`
	Late        bool              `json:"l,omitempty"`
	FormVersion string            `json:"f"`
	SubmittedAt time.Time         `json:"sa,omitzero"`
	UpdatedAt   time.Time         `json:"ua"`
	Compliance  map[string]string `json:"c,omitempty"` // indicator → compliant, noncompliant, not_applicable
	// Numbers are the numbers answered, section.field → number: kept in the
	// drive's figures (see Figures), not in its sheet, which progress reads.
	Numbers map[string]float64 `json:"-"`
	// Explained and Unexplained count the values outside their usual range
	// with and without the school's 说明.
	Explained   int `json:"x,omitempty"`
	Unexplained int `json:"u,omitempty"`
	// Returns and AfterApproval are the submission's counts of returns.
	Returns       int `json:"r,omitempty"`
	AfterApproval int `json:"aa,omitempty"`
}

// HandedIn reports whether the school handed the submission in: once
// submitted it stays so, returned for correction or approved.
func (e *Entry) HandedIn() bool { return !e.SubmittedAt.IsZero() }

// Failures counts the indicators the submission does not comply with.
func (e *Entry) Failures() int {
	n := 0
	for _, st := range e.Compliance {
		if st == forms.Noncompliant {
			n++
		}
	}
	return n
}

func entryOf(sub *Submission) Entry {
	e := Entry{School: sub.School, ID: sub.ID, Version: sub.Version, Status: sub.Status, Late: sub.Late,
		FormVersion: sub.FormVersion, SubmittedAt: sub.SubmittedAt, UpdatedAt: sub.UpdatedAt}
	for _, r := range sub.Compliance {
		if e.Compliance == nil {
			e.Compliance = map[string]string{}
		}
		e.Compliance[r.Indicator] = r.Status
	}
	e.Explained, e.Unexplained = sub.AnomalyCounts()
	e.Returns, e.AfterApproval = sub.Returns, sub.AfterApproval
	for sec, fields := range sub.Values {
		for id, v := range fields {
			if n, ok := number(v); ok {
				if e.Numbers == nil {
					e.Numbers = map[string]float64{}
				}
				e.Numbers[sec+"."+id] = n
			}
		}
	}
	return e
}

type sheetPart struct {
	ID      string `bson:"_id"`
	Drive   string `bson:"drive"`
	V       int    `bson:"v"`
	Entries []byte `bson:"entries"` // JSON, as binary: the embedded server reads it without unescaping
}

func sheetPartID(drive string, k int) string { return fmt.Sprintf("%s|%d", drive, k) }

func sheetPartOf(school string, parts int) int {
	h := fnv.New32a()
	h.Write([]byte(school))
	return int(h.Sum32() % uint32(max(parts, 1)))
}

// PartsFor is how many sheet parts a drive expecting n schools gets.
func PartsFor(n int) int { return max(1, (n+SchoolsPerPart-1)/SchoolsPerPart) }

// Sheet reads a drive's entries, by school code. As with the directory,
// the parts this Store read before are kept with their versions and read
// again only when the drive's version document says they moved on; the
// entries returned are shared and must not be changed.
func (s *Store) Sheet(ctx context.Context, d *Drive) ([]Entry, error) {
	var vs sheetVersions
	err := s.c(colSheets).FindOne(ctx, bson.D{{Key: "_id", Value: sheetVersionsID(d.ID)}}).Decode(&vs)
	if err != nil && err != mongo.ErrNoDocuments {
		return nil, dbErr("read sheet versions", err)
	}
	c := s.sheets.of(d.ID, max(d.Parts, 1))
	c.mu.Lock()
	defer c.mu.Unlock()
	for k := range c.parts {
		if c.parts[k].entries != nil && c.parts[k].v >= vs.Versions[strconv.Itoa(k)] {
			continue
		}
		p, err := s.sheetPart(ctx, d.ID, k)
		if err != nil {
			return nil, err
		}
		some := []Entry{}
		if err := json.Unmarshal(p.Entries, &some); err != nil {
			return nil, fmt.Errorf("store: unable to read sheet %s: %w", p.ID, err)
		}
		c.parts[k], c.merged = sheetCachePart{v: p.V, entries: some}, nil
	}
	if c.merged == nil {
		c.merged = []Entry{}
		for _, p := range c.parts {
			c.merged = append(c.merged, p.entries...)
		}
		slices.SortFunc(c.merged, func(a, b Entry) int { return cmp.Compare(a.School, b.School) })
	}
	return c.merged, nil
}

// sheetVersions is a drive's version document: each sheet part's number →
// the version it has reached, raised after each write of the part (a
// write cut short before that left its note: Mend writes it again).
type sheetVersions struct {
	Versions map[string]int `bson:"versions"`
}

func sheetVersionsID(drive string) string { return drive + "|versions" }

func (s *Store) sheetPart(ctx context.Context, drive string, k int) (*sheetPart, error) {
	var p sheetPart
	err := s.c(colSheets).FindOne(ctx, bson.D{{Key: "_id", Value: sheetPartID(drive, k)}}).Decode(&p)
	if err == mongo.ErrNoDocuments {
		return &sheetPart{ID: sheetPartID(drive, k), Drive: drive, Entries: []byte("[]")}, nil
	}
	return &p, dbErr("read sheet", err)
}

// putEntry writes a submission's entry into its drive's sheet unless the
// sheet holds a later version of it already. Entries for one part that
// arrive together go in one write.
func (s *Store) putEntry(ctx context.Context, sub *Submission) error {
	parts, err := s.driveParts(ctx, sub.Drive)
	if err != nil {
		return err
	}
	id, e := sheetPartID(sub.Drive, sheetPartOf(sub.School, parts)), entryOf(sub)
	figures := make(chan error, 1)
	go func() {
		figures <- s.figuresWriter.do(ctx, figuresID(id, e.School), figured{School: e.School, Figures: Figures{Version: e.Version, Numbers: e.Numbers}})
	}()
	entry := s.sheetWriter.do(ctx, id, e)
	return errors.Join(entry, <-figures)
}

// flushEntries merges entries into a sheet part, written over the version
// it was read at (another instance may write the same part).
func (s *Store) flushEntries(ctx context.Context, id string, entries []Entry) error {
	drive := id[:strings.LastIndexByte(id, '|')]
	for range 10 {
		var p sheetPart
		err := s.c(colSheets).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&p)
		if err == mongo.ErrNoDocuments {
			p = sheetPart{ID: id, Entries: []byte("[]")}
		} else if err != nil {
			return dbErr("read sheet", err)
		}
		var have []Entry
		if err := json.Unmarshal(p.Entries, &have); err != nil {
			return fmt.Errorf("store: unable to read sheet %s: %w", id, err)
		}
		changed := false
		for _, e := range entries {
			i, found := slices.BinarySearchFunc(have, e.School, func(x Entry, school string) int { return cmp.Compare(x.School, school) })
			switch {
			case found && have[i].ID == e.ID && have[i].Version >= e.Version:
				// written already, or overtaken
			case found:
				have[i], changed = e, true
			default:
				have, changed = slices.Insert(have, i, e), true
			}
		}
		if !changed {
			return nil
		}
		raw, err := json.Marshal(have)
		if err != nil {
			return fmt.Errorf("store: unable to write sheet: %w", err)
		}
		res, err := s.c(colSheets).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "v", Value: p.V}},
			bson.D{{Key: "$set", Value: bson.D{{Key: "drive", Value: drive}, {Key: "entries", Value: raw}, {Key: "v", Value: p.V + 1}}}},
			options.UpdateOne().SetUpsert(p.V == 0))
		if err != nil && !mongo.IsDuplicateKeyError(err) {
			return dbErr("write sheet", err)
		}
		if err == nil && res.MatchedCount+res.UpsertedCount == 1 {
			s.sheetWrites.Add(uint64(len(entries)))
			k := id[strings.LastIndexByte(id, '|')+1:]
			_, err := s.c(colSheets).UpdateOne(ctx, bson.D{{Key: "_id", Value: sheetVersionsID(drive)}},
				bson.D{{Key: "$max", Value: bson.D{{Key: "versions." + k, Value: p.V + 1}}}}, options.UpdateOne().SetUpsert(true))
			return dbErr("write sheet version", err)
		}
	}
	return fmt.Errorf("store: sheet %s kept changing under this write", id)
}

// driveParts is the number of sheet parts of a drive: set when the drive
// is created and never changed, so kept once read.
func (s *Store) driveParts(ctx context.Context, drive string) (int, error) {
	if n, ok := s.parts.Load(drive); ok {
		return n.(int), nil
	}
	d, err := s.Drive(ctx, drive)
	if fail.Is(err, fail.NotFound) {
		return 1, nil // a drive written without its document (tests of the store alone)
	}
	if err != nil {
		return 0, err
	}
	n := max(d.Parts, 1)
	s.parts.Store(drive, n)
	return n, nil
}

// number reads any number the driver or a decoder gives.
func number(v any) (float64, bool) {
	switch n := v.(type) {
	case float64:
		return n, true
	case int32:
		return float64(n), true
	case int64:
		return float64(n), true
	case int:
		return float64(n), true
	}
	return 0, false
}

// SheetWrites counts the sheet entries this Store has written: what reads
// progress in the background can skip a pass in which nothing changed.
func (s *Store) SheetWrites() uint64 { return s.sheetWrites.Load() }

// sheetCache keeps the sheet parts of the drives read last: the open ones
// are read many times a minute in a drive's last days.
type sheetCache struct {
	mu     sync.Mutex
	drives map[string]*driveSheet
	order  []string // least recently read first
}

// sheetsKept is how many drives' sheets a Store keeps.
const sheetsKept = 8

type driveSheet struct {
	mu     sync.Mutex
	parts  []sheetCachePart
	merged []Entry
}

type sheetCachePart struct {
	v       int
	entries []Entry
}

func (c *sheetCache) of(drive string, parts int) *driveSheet {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.drives == nil {
		c.drives = map[string]*driveSheet{}
	}
	c.order = append(slices.DeleteFunc(c.order, func(d string) bool { return d == drive }), drive)
	d := c.drives[drive]
	if d == nil || len(d.parts) != parts {
		d = &driveSheet{parts: make([]sheetCachePart, parts)}
		c.drives[drive] = d
	}
	if len(c.order) > sheetsKept {
		delete(c.drives, c.order[0])
		c.order = c.order[1:]
	}
	return d
}
