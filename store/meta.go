package store

import (
	"context"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/fail"
)

// colMeta holds documents about the database itself, each under a fixed
// _id: the schema version, the migration lock, the root bureau, setup
// tokens.
const colMeta = "meta"

// Ids of the meta documents.
const (
	metaSchema = "schema"
	metaLock   = "migration-lock"
	metaBureau = "bureau"
)

// BureauKinds are the kinds a root bureau may have, highest first.
var BureauKinds = []string{KindProvince, KindCity, KindCounty}

// Bureau records the root of the organisation tree and its first admin.
// Inserting it is the claim of the first run: it has a fixed _id, so of two
// first runs at once only one can record a bureau.
type Bureau struct {
	ID        string    `bson:"_id"`
	Org       string    `bson:"org"`
	Name      string    `bson:"name"`
	Kind      string    `bson:"kind"`
	Admin     string    `bson:"admin"` // the first admin's username
	CreatedAt time.Time `bson:"createdAt"`
}

// schemaDoc is the version of the data's shape.
type schemaDoc struct {
	ID        string    `bson:"_id"`
	Version   int       `bson:"version"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

// SchemaVersion returns the stored schema version, 0 for a database that
// has none (an empty one, or one written before versions were recorded).
func (s *Store) SchemaVersion(ctx context.Context) (int, error) {
	var d schemaDoc
	err := s.c(colMeta).FindOne(ctx, bson.D{{Key: "_id", Value: metaSchema}}).Decode(&d)
	if err == mongo.ErrNoDocuments {
		return 0, nil
	}
	if err != nil {
		return 0, dbErr("read schema version", err)
	}
	return d.Version, nil
}

// setSchemaVersion records the version the data now has.
func (s *Store) setSchemaVersion(ctx context.Context, v int, now time.Time) error {
	_, err := s.c(colMeta).UpdateOne(ctx, bson.D{{Key: "_id", Value: metaSchema}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "version", Value: v}, {Key: "updatedAt", Value: now.UTC()}}}},
		options.UpdateOne().SetUpsert(true))
	return dbErr("record schema version", err)
}

// ClaimBureau records b as the database's root bureau. When one is
// recorded already it is returned with a Conflict, and nothing changes.
func (s *Store) ClaimBureau(ctx context.Context, b *Bureau) (*Bureau, error) {
	b.ID = metaBureau
	_, err := s.c(colMeta).InsertOne(ctx, b)
	if !mongo.IsDuplicateKeyError(err) {
		return b, dbErr("record bureau", err)
	}
	have, err := s.Bureau(ctx)
	if err != nil {
		return nil, err
	}
	return have, fail.New(fail.Conflict, "已完成首次设置：教育局“"+have.Name+"”已存在", "Already set up: the bureau "+have.Name+" exists")
}

// Bureau returns the recorded root bureau; NotFound before the first run.
func (s *Store) Bureau(ctx context.Context) (*Bureau, error) {
	var b Bureau
	if err := s.c(colMeta).FindOne(ctx, bson.D{{Key: "_id", Value: metaBureau}}).Decode(&b); err != nil {
		return nil, dbErr("find bureau", err)
	}
	return &b, nil
}

// RootOrgs lists the orgs without a parent, ordered by id. It reads the
// whole orgs collection on the embedded server: for the first run and
// migrations, not for requests.
func (s *Store) RootOrgs(ctx context.Context) ([]Org, error) {
	cur, err := s.c(colOrgs).Find(ctx, bson.D{{Key: "parent", Value: bson.D{{Key: "$in", Value: bson.A{nil, ""}}}}},
		options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, dbErr("list root orgs", err)
	}
	var out []Org
	return out, dbErr("read root orgs", cur.All(ctx, &out))
}

// setupTokenPrefix starts the _id of every stored setup token.
const setupTokenPrefix = "setup-token:"

// AddSetupToken stores the hash of a first-run token an instance issued.
func (s *Store) AddSetupToken(ctx context.Context, id string, hash []byte, now time.Time) error {
	_, err := s.c(colMeta).InsertOne(ctx, bson.D{{Key: "_id", Value: setupTokenPrefix + id},
		{Key: "kind", Value: "setup-token"}, {Key: "hash", Value: hash}, {Key: "createdAt", Value: now.UTC()}})
	return dbErr("store setup token", err)
}

// SetupTokenHashes returns the hashes of the first-run tokens issued.
func (s *Store) SetupTokenHashes(ctx context.Context) ([][]byte, error) {
	cur, err := s.c(colMeta).Find(ctx, bson.D{{Key: "kind", Value: "setup-token"}})
	if err != nil {
		return nil, dbErr("list setup tokens", err)
	}
	var docs []struct {
		Hash []byte `bson:"hash"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, dbErr("read setup tokens", err)
	}
	out := make([][]byte, len(docs))
	for i, d := range docs {
		out[i] = d.Hash
	}
	return out, nil
}

// DeleteSetupTokens removes every first-run token.
func (s *Store) DeleteSetupTokens(ctx context.Context) error {
	_, err := s.c(colMeta).DeleteMany(ctx, bson.D{{Key: "kind", Value: "setup-token"}})
	return dbErr("delete setup tokens", err)
}
