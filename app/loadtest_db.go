package main

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/tianbao-edu/tianbao/auth"
	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// baselineCollection is the scratch collection of the raw-insert baseline.
const baselineCollection = "loadtest_baseline"

// baseline inserts one document per successful submission, shaped like
// the stored submission, straight into the server's database with as many
// concurrent writers as there were phones.
func baseline(ctx context.Context, c *loadtestConfig, r *loadResult) (*baselineRate, error) {
	client, err := mongo.Connect(options.Client().ApplyURI(c.BaselineURI).SetRetryWrites(false).SetMaxPoolSize(uint64(c.Phones)))
	if err != nil {
		return nil, err
	}
	defer client.Disconnect(context.WithoutCancel(ctx))
	coll := client.Database(c.DB).Collection(baselineCollection)
	if err := coll.Drop(ctx); err != nil {
		return nil, err
	}
	defer coll.Drop(context.WithoutCancel(ctx))
	work := make([][]*store.Submission, c.Phones)
	n := 0
	for i, s := range r.subs {
		if s.err != nil {
			continue
		}
		now := time.Now().UTC()
		doc := &store.Submission{ID: uuid.NewString(), Drive: "baseline", School: s.school.ID, OrgPath: s.school.Path,
			Status: store.StatusSubmitted, Version: 1, FormVersion: "baseline", Values: s.values, Compliance: []forms.Result{},
			SubmittedAt: now, CreatedAt: now, UpdatedAt: now, UpdatedBy: s.school.ID}
		work[i%c.Phones] = append(work[i%c.Phones], doc)
		n++
	}
	var wg sync.WaitGroup
	errs := make(chan error, c.Phones)
	t0 := time.Now()
	for _, docs := range work {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, d := range docs {
				if _, err := coll.InsertOne(ctx, d); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(t0)
	close(errs)
	if err := <-errs; err != nil {
		return nil, err
	}
	return &baselineRate{docs: n, elapsed: elapsed}, nil
}

// setupLoadSchools adds a load-test district with N primary schools and a
// school user for each ("lt-0001" …) under -setup-under, all with
// -password (or a printed random one). Existing ones are left alone.
func setupLoadSchools(ctx context.Context, c *loadtestConfig, out io.Writer) error {
	s, err := store.Open(ctx, c.MongoURI, c.DB)
	if err != nil {
		return err
	}
	defer s.Close(context.WithoutCancel(ctx))
	parent, err := s.Org(ctx, c.SetupUnder)
	if err != nil {
		return fmt.Errorf("loadtest: org %s: %w", c.SetupUnder, err)
	}
	password := c.Password
	if password == "" {
		password = auth.RandomPassword()
		fmt.Fprintln(out, "password of the load-test users:", password)
	}
	hash, err := auth.New(s, nil).HashPassword(password)
	if err != nil {
		return err
	}
	now := time.Now().UTC()
	dist := &store.Org{ID: parent.ID + "LT", Name: "压测区", Kind: store.KindDistrict, Parent: parent.ID,
		Path: append(parent.Path[:len(parent.Path):len(parent.Path)], parent.ID+"LT"), UpdatedAt: now}
	if err := putIfMissing(ctx, s, dist); err != nil {
		return err
	}
	added := 0
	for i := 1; i <= c.Setup; i++ {
		code := fmt.Sprintf("%s%04d", dist.ID, i)
		school := &store.Org{ID: code, Name: fmt.Sprintf("压测第%d小学", i), Kind: store.KindSchool, Parent: dist.ID,
			Path: append(dist.Path[:len(dist.Path):len(dist.Path)], code), Stages: []string{forms.Primary},
			Public: true, Urban: i%2 == 0, Classrooms: 12 + i%18, Students: 400 + 10*(i%50), UpdatedAt: now}
		if err := putIfMissing(ctx, s, school); err != nil {
			return err
		}
		name := fmt.Sprintf("lt-%04d", i)
		err := s.InsertUser(ctx, &store.User{ID: name, Username: name, Name: school.Name, Role: store.RoleSchool,
			Org: code, OrgPath: school.Path, PasswordHash: hash, CreatedAt: now})
		switch {
		case err == nil:
			added++
		case !fail.Is(err, fail.Conflict):
			return err
		}
	}
	fmt.Fprintf(out, "load-test schools: %d under %s (%s); %d users added: %s\n",
		c.Setup, dist.ID, strings.TrimSpace(dist.Name), added, "lt-0001 …")
	return nil
}

func cutScheme(uri string) (string, bool) {
	return strings.CutPrefix(uri, "mongodb://")
}

// cutAny cuts s around the first of the characters in chars.
func cutAny(s, chars string) (string, string, bool) {
	if i := strings.IndexAny(s, chars); i >= 0 {
		return s[:i], s[i+1:], true
	}
	return s, "", false
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
