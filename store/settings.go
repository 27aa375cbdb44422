package store

import (
	"context"
	"errors"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// colSettings holds one document per setting of the whole installation,
// keyed by name.
const colSettings = "settings"

const settingWebhookHosts = "webhook-hosts"

// WebhookHost is a host beyond the WeCom and DingTalk robots that reminder
// webhooks may point at; HTTP allows plain http to it.
type WebhookHost struct {
	Host string `json:"host" bson:"host"`
	HTTP bool   `json:"http" bson:"http"`
}

// WebhookHosts is the city admin's list of further webhook hosts.
type WebhookHosts struct {
	Hosts     []WebhookHost `json:"hosts" bson:"hosts"`
	UpdatedAt time.Time     `json:"updatedAt,omitzero" bson:"updatedAt"`
	UpdatedBy string        `json:"updatedBy,omitempty" bson:"updatedBy"`
}

// WebhookHosts returns the further webhook hosts; none until an admin sets
// them.
func (s *Store) WebhookHosts(ctx context.Context) (*WebhookHosts, error) {
	var h WebhookHosts
	err := s.c(colSettings).FindOne(ctx, bson.D{{Key: "_id", Value: settingWebhookHosts}}).Decode(&h)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return &WebhookHosts{Hosts: []WebhookHost{}}, nil
	}
	if h.Hosts == nil {
		h.Hosts = []WebhookHost{}
	}
	return &h, dbErr("read webhook hosts", err)
}

// PutWebhookHosts replaces the further webhook hosts.
func (s *Store) PutWebhookHosts(ctx context.Context, h *WebhookHosts) error {
	_, err := s.c(colSettings).ReplaceOne(ctx, bson.D{{Key: "_id", Value: settingWebhookHosts}}, h, options.Replace().SetUpsert(true))
	return dbErr("store webhook hosts", err)
}
