package store

import (
	"bufio"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
)

// An archive is a gzip'd stream of lines: a header, then for each
// collection a marker and its documents in canonical extended JSON (exact
// types: an int32 stays an int32), then a trailer with the counts. Marker
// lines are objects whose first key starts with $, which no stored
// document's top-level key can.
type archiveHeader struct {
	Tianbao     string    `json:"$tianbao"` // "backup"
	Format      int       `json:"format"`
	Schema      int       `json:"schema"` // the data's schema version
	Database    string    `json:"database"`
	CreatedAt   time.Time `json:"createdAt"`
	Collections []string  `json:"collections"`
}

type archiveMarker struct {
	Collection string `json:"$collection"`
}

type archiveTrailer struct {
	End    bool           `json:"$end"`
	Counts map[string]int `json:"counts"`
}

const archiveFormat = 1

// DialOnly connects to a database without migrating it or creating
// indexes: for Backup, which copies the data as it is, and Restore.
func DialOnly(ctx context.Context, uri, database string) (*Store, error) {
	return connect(ctx, uri, database)
}

// backupOrder lists the collections in the order Backup reads them: each
// is read after those that refer to it (a session before its user, a
// submission before its drive, form and school). Nothing a reference
// points at is ever deleted, so every reference in the archive resolves:
// what was referred to when the referring document was read was written
// before it and is still there when its own collection is read later.
// Collections not named here (new ones included) come first.
var backupOrder = []string{
	colSessions, colAudit, colReminders, colExportChunks, colExports, colWebhooks,
	colSubmissions, colRevisions, colSubmissionKeys, colHazards, colHazardArchive,
	colDrives, colSchedules, colForms, colPlans, colIndicators, colUsers, colOrgs, colMeta,
}

// derived are the collections kept beside the records for reading many at
// once (the directory, sheets, answers) and the notes of writes in flight:
// an archive leaves them out, and a restore writes them anew from the
// records, so they agree with what the archive holds whatever moment each
// collection was read at.
var derived = []string{colDirectory, colSheets, colFigures, colAnswers, colPending}

// Derived names the collections an archive leaves out (see derived).
func Derived() []string { return slices.Clone(derived) }

// BackupStats counts what an archive holds.
type BackupStats struct {
	Schema  int
	Counts  map[string]int
	Dropped int // revisions and keys of writes in flight, left out
}

// Backup writes every collection of the database to w as a gzip'd archive
// while the database is in use (see backupOrder). A submission written
// while the backup runs is in the archive exactly as it was when the
// submissions were read, with its whole history up to that version and
// its key: a revision or key of a write still in flight then, stored by
// the time revisions and keys are read, is left out. That write is either
// answered after the submissions were read, and so missing from the
// archive altogether, or never answered, and then the phone sends it
// again; the archive never holds half of it.
func (s *Store) Backup(ctx context.Context, w io.Writer) (BackupStats, error) {
	st := BackupStats{Counts: map[string]int{}}
	schema, err := s.SchemaVersion(ctx)
	if err != nil {
		return st, err
	}
	st.Schema = schema
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return st, dbErr("list collections", err)
	}
	if slices.Contains(names, colSubmissions) && !slices.Contains(names, colSubmissionKeys) {
		names = append(names, colSubmissionKeys) // the first key may be in flight: derived below
	}
	names = ordered(slices.DeleteFunc(names, func(n string) bool { return slices.Contains(derived, n) }))
	zw, err := gzip.NewWriterLevel(w, gzip.BestSpeed)
	if err != nil {
		return st, err
	}
	bw := bufio.NewWriterSize(zw, 1<<16)
	line := func(v any) error {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		bw.Write(b)
		return bw.WriteByte('\n')
	}
	if err := line(archiveHeader{Tianbao: "backup", Format: archiveFormat, Schema: schema, Database: s.db.Name(),
		CreatedAt: time.Now().UTC(), Collections: names}); err != nil {
		return st, err
	}
	f := &inFlight{subs: map[string]archived{}, keys: map[string]bool{}}
	for _, name := range names {
		if err := line(archiveMarker{Collection: name}); err != nil {
			return st, err
		}
		n, dropped, err := s.backupCollection(ctx, name, f, bw)
		if err != nil {
			return st, fmt.Errorf("store: backup of %s: %w", name, err)
		}
		st.Counts[name], st.Dropped = n, st.Dropped+dropped
	}
	if err := line(archiveTrailer{End: true, Counts: st.Counts}); err != nil {
		return st, err
	}
	if err := bw.Flush(); err != nil {
		return st, err
	}
	return st, zw.Close()
}

// ordered puts names in backupOrder, unknown collections first.
func ordered(names []string) []string {
	var out []string
	for _, n := range names {
		if !slices.Contains(backupOrder, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	for _, n := range backupOrder {
		if slices.Contains(names, n) {
			out = append(out, n)
		}
	}
	return out
}

// archived is a submission as the archive holds it.
type archived struct {
	version int64
	key     string // drive|school
}

// inFlight holds what is needed to leave out the parts of writes that
// were in flight: the submissions archived and the keys written.
type inFlight struct {
	subs map[string]archived
	keys map[string]bool
}

// backupCollection writes one collection's documents, filtered as the
// in-flight rule requires; it returns how many it wrote and left out.
func (s *Store) backupCollection(ctx context.Context, name string, f *inFlight, w *bufio.Writer) (int, int, error) {
	cur, err := s.c(name).Find(ctx, bson.D{})
	if err != nil {
		return 0, 0, dbErr("read "+name, err)
	}
	defer cur.Close(context.WithoutCancel(ctx))
	written, dropped := 0, 0
	write := func(doc bson.Raw) error {
		b, err := bson.MarshalExtJSON(doc, true, false)
		if err != nil {
			return err
		}
		w.Write(b)
		written++
		return w.WriteByte('\n')
	}
	for cur.Next(ctx) {
		doc := cur.Current
		id, _ := doc.Lookup("_id").StringValueOK()
		switch name {
		case colSubmissions:
			drive, _ := doc.Lookup("drive").StringValueOK()
			school, _ := doc.Lookup("school").StringValueOK()
			v, _ := doc.Lookup("version").AsInt64OK()
			f.subs[id] = archived{version: v, key: keyOf(drive, school)}
		case colRevisions:
			sub, _ := doc.Lookup("submission").StringValueOK()
			v, _ := doc.Lookup("version").AsInt64OK()
			if a, ok := f.subs[sub]; !ok || v > a.version {
				dropped++ // the claim of a write the archived submission does not have yet
				continue
			}
		case colSubmissionKeys:
			sub, _ := doc.Lookup("submission").StringValueOK()
			if _, ok := f.subs[sub]; !ok {
				dropped++ // the key of a submission stored after the submissions were read
				continue
			}
			f.keys[id] = true
		case colMeta:
			if strings.HasPrefix(id, metaLock) {
				continue // a lock belongs to the instance that holds it
			}
		}
		if err := write(doc); err != nil {
			return written, dropped, err
		}
	}
	if err := cur.Err(); err != nil {
		return written, dropped, dbErr("read "+name, err)
	}
	if name == colSubmissionKeys {
		// A submission whose key was not stored yet when it was read (its
		// write was in flight) gets its key here.
		for id, a := range f.subs {
			if !f.keys[a.key] {
				raw, err := bson.Marshal(submissionKey{ID: a.key, Submission: id})
				if err != nil {
					return written, dropped, err
				}
				if err := write(raw); err != nil {
					return written, dropped, err
				}
			}
		}
	}
	return written, dropped, nil
}
