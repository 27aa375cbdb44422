package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// Scope is the part of the organisation tree a schedule or drive covers.
type Scope struct {
	Org    string   `json:"org" bson:"org"`
	Path   []string `json:"-" bson:"path"` // the org's path`
	Stages []string `json:"stages,omitempty" bson:"stages,omitempty"`
}

// Schedule is a recurring rule that opens one drive per period. Offsets are
// in days: OpenDay from the period's start, DueDay and CloseDay from the
// period's end (DueDay 10 on a monthly schedule: due at the end of the 10th
// of the next month).
type Schedule struct {
	ID        string    `json:"id" bson:"_id"`
	Name      string    `json:"name" bson:"name"`
	Plan      string    `json:"plan" bson:"plan"`
	Frequency string    `json:"frequency" bson:"frequency"`
	OpenDay   int       `json:"openDay" bson:"openDay"`
	DueDay    int       `json:"dueDay" bson:"dueDay"`
	CloseDay  int       `json:"closeDay" bson:"closeDay"`
	Scope     Scope     `json:"scope" bson:"scope"`
	TZ        string    `json:"tz" bson:"tz"`
	Active    bool      `json:"active" bson:"active"`
	Reminders []int     `json:"reminders,omitempty" bson:"reminders,omitempty"` // hours relative to due (negative: before)
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	CreatedBy string    `json:"createdBy" bson:"createdBy"`

	// Escalation climbs the tree with the reminders of late schools; nil
	// sends none.
	Escalation *Escalation `json:"escalation,omitempty" bson:"escalation,omitempty"`
}

// Escalation is when late schools are chased up the tree: step 0 at After
// hours past the due time to each school's own channel, then every Delay
// hours one level higher — its unit's channel naming its late schools,
// the unit above's naming its late units — up to the drive's top.
type Escalation struct {
	After int `json:"after" bson:"after"`
	Delay int `json:"delay" bson:"delay"`
}

// Drive is one period's collection of a plan's forms from the schools in scope.
type Drive struct {
	ID        string    `json:"id" bson:"_id"`
	Schedule  string    `json:"schedule,omitempty" bson:"schedule,omitempty"`
	Period    string    `json:"period" bson:"period"`
	Name      string    `json:"name" bson:"name"`
	Plan      string    `json:"plan" bson:"plan"`
	Frequency string    `json:"frequency" bson:"frequency"`
	Scope     Scope     `json:"scope" bson:"scope"`
	OpensAt   time.Time `json:"opensAt" bson:"opensAt"`
	DueAt     time.Time `json:"dueAt" bson:"dueAt"`
	ClosesAt  time.Time `json:"closesAt" bson:"closesAt"`
	Reopened  []string  `json:"reopened,omitempty" bson:"reopened,omitempty"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	// Parts is how many parts its sheet has (see Sheet), set at creation.
	Parts int `json:"-" bson:"parts,omitempty"`
}

// InsertSchedule creates a schedule.
func (s *Store) InsertSchedule(ctx context.Context, sc *Schedule) error {
	_, err := s.c(colSchedules).InsertOne(ctx, sc)
	return dbErr("insert schedule", err)
}

// Schedules lists schedules; activeOnly limits to active ones.
func (s *Store) Schedules(ctx context.Context, activeOnly bool) ([]Schedule, error) {
	q := bson.D{}
	if activeOnly {
		q = bson.D{{Key: "active", Value: true}}
	}
	cur, err := s.c(colSchedules).Find(ctx, q, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list schedules", err)
	}
	var out []Schedule
	return out, dbErr("read schedules", cur.All(ctx, &out))
}

// CreateDrive inserts a drive unless one with its id exists; it reports
// whether this call created it. A drive's id is derived from its schedule and
// period, so concurrent schedulers create each drive once.
func (s *Store) CreateDrive(ctx context.Context, d *Drive) (bool, error) {
	_, err := s.c(colDrives).InsertOne(ctx, d)
	if mongo.IsDuplicateKeyError(err) {
		return false, nil
	}
	if err != nil {
		return false, dbErr("create drive", err)
	}
	return true, nil
}

// Drive returns one drive.
func (s *Store) Drive(ctx context.Context, id string) (*Drive, error) {
	var d Drive
	if err := s.c(colDrives).FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d); err != nil {
		return nil, dbErr("find drive", err)
	}
	return &d, nil
}

// Drives lists drives newest first; with since set, only those closing after it.
func (s *Store) Drives(ctx context.Context, since time.Time) ([]Drive, error) {
	q := bson.D{}
	if !since.IsZero() {
		q = bson.D{{Key: "closesAt", Value: bson.D{{Key: "$gt", Value: since}}}}
	}
	cur, err := s.c(colDrives).Find(ctx, q, options.Find().SetSort(bson.D{{Key: "opensAt", Value: -1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list drives", err)
	}
	var out []Drive
	return out, dbErr("read drives", cur.All(ctx, &out))
}

// ReopenDrive lets one school submit to a closed drive again.
func (s *Store) ReopenDrive(ctx context.Context, id, school string) error {
	res, err := s.c(colDrives).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}},
		bson.D{{Key: "$addToSet", Value: bson.D{{Key: "reopened", Value: school}}}})
	if err == nil && res.MatchedCount == 0 {
		err = mongo.ErrNoDocuments
	}
	return dbErr("reopen drive", err)
}
