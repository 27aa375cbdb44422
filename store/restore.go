package store

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"slices"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// restoreBatch bounds one insert of a restore, in documents and bytes.
const (
	restoreBatchDocs  = 500
	restoreBatchBytes = 8 << 20
)

// ErrNotEmpty is returned by Restore into a database that holds data.
var ErrNotEmpty = errors.New("store: the database holds data")

// archiveReader reads an archive line by line.
type archiveReader struct {
	br     *bufio.Reader
	header archiveHeader
	coll   string
	counts map[string]int
}

// openArchive reads an archive's header and refuses an archive of another
// format or of a schema newer than this release.
func openArchive(r io.Reader) (*archiveReader, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("store: not a Tianbao backup: %w", err)
	}
	a := &archiveReader{br: bufio.NewReaderSize(zr, 1<<16), counts: map[string]int{}}
	first, err := a.br.ReadBytes('\n')
	if err != nil || json.Unmarshal(first, &a.header) != nil || a.header.Tianbao != "backup" {
		return nil, errors.New("store: not a Tianbao backup (no header)")
	}
	if a.header.Format != archiveFormat {
		return nil, fmt.Errorf("store: backup format %d, this release reads %d", a.header.Format, archiveFormat)
	}
	if latest := Latest(Migrations); a.header.Schema > latest {
		return nil, fmt.Errorf("%w: the backup holds schema version %d and this release knows versions up to %d; restore it with the release that made it or a newer one",
			ErrNewerData, a.header.Schema, latest)
	}
	return a, nil
}

// next returns the next document and its collection; at the archive's
// end, checked against its counts, it returns io.EOF.
func (a *archiveReader) next() (string, bson.Raw, error) {
	for {
		line, err := a.br.ReadBytes('\n')
		if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
			return "", nil, errors.New("store: the backup is cut short (no end)")
		}
		if err != nil {
			return "", nil, fmt.Errorf("store: read backup: %w", err)
		}
		if !bytes.HasPrefix(line, []byte(`{"$`)) {
			var doc bson.Raw
			if a.coll == "" || bson.UnmarshalExtJSON(line, true, &doc) != nil {
				return "", nil, fmt.Errorf("store: unreadable document in backup: %.80s", line)
			}
			a.counts[a.coll]++
			return a.coll, doc, nil
		}
		var m archiveMarker
		var t archiveTrailer
		switch {
		case json.Unmarshal(line, &t) == nil && t.End:
			return "", nil, a.end(t)
		case json.Unmarshal(line, &m) == nil && m.Collection != "" && slices.Contains(a.header.Collections, m.Collection):
			a.coll = m.Collection
		default:
			return "", nil, fmt.Errorf("store: unreadable line in backup: %.80s", line)
		}
	}
}

// end checks the counts read against the trailer's.
func (a *archiveReader) end(t archiveTrailer) error {
	for _, n := range a.header.Collections {
		if a.counts[n] != t.Counts[n] {
			return fmt.Errorf("store: the backup's %s holds %d documents, its end says %d: the file is damaged", n, a.counts[n], t.Counts[n])
		}
	}
	return io.EOF
}

// CheckArchive reads a whole archive as Restore would, without writing:
// a file that is cut short, damaged or too new fails here, before a
// restore has removed anything.
func CheckArchive(r io.Reader) (BackupStats, error) {
	a, err := openArchive(r)
	if err != nil {
		return BackupStats{}, err
	}
	for {
		if _, _, err := a.next(); err != nil {
			st := BackupStats{Schema: a.header.Schema, Counts: a.counts}
			if errors.Is(err, io.EOF) {
				return st, nil
			}
			return st, err
		}
	}
}

// Restore loads an archive Backup wrote into this database, which must be
// empty unless replace (then its collections are dropped first, once the
// archive's header has been accepted). Data of an older schema is then
// migrated and the indexes are created. An archive newer than this release
// is refused before anything changes; one cut short fails when its end is
// missing, so check a file with CheckArchive first.
func (s *Store) Restore(ctx context.Context, r io.Reader, replace bool, log *slog.Logger) (BackupStats, error) {
	a, err := openArchive(r)
	if err != nil {
		return BackupStats{}, err
	}
	st := BackupStats{Schema: a.header.Schema, Counts: a.counts}
	if err := s.clear(ctx, replace); err != nil {
		return st, err
	}
	var (
		coll  string
		batch []any
		size  int
	)
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		if _, err := s.c(coll).InsertMany(ctx, batch); err != nil {
			return dbErr("restore "+coll, err)
		}
		batch, size = batch[:0], 0
		return nil
	}
	for {
		name, doc, err := a.next()
		if name != coll || err != nil {
			if ferr := flush(); ferr != nil {
				return st, ferr
			}
			coll = name
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return st, err
		}
		batch = append(batch, doc)
		if size += len(doc); len(batch) == restoreBatchDocs || size >= restoreBatchBytes {
			if err := flush(); err != nil {
				return st, err
			}
		}
	}
	if err := s.Migrate(ctx, log); err != nil {
		return st, err
	}
	if err := s.ensureIndexes(ctx); err != nil {
		return st, err
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return st, indexAll(ctx, s, log) // the derived collections, from what was restored
}

// clear checks the database is empty, or with replace empties it.
func (s *Store) clear(ctx context.Context, replace bool) error {
	names, err := s.db.ListCollectionNames(ctx, bson.D{})
	if err != nil {
		return dbErr("list collections", err)
	}
	for _, n := range names {
		if replace {
			if err := s.c(n).Drop(ctx); err != nil {
				return dbErr("drop "+n, err)
			}
			continue
		}
		if err := s.c(n).FindOne(ctx, bson.D{}, options.FindOne().SetProjection(bson.D{{Key: "_id", Value: 1}})).Err(); err == nil {
			return fmt.Errorf("%w (collection %s): restore into an empty one, or replace it", ErrNotEmpty, n)
		} else if !errors.Is(err, mongo.ErrNoDocuments) {
			return dbErr("read "+n, err)
		}
	}
	return nil
}
