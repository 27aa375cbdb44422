package store

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

const colWebhooks = "webhooks"

// Webhook is a chat group that receives reminders about an org's schools.
type Webhook struct {
	ID        string    `json:"id" bson:"_id"`
	Org       string    `json:"org" bson:"org"`
	OrgPath   []string  `json:"-" bson:"orgPath"`
	Name      string    `json:"name" bson:"name"`
	Format    string    `json:"format" bson:"format"`
	URL       string    `json:"-" bson:"url"` // holds the robot's key: answered masked only
	Secret    string    `json:"-" bson:"secret,omitempty"`
	CreatedAt time.Time `json:"createdAt" bson:"createdAt"`
	CreatedBy string    `json:"createdBy" bson:"createdBy"`
}

// InsertWebhook stores a webhook.
func (s *Store) InsertWebhook(ctx context.Context, w *Webhook) error {
	_, err := s.c(colWebhooks).InsertOne(ctx, w)
	return dbErr("insert webhook", err)
}

// DeleteWebhook removes a webhook under scope.
func (s *Store) DeleteWebhook(ctx context.Context, id, scope string) error {
	res, err := s.c(colWebhooks).DeleteOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "orgPath", Value: scope}})
	if err == nil && res.DeletedCount == 0 {
		err = mongo.ErrNoDocuments
	}
	return dbErr("delete webhook", err)
}

// Webhooks lists the webhooks of orgs under scope.
func (s *Store) Webhooks(ctx context.Context, scope string) ([]Webhook, error) {
	cur, err := s.c(colWebhooks).Find(ctx, bson.D{{Key: "orgPath", Value: scope}}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list webhooks", err)
	}
	var out []Webhook
	return out, dbErr("read webhooks", cur.All(ctx, &out))
}

// Reminder is the record of one reminder to one webhook; its id names the
// drive, the occasion and the webhook, so it is sent at most once. It
// carries the webhook's org and path, so each caller lists only the
// reminders of webhooks in their subtree.
type Reminder struct {
	ID       string           `json:"id" bson:"_id"`
	Drive    string           `json:"drive" bson:"drive"`
	Webhook  string           `json:"webhook" bson:"webhook"`
	Org      string           `json:"org" bson:"org"`
	OrgPath  []string         `json:"-" bson:"orgPath"`
	Occasion string           `json:"occasion" bson:"occasion"`
	Status   string           `json:"status" bson:"status"` // sending, sent, failed
	Missing  int              `json:"missing" bson:"missing"`
	Attempts int              `json:"attempts" bson:"attempts"`
	Failure  *ReminderFailure `json:"failure,omitempty" bson:"failure,omitempty"`
	At       time.Time        `json:"at" bson:"at"`
}

// ReminderFailure is why a reminder was not delivered: a fixed reason code
// and the webhook's HTTP status or robot error code. Nothing the webhook
// wrote back and nothing of its address is kept.
type ReminderFailure struct {
	Reason     string `json:"reason" bson:"reason"`
	HTTPStatus int    `json:"httpStatus,omitempty" bson:"httpStatus,omitempty"`
	ErrCode    int    `json:"errcode,omitempty" bson:"errcode,omitempty"`
}

// ClaimReminder records a reminder about to be sent. It reports false when
// another instance (or an earlier run) has claimed it, unless that attempt
// failed and fewer than maxAttempts were made: then this call takes it over.
func (s *Store) ClaimReminder(ctx context.Context, r *Reminder, maxAttempts int) (bool, error) {
	r.Status, r.Attempts = "sending", 1
	_, err := s.c(colReminders).InsertOne(ctx, r)
	if err == nil {
		return true, nil
	}
	if !mongo.IsDuplicateKeyError(err) {
		return false, dbErr("claim reminder", err)
	}
	res := s.c(colReminders).FindOneAndUpdate(ctx,
		bson.D{{Key: "_id", Value: r.ID}, {Key: "status", Value: "failed"}, {Key: "attempts", Value: bson.D{{Key: "$lt", Value: maxAttempts}}}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: "sending"}, {Key: "at", Value: r.At}}}, {Key: "$inc", Value: bson.D{{Key: "attempts", Value: 1}}}})
	if err := res.Err(); err != nil {
		if err == mongo.ErrNoDocuments {
			return false, nil
		}
		return false, dbErr("retake reminder", err)
	}
	return true, nil
}

// FinishReminder records the outcome of a send: delivered when failure is
// nil.
func (s *Store) FinishReminder(ctx context.Context, id string, failure *ReminderFailure) error {
	update := bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: "sent"}}}, {Key: "$unset", Value: bson.D{{Key: "failure", Value: ""}}}}
	if failure != nil {
		update = bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: "failed"}, {Key: "failure", Value: failure}}}}
	}
	_, err := s.c(colReminders).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, update)
	return dbErr("finish reminder", err)
}

// Reminders lists the reminders of a drive to webhooks of orgs under scope.
func (s *Store) Reminders(ctx context.Context, drive, scope string) ([]Reminder, error) {
	cur, err := s.c(colReminders).Find(ctx, bson.D{{Key: "drive", Value: drive}, {Key: "orgPath", Value: scope}},
		options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list reminders", err)
	}
	var out []Reminder
	return out, dbErr("read reminders", cur.All(ctx, &out))
}

// MigrateReminders brings reminders recorded before they carried their
// webhook's org up to date, once per database: each gets the org and path
// of its webhook, looked up (an empty path, listed to nobody, when the
// webhook is gone), and loses the free text of its failure, which could hold
// the webhook's address with its key or what the webhook wrote back; a
// failed one keeps the reason "unknown". It reports how many it changed.
func (s *Store) MigrateReminders(ctx context.Context) (int, error) {
	const marker = "migrated:reminder-scope"
	err := s.c(colSettings).FindOne(ctx, bson.D{{Key: "_id", Value: marker}}).Err()
	if err == nil {
		return 0, nil
	}
	if !errors.Is(err, mongo.ErrNoDocuments) {
		return 0, dbErr("read migration marker", err)
	}
	cur, err := s.c(colReminders).Find(ctx, bson.D{{Key: "$or", Value: bson.A{
		bson.D{{Key: "orgPath", Value: bson.D{{Key: "$exists", Value: false}}}},
		bson.D{{Key: "error", Value: bson.D{{Key: "$exists", Value: true}}}},
	}}})
	if err != nil {
		return 0, dbErr("find old reminders", err)
	}
	var old []Reminder
	if err := cur.All(ctx, &old); err != nil {
		return 0, dbErr("read old reminders", err)
	}
	hooks := map[string]*Webhook{}
	for _, r := range old {
		w, seen := hooks[r.Webhook]
		if !seen {
			w = &Webhook{OrgPath: []string{}}
			err := s.c(colWebhooks).FindOne(ctx, bson.D{{Key: "_id", Value: r.Webhook}}).Decode(w)
			if err != nil && !errors.Is(err, mongo.ErrNoDocuments) {
				return 0, dbErr("read webhook", err)
			}
			hooks[r.Webhook] = w
		}
		set := bson.D{}
		if r.OrgPath == nil {
			set = append(set, bson.E{Key: "org", Value: w.Org}, bson.E{Key: "orgPath", Value: w.OrgPath})
		}
		if r.Status == "failed" && r.Failure == nil {
			set = append(set, bson.E{Key: "failure", Value: ReminderFailure{Reason: "unknown"}})
		}
		update := bson.D{{Key: "$unset", Value: bson.D{{Key: "error", Value: ""}}}}
		if len(set) > 0 {
			update = append(update, bson.E{Key: "$set", Value: set})
		}
		if _, err := s.c(colReminders).UpdateOne(ctx, bson.D{{Key: "_id", Value: r.ID}}, update); err != nil {
			return 0, dbErr("migrate reminder", err)
		}
	}
	_, err = s.c(colSettings).InsertOne(ctx, bson.D{{Key: "_id", Value: marker}, {Key: "at", Value: time.Now().UTC()}})
	if err != nil && !mongo.IsDuplicateKeyError(err) {
		return len(old), dbErr("record migration", err)
	}
	return len(old), nil
}
