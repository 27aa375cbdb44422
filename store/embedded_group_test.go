package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"
)

// TestGroupedWritesKeepTheirOwnOutcome: writes that arrive together share
// a transaction on the embedded server (third_party/ferretdb PATCH.md);
// each still gets its own outcome. Of inserts racing updates and deletes,
// those of a taken _id fail alone and every other write is stored.
func TestGroupedWritesKeepTheirOwnOutcome(t *testing.T) {
	ctx := context.Background()
	_, db := openRaw(t)
	c := db.Collection("grouped")
	for i := range 20 {
		if _, err := c.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("old-%d", i)}, {Key: "n", Value: 0}}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	errs := make([]error, 80)
	for i := range 80 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			switch {
			case i < 40: // new documents
				_, errs[i] = c.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("new-%d", i)}, {Key: "n", Value: i}})
			case i < 50: // taken ids
				_, errs[i] = c.InsertOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("old-%d", i-40)}, {Key: "n", Value: i}})
			case i < 60: // updates of the other old ones
				_, errs[i] = c.UpdateOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("old-%d", i-40)}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: i}}}})
			default: // deletes of documents never written
				_, errs[i] = c.DeleteOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("none-%d", i)}})
			}
		}()
	}
	wg.Wait()
	for i, err := range errs {
		dup := mongo.IsDuplicateKeyError(err)
		if i >= 40 && i < 50 && !dup || !(i >= 40 && i < 50) && err != nil {
			t.Errorf("write %d: %v", i, err)
		}
	}
	if n, err := c.CountDocuments(ctx, bson.D{}); err != nil || n != 60 {
		t.Fatalf("%d documents, %v; want 60", n, err)
	}
	for i := range 20 {
		var doc struct{ N int }
		if err := c.FindOne(ctx, bson.D{{Key: "_id", Value: fmt.Sprintf("old-%d", i)}}).Decode(&doc); err != nil {
			t.Fatal(err)
		}
		if want := map[bool]int{true: 0, false: 40 + i}[i < 10]; doc.N != want {
			t.Errorf("old-%d: n %d, want %d", i, doc.N, want)
		}
	}
}

// BenchmarkConcurrentUpserts is ten writers a CPU upserting documents of
// their own, the pattern of a drive's last evening: on the embedded
// server their writes share commits (compare with the group writer of
// third_party/ferretdb left out).
func BenchmarkConcurrentUpserts(b *testing.B) {
	ctx := context.Background()
	_, db := openRaw(b)
	c := db.Collection("upserts")
	b.SetParallelism(10)
	var next sync.Mutex
	n := 0
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			next.Lock()
			n++
			id := fmt.Sprintf("d-%d", n)
			next.Unlock()
			if _, err := c.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}}, bson.D{{Key: "$set", Value: bson.D{{Key: "n", Value: 1}}}},
				options.UpdateOne().SetUpsert(true)); err != nil {
				b.Error(err)
			}
		}
	})
}
