package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/tianbao-edu/tianbao/fail"
)

// Migration is one step from the data an older release wrote towards the
// shape this release reads. Version is the schema version the data has
// once the step is done. A step must be idempotent and resumable: an
// instance that stops half-way through runs it again from the start at its
// next start, and nothing else runs it meanwhile (see Migrator).
type Migration struct {
	Version int
	Name    string
	Func    func(ctx context.Context, s *Store, log *slog.Logger) error
}

// Migrations are this release's steps, oldest first. To change the shape
// of stored data, append a step with the next version; never change or
// remove a step a release has shipped.
var Migrations = []Migration{
	{Version: 1, Name: "record the schema version", Func: func(context.Context, *Store, *slog.Logger) error { return nil }},
	{Version: 2, Name: "record the root bureau", Func: recordBureau},
	{Version: 3, Name: "give reminders their webhook's org", Func: scopeReminders},
	{Version: 4, Name: "store answers typed", Func: typeAnswers},
	{Version: 5, Name: "write the directory, the drives' sheets and the answers", Func: indexAll},
}

// Latest is the schema version the steps lead to.
func Latest(steps []Migration) int {
	if len(steps) == 0 {
		return 0
	}
	return steps[len(steps)-1].Version
}

// ErrNewerData is returned against data written by a newer release.
var ErrNewerData = errors.New("store: the data is newer than this release")

// Migrator brings a database's data up to the latest step, one instance at
// a time: it holds a lock document (its _id is fixed, so only one insert
// of it succeeds) for as long as steps run, renewing its lease; the lock of
// an instance that died is taken over once its lease has run out.
type Migrator struct {
	Steps []Migration
	Log   *slog.Logger
	Owner string        // names the lock's holder; host, process and a random part when empty
	Lease time.Duration // how long the lock lasts unless renewed; 2 minutes when zero
	Poll  time.Duration // how often a waiting instance looks again; 500 ms when zero
	Now   func() time.Time
}

// Migrate runs this release's steps on s (see Migrator).
func (s *Store) Migrate(ctx context.Context, log *slog.Logger) error {
	return (&Migrator{Steps: Migrations, Log: log}).Run(ctx, s)
}

type lockDoc struct {
	ID    string    `bson:"_id"`
	Owner string    `bson:"owner"`
	Until time.Time `bson:"until"`
}

// Run migrates s. It returns at once when the data is current, and
// ErrNewerData (wrapped with both versions) when the data is newer than
// the latest step.
func (m *Migrator) Run(ctx context.Context, s *Store) error {
	m.defaults()
	for i, st := range m.Steps {
		if st.Version <= 0 || (i > 0 && st.Version <= m.Steps[i-1].Version) || st.Func == nil {
			return fmt.Errorf("store: migration %q: versions must be positive and increasing", st.Name)
		}
	}
	latest := Latest(m.Steps)
	v, err := m.check(ctx, s, latest)
	if err != nil || v == latest {
		return err
	}
	release, err := m.lock(ctx, s)
	if err != nil {
		return err
	}
	defer release()
	if v, err = m.check(ctx, s, latest); err != nil || v == latest {
		return err // another instance migrated while this one waited
	}
	for _, st := range m.Steps {
		if st.Version <= v {
			continue
		}
		start := time.Now()
		m.Log.Info("migration step", "version", st.Version, "name", st.Name, "from", v)
		if err := st.Func(ctx, s, m.Log.With("migration", st.Version)); err != nil {
			m.Log.Error("migration step failed", "version", st.Version, "name", st.Name, "err", err)
			return fmt.Errorf("store: migration %d (%s): %w", st.Version, st.Name, err)
		}
		if err := s.setSchemaVersion(ctx, st.Version, m.Now()); err != nil {
			return err
		}
		m.Log.Info("migration step done", "version", st.Version, "name", st.Name, "ms", time.Since(start).Milliseconds())
		v = st.Version
	}
	return nil
}

func (m *Migrator) defaults() {
	if m.Log == nil {
		m.Log = slog.New(slog.DiscardHandler)
	}
	if m.Owner == "" {
		host, _ := os.Hostname()
		b := make([]byte, 4)
		_, _ = rand.Read(b)
		m.Owner = fmt.Sprintf("%s/%d/%s", host, os.Getpid(), hex.EncodeToString(b))
	}
	if m.Lease <= 0 {
		m.Lease = 2 * time.Minute
	}
	if m.Poll <= 0 {
		m.Poll = 500 * time.Millisecond
	}
	if m.Now == nil {
		m.Now = time.Now
	}
}

// check reads the stored version and refuses data newer than latest.
func (m *Migrator) check(ctx context.Context, s *Store, latest int) (int, error) {
	v, err := s.SchemaVersion(ctx)
	if err != nil {
		return 0, err
	}
	if v > latest {
		return v, fmt.Errorf("%w: the database %q holds schema version %d and this release knows versions up to %d; "+
			"run the release that wrote it or a newer one, or restore a backup this release made", ErrNewerData, s.db.Name(), v, latest)
	}
	return v, nil
}

// lock waits until this instance holds the migration lock and returns the
// function that releases it. The lease is renewed while it is held.
func (m *Migrator) lock(ctx context.Context, s *Store) (func(), error) {
	meta := s.c(colMeta)
	holder := "" // known once the lock has been seen held
	waiting := func(err error) error {
		if holder != "" && ctx.Err() != nil {
			return fmt.Errorf("store: waiting for the migration lock held by %s: %w", holder, ctx.Err())
		}
		return err
	}
	for {
		_, err := meta.InsertOne(ctx, lockDoc{ID: metaLock, Owner: m.Owner, Until: m.Now().Add(m.Lease)})
		if err == nil {
			break
		}
		if !mongo.IsDuplicateKeyError(err) {
			return nil, waiting(dbErr("take migration lock", err))
		}
		var held lockDoc
		err = meta.FindOne(ctx, bson.D{{Key: "_id", Value: metaLock}}).Decode(&held)
		switch {
		case errors.Is(err, mongo.ErrNoDocuments):
			continue // released meanwhile
		case err != nil:
			return nil, waiting(dbErr("read migration lock", err))
		case m.Now().After(held.Until):
			if err := m.takeOver(ctx, s, held); err != nil {
				return nil, waiting(err)
			}
			continue
		}
		if holder == "" {
			m.Log.Info("waiting for another instance to migrate the data", "holder", held.Owner, "until", held.Until)
		}
		holder = held.Owner
		select {
		case <-ctx.Done():
			return nil, waiting(ctx.Err())
		case <-time.After(m.Poll):
		}
	}
	stop := make(chan struct{})
	done := make(chan struct{})
	go m.renew(s, stop, done)
	return func() {
		close(stop)
		<-done
		_, err := meta.DeleteOne(context.WithoutCancel(ctx), bson.D{{Key: "_id", Value: metaLock}, {Key: "owner", Value: m.Owner}})
		if err != nil {
			m.Log.Warn("migration lock not released; it lapses by itself", "err", err, "until", m.Now().Add(m.Lease))
		}
	}, nil
}

// takeOver removes the lock of a holder whose lease ran out. Removing by a
// filter is not atomic on the embedded server, so the right to remove
// this holder's lock is claimed first, by inserting a marker named after
// it: of several waiting instances only one removes it, and never a lock
// taken since.
func (m *Migrator) takeOver(ctx context.Context, s *Store, held lockDoc) error {
	marker := bson.D{{Key: "_id", Value: metaLock + "-expired:" + held.Owner + "@" + held.Until.UTC().Format(time.RFC3339Nano)},
		{Key: "by", Value: m.Owner}, {Key: "at", Value: m.Now().UTC()}}
	if _, err := s.c(colMeta).InsertOne(ctx, marker); mongo.IsDuplicateKeyError(err) {
		return nil // another instance is taking it over
	} else if err != nil {
		return dbErr("take over migration lock", err)
	}
	m.Log.Warn("taking over the migration lock of an instance that stopped", "holder", held.Owner, "until", held.Until)
	_, err := s.c(colMeta).DeleteOne(ctx, bson.D{{Key: "_id", Value: metaLock}, {Key: "owner", Value: held.Owner}})
	return dbErr("take over migration lock", err)
}

// renew extends the lease every third of it until stop is closed.
func (m *Migrator) renew(s *Store, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(m.Lease / 3)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), m.Lease/3)
			_, err := s.c(colMeta).UpdateOne(ctx, bson.D{{Key: "_id", Value: metaLock}, {Key: "owner", Value: m.Owner}},
				bson.D{{Key: "$set", Value: bson.D{{Key: "until", Value: m.Now().Add(m.Lease)}}}})
			cancel()
			if err != nil {
				m.Log.Warn("migration lock not renewed", "err", err)
			}
		}
	}
}

// recordBureau records the root bureau of a database set up before the
// first run recorded it (by the demo data or by hand): the one org without
// a parent. With none there is nothing to record; with several, none is
// chosen and the first run says so.
func recordBureau(ctx context.Context, s *Store, log *slog.Logger) error {
	if _, err := s.Bureau(ctx); !fail.Is(err, fail.NotFound) {
		return err
	}
	roots, err := s.RootOrgs(ctx)
	if err != nil {
		return err
	}
	if len(roots) != 1 {
		if len(roots) > 1 {
			log.Warn("several orgs without a parent: no root bureau recorded", "count", len(roots))
		}
		return nil
	}
	r := roots[0]
	admin := ""
	users, err := s.Users(ctx, UserFilter{Under: r.ID, Role: RoleAdmin})
	if err != nil {
		return err
	}
	for _, u := range users {
		if u.Org == r.ID {
			admin = u.Username
			break
		}
	}
	b := &Bureau{Org: r.ID, Name: r.Name, Kind: r.Kind, Admin: admin, CreatedAt: r.UpdatedAt}
	if _, err := s.ClaimBureau(ctx, b); err != nil && !fail.Is(err, fail.Conflict) {
		return err
	}
	log.Info("root bureau recorded", "org", r.ID, "name", r.Name)
	return nil
}

// OpenMigrated connects like Open, but first brings the data up to this
// release's schema (Migrate), so that a step may reshape data before the
// indexes of this release are built over it; against data newer than this
// release it returns ErrNewerData and changes nothing.
func OpenMigrated(ctx context.Context, uri, database string, log *slog.Logger) (*Store, error) {
	s, err := connect(ctx, uri, database)
	if err != nil {
		return nil, err
	}
	if err := s.Migrate(ctx, log); err != nil {
		_ = s.client.Disconnect(context.Background())
		return nil, err
	}
	if err := s.ensureIndexes(ctx); err != nil {
		_ = s.client.Disconnect(context.Background())
		return nil, err
	}
	return s, nil
}
