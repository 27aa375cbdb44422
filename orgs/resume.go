package orgs

import (
	"crypto/rand"
	"encoding/hex"
	"time"

	"github.com/tianbao-edu/tianbao/store"
)

// record is the record of an import about to write d.
func record(id string, u *store.User, d Diff, rows int, now time.Time) *store.OrgImport {
	run := make([]byte, 8)
	_, _ = rand.Read(run)
	r := &store.OrgImport{ID: id, Run: hex.EncodeToString(run), Org: u.Org, By: u.ID, State: store.ImportRunning,
		Rows: rows, StartedAt: now}
	for _, o := range d.Created {
		r.Created = append(r.Created, o.ID)
	}
	for _, up := range d.Updated {
		r.Updated = append(r.Updated, store.ImportedUpdate{Code: up.Org.ID, Fields: up.Fields, Changes: up.Changes})
	}
	return r
}

// resume describes an interrupted import as a whole. The schools it
// created or changed before it stopped now read as unchanged, so they are
// taken from its record; d, what is left to write, adds what the record
// does not name (a school someone changed back meanwhile).
func resume(d Diff, rec *store.OrgImport, existing map[string]store.Org) Diff {
	created := make(map[string]store.Org, len(d.Created))
	for _, o := range d.Created {
		created[o.ID] = o
	}
	updated := make(map[string]Update, len(d.Updated))
	for _, u := range d.Updated {
		updated[u.Org.ID] = u
	}
	w := Diff{Resumed: true}
	named := map[string]bool{}
	for _, code := range rec.Created {
		named[code] = true
		if o, ok := created[code]; ok {
			w.Created = append(w.Created, o)
		} else if o, ok := existing[code]; ok {
			w.Created = append(w.Created, o)
		}
	}
	for _, u := range rec.Updated {
		named[u.Code] = true
		o := existing[u.Code]
		if now, ok := updated[u.Code]; ok {
			o = now.Org
		}
		w.Updated = append(w.Updated, Update{Org: o, Fields: u.Fields, Changes: u.Changes})
	}
	for _, o := range d.Created {
		if !named[o.ID] {
			w.Created = append(w.Created, o)
		}
	}
	for _, u := range d.Updated {
		if !named[u.Org.ID] {
			w.Updated = append(w.Updated, u)
		}
	}
	w.Unchanged = len(d.Created) + len(d.Updated) + d.Unchanged - len(w.Created) - len(w.Updated)
	return w
}
