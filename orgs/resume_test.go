package orgs_test

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/tianbao-edu/tianbao/orgs"
	"github.com/tianbao-edu/tianbao/store"
)

// TestInterruptedImportCompletes: an import stopped between two batches
// leaves only whole schools; importing the same file again completes it.
// Its dry run and its answer, the orgs and the audit log then equal those
// of an import that never stopped, for new schools and for changed ones.
func TestInterruptedImportCompletes(t *testing.T) {
	const rows, batch = 250, 100
	for _, c := range []struct {
		name   string
		before []byte // imported first, in full
		file   []byte
	}{
		{"new schools", nil, bigSheet(t, rows, 900)},
		{"changed schools", bigSheet(t, rows, 900), bigSheet(t, rows, 950)},
	} {
		t.Run(c.name, func(t *testing.T) {
			run := func(ctx context.Context, s *store.Store, data []byte, dryRun bool, progress func(int, int)) (orgs.Diff, error) {
				return orgs.Import(ctx, s, admin, bytes.NewReader(data), orgs.Options{MaxBytes: orgs.MaxUpload, DryRun: dryRun,
					Now: now, Batch: batch, Progress: progress})
			}
			prepare := func() *store.Store {
				s := newTree(t)
				if c.before != nil {
					if _, err := run(ctx, s, c.before, false, nil); err != nil {
						t.Fatal(err)
					}
				}
				return s
			}
			clean := prepare()
			want, err := run(ctx, clean, c.file, false, nil)
			if err != nil || len(want.Created)+len(want.Updated) != rows {
				t.Fatalf("clean import: %+v, %v", want.Summary(false), err)
			}

			s := prepare()
			stopped, stop := context.WithCancel(ctx)
			_, err = run(stopped, s, c.file, false, func(written, _ int) {
				if written >= batch {
					stop()
				}
			})
			stop()
			if err == nil {
				t.Fatal("the import was not interrupted")
			}
			if got := orgsOf(t, s); reflect.DeepEqual(got, orgsOf(t, clean)) {
				t.Fatal("the interrupted import wrote everything")
			}
			dry, err := run(ctx, s, c.file, true, nil)
			if err != nil || !dry.Resumed || !sameSummary(dry.Summary(true), want.Summary(true)) {
				t.Fatalf("dry run after the interruption: %+v, %v; want %+v", dry.Summary(true), err, want.Summary(true))
			}
			got, err := run(ctx, s, c.file, false, nil)
			if err != nil || !got.Resumed || !sameSummary(got.Summary(false), want.Summary(false)) {
				t.Fatalf("import again: %+v, %v; want %+v", got.Summary(false), err, want.Summary(false))
			}
			if !reflect.DeepEqual(orgsOf(t, s), orgsOf(t, clean)) {
				t.Fatal("the completed import's orgs differ from a clean import's")
			}
			if a, b := auditOf(t, s), auditOf(t, clean); !slices.Equal(a, b) {
				t.Fatalf("audit log: %d entries, a clean import's %d", len(a), len(b))
			}
			again, err := run(ctx, s, c.file, false, nil)
			if err != nil || again.Resumed || again.Unchanged != rows {
				t.Fatalf("a third import: %+v, %v", again.Summary(false), err)
			}
		})
	}
}

// sameSummary compares two answers but for whether one was resumed.
func sameSummary(a, b orgs.Summary) bool {
	a.Resumed, b.Resumed = false, false
	return reflect.DeepEqual(a, b)
}

func orgsOf(t *testing.T, s *store.Store) []store.Org {
	t.Helper()
	var out []store.Org
	for o, err := range s.AllOrgs(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		o.UpdatedAt = o.UpdatedAt.UTC()
		out = append(out, *o)
	}
	slices.SortFunc(out, func(a, b store.Org) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// auditOf lists the audit log as action, school and changes, sorted.
func auditOf(t *testing.T, s *store.Store) []string {
	t.Helper()
	log, err := s.Audit(ctx, 1000)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range log {
		out = append(out, fmt.Sprint(e.Action, e.Object, e.By, e.At.UTC(), e.Changes))
	}
	slices.Sort(out)
	return out
}
