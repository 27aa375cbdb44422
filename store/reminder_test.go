package store_test

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// rawReminders opens the reminders collection of a test database directly,
// to see what is stored rather than what the store decodes.
func rawReminders(t *testing.T, db string) *mongo.Collection {
	t.Helper()
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = client.Disconnect(context.Background()) })
	return client.Database(db).Collection("reminders")
}

func reminderIDs(t *testing.T, s *store.Store, drive, scope string) []string {
	t.Helper()
	list, err := s.Reminders(context.Background(), drive, scope)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range list {
		ids = append(ids, r.ID)
	}
	return ids
}

// TestRemindersScoped: each caller lists only the reminders to webhooks of
// their subtree, and a failure is stored as a reason code and numbers only;
// a later success clears it.
func TestRemindersScoped(t *testing.T) {
	s, db := storetest.Open(t, storetest.URI())
	ctx := context.Background()
	at := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
	for _, r := range []store.Reminder{
		{ID: "d|due-24h|wh-1", Drive: "d", Webhook: "wh-1", Org: "d1", OrgPath: []string{"city", "d1"}, Occasion: "due-24h", At: at},
		{ID: "d|due-24h|wh-2", Drive: "d", Webhook: "wh-2", Org: "d2", OrgPath: []string{"city", "d2"}, Occasion: "due-24h", At: at},
		{ID: "d|due-24h|wh-0", Drive: "d", Webhook: "wh-0", Org: "city", OrgPath: []string{"city"}, Occasion: "due-24h", At: at},
		{ID: "e|due-24h|wh-1", Drive: "e", Webhook: "wh-1", Org: "d1", OrgPath: []string{"city", "d1"}, Occasion: "due-24h", At: at},
	} {
		if ok, err := s.ClaimReminder(ctx, &r, 3); err != nil || !ok {
			t.Fatalf("claim %s: %v %v", r.ID, ok, err)
		}
	}
	for scope, want := range map[string][]string{
		"city": {"d|due-24h|wh-0", "d|due-24h|wh-1", "d|due-24h|wh-2"}, "d1": {"d|due-24h|wh-1"}, "d2": {"d|due-24h|wh-2"}, "0100001001": nil,
	} {
		if got := reminderIDs(t, s, "d", scope); !slices.Equal(got, want) {
			t.Errorf("reminders under %s: %v, want %v", scope, got, want)
		}
	}
	if err := s.FinishReminder(ctx, "d|due-24h|wh-1", &store.ReminderFailure{Reason: "http_status", HTTPStatus: 502}); err != nil {
		t.Fatal(err)
	}
	var doc bson.M
	if err := rawReminders(t, db).FindOne(ctx, bson.D{{Key: "_id", Value: "d|due-24h|wh-1"}}).Decode(&doc); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(doc)
	if !strings.Contains(string(raw), `"failure":{"reason":"http_status","httpStatus":502}`) || strings.Contains(string(raw), `"error"`) {
		t.Errorf("stored failure: %s", raw)
	}
	if ok, err := s.ClaimReminder(ctx, &store.Reminder{ID: "d|due-24h|wh-1", At: at}, 3); err != nil || !ok {
		t.Fatalf("retake: %v %v", ok, err)
	}
	if err := s.FinishReminder(ctx, "d|due-24h|wh-1", nil); err != nil {
		t.Fatal(err)
	}
	list, _ := s.Reminders(ctx, "d", "d1")
	if len(list) != 1 || list[0].Status != "sent" || list[0].Failure != nil || list[0].Attempts != 2 {
		t.Errorf("after a successful retry: %+v", list)
	}
}

// TestMigrateReminders: reminders recorded before they carried an org get
// their webhook's, lose the error text that held the webhook's key, and
// those of deleted webhooks are listed to nobody; it runs once.
func TestMigrateReminders(t *testing.T) {
	s, db := storetest.Open(t, storetest.URI())
	ctx := context.Background()
	if err := s.InsertWebhook(ctx, &store.Webhook{ID: "wh-1", Org: "d1", OrgPath: []string{"city", "d1"}, Name: "一区群",
		Format: "wecom", URL: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-1"}); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 12, 8, 1, 0, 0, 0, time.UTC)
	legacy := []any{
		bson.D{{Key: "_id", Value: "d|due-24h|wh-1"}, {Key: "drive", Value: "d"}, {Key: "webhook", Value: "wh-1"}, {Key: "occasion", Value: "due-24h"},
			{Key: "status", Value: "failed"}, {Key: "missing", Value: 2}, {Key: "attempts", Value: 3}, {Key: "at", Value: at},
			{Key: "error", Value: `notify: Post "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=KEY-1": dial tcp: i/o timeout`}},
		bson.D{{Key: "_id", Value: "d|due-24h|wh-gone"}, {Key: "drive", Value: "d"}, {Key: "webhook", Value: "wh-gone"}, {Key: "occasion", Value: "due-24h"},
			{Key: "status", Value: "failed"}, {Key: "missing", Value: 1}, {Key: "attempts", Value: 1}, {Key: "at", Value: at},
			{Key: "error", Value: "notify: webhook error 93000: REMOTE-BODY"}},
		bson.D{{Key: "_id", Value: "d|due+24h|wh-1"}, {Key: "drive", Value: "d"}, {Key: "webhook", Value: "wh-1"}, {Key: "occasion", Value: "due+24h"},
			{Key: "status", Value: "sent"}, {Key: "missing", Value: 2}, {Key: "attempts", Value: 1}, {Key: "at", Value: at}},
	}
	col := rawReminders(t, db)
	if _, err := col.InsertMany(ctx, legacy); err != nil {
		t.Fatal(err)
	}
	if got := reminderIDs(t, s, "d", "city"); len(got) != 0 {
		t.Errorf("before migrating, reminders without an org are listed: %v", got)
	}
	if n, err := s.MigrateReminders(ctx); err != nil || n != 3 {
		t.Fatalf("migrated %d, %v", n, err)
	}
	for _, scope := range []string{"city", "d1"} {
		if got, want := reminderIDs(t, s, "d", scope), []string{"d|due+24h|wh-1", "d|due-24h|wh-1"}; !slices.Equal(got, want) {
			t.Errorf("under %s: %v, want %v", scope, got, want)
		}
	}
	if got := reminderIDs(t, s, "d", "d2"); len(got) != 0 {
		t.Errorf("district 2 lists %v", got)
	}
	list, _ := s.Reminders(ctx, "d", "d1")
	if list[1].Failure == nil || list[1].Failure.Reason != "unknown" || list[1].Org != "d1" || list[0].Failure != nil {
		t.Errorf("migrated: %+v", list)
	}
	cur, err := col.Find(ctx, bson.D{})
	if err != nil {
		t.Fatal(err)
	}
	var docs []bson.M
	if err := cur.All(ctx, &docs); err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(docs)
	for _, leak := range []string{"KEY-1", "REMOTE-BODY", `"error"`} {
		if strings.Contains(string(raw), leak) {
			t.Errorf("after migrating, the records hold %s: %s", leak, raw)
		}
	}
	if n, err := s.MigrateReminders(ctx); err != nil || n != 0 {
		t.Errorf("second run: %d, %v", n, err)
	}
}
