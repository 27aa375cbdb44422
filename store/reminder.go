package store

import (
	"context"
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
	URL       string    `json:"url" bson:"url"`
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
// drive, the occasion and the webhook, so it is sent at most once.
type Reminder struct {
	ID       string    `json:"id" bson:"_id"`
	Drive    string    `json:"drive" bson:"drive"`
	Webhook  string    `json:"webhook" bson:"webhook"`
	Occasion string    `json:"occasion" bson:"occasion"`
	Status   string    `json:"status" bson:"status"` // sending, sent, failed
	Missing  int       `json:"missing" bson:"missing"`
	Attempts int       `json:"attempts" bson:"attempts"`
	Error    string    `json:"error,omitempty" bson:"error,omitempty"`
	At       time.Time `json:"at" bson:"at"`
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

// FinishReminder records the outcome of a send.
func (s *Store) FinishReminder(ctx context.Context, id string, sendErr error) error {
	set := bson.D{{Key: "status", Value: "sent"}}
	if sendErr != nil {
		set = bson.D{{Key: "status", Value: "failed"}, {Key: "error", Value: sendErr.Error()}}
	}
	_, err := s.c(colReminders).UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: set}})
	return dbErr("finish reminder", err)
}

// Reminders lists the reminders of a drive.
func (s *Store) Reminders(ctx context.Context, drive string) ([]Reminder, error) {
	cur, err := s.c(colReminders).Find(ctx, bson.D{{Key: "drive", Value: drive}}, options.Find().SetSort(bson.D{{Key: "at", Value: 1}, {Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list reminders", err)
	}
	var out []Reminder
	return out, dbErr("read reminders", cur.All(ctx, &out))
}
