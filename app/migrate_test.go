package main

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestRefusesNewerData: a release does not start against data a newer
// release wrote, and says why.
func TestRefusesNewerData(t *testing.T) {
	ctx := context.Background()
	client, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Disconnect(ctx)
	db := client.Database(fmt.Sprintf("newer_%d", time.Now().UnixNano()))
	defer db.Drop(ctx)
	newer := store.Latest(store.Migrations) + 1
	if _, err := db.Collection("meta").InsertOne(ctx, bson.D{{Key: "_id", Value: "schema"}, {Key: "version", Value: newer}}); err != nil {
		t.Fatal(err)
	}
	err = run(ctx, []string{"-addr", "127.0.0.1:0", "-mongodb-uri", storetest.URI(), "-db", db.Name(), "-log-level", "error"}, &lines{ch: make(chan string, 100)})
	if err == nil || !strings.Contains(err.Error(), fmt.Sprintf("holds schema version %d", newer)) {
		t.Fatalf("start against newer data: %v", err)
	}
}
