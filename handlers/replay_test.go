package handlers_test

import (
	"bytes"
	"context"
	"net/http"
	"testing"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/store/storetest"
)

// createWithoutKey creates school1's submission and deletes its (drive,
// school) key, as a create stopped between the two would leave it.
func createWithoutKey(t *testing.T) (*fixture, string) {
	ctx := context.Background()
	s, db := storetest.Open(t, storetest.URI())
	f := newFixtureOn(t, s)
	id := uuid.NewString()
	if res := create(f, "school1", id, validValues(1), false); res.status != http.StatusCreated {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	raw, err := mongo.Connect(options.Client().ApplyURI(storetest.URI()))
	must(t, err)
	defer raw.Disconnect(ctx)
	del, err := raw.Database(db).Collection("submissionKeys").DeleteMany(ctx, bson.D{})
	must(t, err)
	if del.DeletedCount != 1 {
		t.Fatalf("%d keys deleted, want 1", del.DeletedCount)
	}
	return f, id
}

// TestReplayMendsAnInterruptedCreate: a create stopped after its submission
// was stored but before its (drive, school) key was, is completed by the
// phone's retry, and the school's task then shows it as submitted.
func TestReplayMendsAnInterruptedCreate(t *testing.T) {
	f, id := createWithoutKey(t)
	if tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil); !bytes.Contains(tasks.body, []byte(`"status":"not_started"`)) {
		t.Fatalf("without its key the submission should not be found yet: %s", tasks.body)
	}
	if res := create(f, "school1", id, validValues(1), false); res.status != http.StatusOK {
		t.Fatalf("replay: %d %s", res.status, res.body)
	}
	if tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil); !bytes.Contains(tasks.body, []byte(`"status":"submitted"`)) {
		t.Fatalf("after the replay the task should show the submission: %s", tasks.body)
	}
}

// TestSecondCreateMendsAMissingKey: when the school's submission lost its
// key to a stopped create, another phone's create (a new id) is refused
// naming the stored submission, and the key is put back.
func TestSecondCreateMendsAMissingKey(t *testing.T) {
	f, id := createWithoutKey(t)
	if res := create(f, "school1", uuid.NewString(), validValues(1), false); res.status != http.StatusConflict || !bytes.Contains(res.body, []byte(id)) {
		t.Fatalf("a second create: %d %s; want 409 naming %s", res.status, res.body, id)
	}
	if tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil); !bytes.Contains(tasks.body, []byte(`"status":"submitted"`)) {
		t.Fatalf("the key should be back: %s", tasks.body)
	}
}
