package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestDatabaseOutage cuts the connection to the database while phones
// submit: the API answers 503 with Retry-After (never 500, never a hang),
// /readyz turns red and green again, and afterwards every submission that
// was acknowledged exists exactly once and every retried one too.
func TestDatabaseOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("outage test takes a few seconds")
	}
	p, uri := newProxy(t, storetest.URI())
	ctx := context.Background()
	s, _ := storetest.Open(t, uri)
	f := newFixtureOn(t, s)
	phones := f.addSchools(12)
	base := f.serve()
	client := &http.Client{Timeout: 20 * time.Second}

	type outcome struct {
		id       string
		statuses []int
	}
	var (
		mu         sync.Mutex
		outcomes   = map[string]*outcome{}
		retryAfter int
		wg         sync.WaitGroup
	)
	start := make(chan struct{})
	for _, phone := range phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			o := &outcome{id: uuid.NewString()}
			body, _ := json.Marshal(map[string]any{"id": o.id, "values": validValues(2)})
			<-start
			deadline := time.Now().Add(45 * time.Second)
			for time.Now().Before(deadline) {
				res, err := f.submitOver(client, base, phone, driveID, body)
				if err != nil {
					time.Sleep(200 * time.Millisecond)
					continue
				}
				mu.Lock()
				o.statuses = append(o.statuses, res.status)
				if res.status == http.StatusServiceUnavailable && res.header.Get("Retry-After") != "" {
					retryAfter++
				}
				mu.Unlock()
				if res.status < 500 {
					break
				}
				time.Sleep(300 * time.Millisecond)
			}
			mu.Lock()
			outcomes[phone] = o
			mu.Unlock()
		}()
	}

	// Cut first, then let the phones loose: every one meets the outage.
	p.cut()
	close(start)
	ready := func() int {
		res, err := client.Get(base + "/readyz")
		if err != nil {
			t.Fatalf("readyz: %v", err)
		}
		res.Body.Close()
		return res.StatusCode
	}
	if got := ready(); got != http.StatusServiceUnavailable {
		t.Errorf("readyz during the outage: %d", got)
	}
	// Longer than the driver's 5-second server selection: requests must
	// give up with 503 rather than wait.
	time.Sleep(7 * time.Second)
	p.restore()
	deadline := time.Now().Add(30 * time.Second)
	for ready() != http.StatusOK {
		if time.Now().After(deadline) {
			t.Fatal("readyz stayed red after the database came back")
		}
		time.Sleep(200 * time.Millisecond)
	}
	wg.Wait()

	if retryAfter == 0 {
		t.Error("no 503 with Retry-After was seen during the outage")
		for p, o := range outcomes {
			t.Logf("%s: %v", p, o.statuses)
		}
	}
	stored := map[string]int{}
	for sub, err := range s.Submissions(ctx, store.SubmissionFilter{Drive: driveID, Under: []string{city}, Lean: true}) {
		if err != nil {
			t.Fatal(err)
		}
		stored[sub.ID]++
	}
	for phone, o := range outcomes {
		final := o.statuses[len(o.statuses)-1]
		for _, st := range o.statuses {
			if st >= 500 && st != http.StatusServiceUnavailable {
				t.Errorf("%s: answered %d during the outage (want 503)", phone, st)
			}
		}
		if final != http.StatusCreated && final != http.StatusOK {
			t.Errorf("%s: never acknowledged: %v", phone, o.statuses)
			continue
		}
		if stored[o.id] != 1 {
			t.Errorf("%s: submission %s stored %d times", phone, o.id, stored[o.id])
		}
	}
	if len(outcomes) != len(phones) {
		t.Fatalf("%d of %d phones finished", len(outcomes), len(phones))
	}
}
