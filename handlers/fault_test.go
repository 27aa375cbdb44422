package handlers_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestDatabaseOutage cuts the connection to the database while phones
// submit, some already answered, some in flight, some still to start: the
// API answers 503 with Retry-After (never another 5xx, never a 4xx that
// would make a phone give up, never a hang), /readyz turns red and green
// again, and afterwards every phone's submission exists exactly once.
func TestDatabaseOutage(t *testing.T) {
	if testing.Short() {
		t.Skip("outage test takes a few seconds")
	}
	p, uri := newProxy(t, storetest.URI())
	ctx := context.Background()
	s, _ := storetest.Open(t, uri)
	f := newFixtureOn(t, s)
	phones := f.addSchools(20)
	base := f.serve()
	// Longer than any answer may take: the driver gives up on the database
	// after 5 s, so a request still open at 15 s hangs.
	client := &http.Client{Timeout: 15 * time.Second}

	type outcome struct {
		id       string
		statuses []int
		failures []error
	}
	var (
		mu         sync.Mutex
		outcomes   = map[string]*outcome{}
		acked      int
		retryAfter int
		wg         sync.WaitGroup
	)
	// Every phone has signed in lately: its sign-in is cached, so during
	// the outage its request goes on to the lookups behind it.
	for _, phone := range phones {
		if res := f.do(phone, http.MethodGet, "/api/v1/me", nil, nil); res.status != http.StatusOK {
			t.Fatalf("me: %d %s", res.status, res.body)
		}
	}
	firstAcks := make(chan struct{})
	start := make(chan struct{})
	for i, phone := range phones {
		o := &outcome{id: uuid.NewString()}
		outcomes[phone] = o
		wg.Go(func() {
			body, _ := json.Marshal(map[string]any{"id": o.id, "values": validValues(2)})
			<-start
			time.Sleep(time.Duration(i) * 40 * time.Millisecond) // phones arrive one after another
			for deadline := time.Now().Add(60 * time.Second); time.Now().Before(deadline); {
				res, err := f.submitOver(client, base, phone, driveID, body)
				mu.Lock()
				if err != nil {
					o.failures = append(o.failures, err)
				} else {
					o.statuses = append(o.statuses, res.status)
					if res.status == http.StatusServiceUnavailable && res.header.Get("Retry-After") != "" {
						retryAfter++
					}
					if res.status < 300 {
						if acked++; acked == 3 {
							close(firstAcks)
						}
					}
				}
				mu.Unlock()
				if err == nil && res.status < 500 {
					return
				}
				time.Sleep(300 * time.Millisecond)
			}
		})
	}

	// Cut once the first phones are answered, while the others keep coming.
	close(start)
	select {
	case <-firstAcks:
	case <-time.After(time.Minute):
		t.Fatal("no submission was answered before the outage")
	}
	p.cut()
	mu.Lock()
	before := acked
	mu.Unlock()
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
	}
	if m := f.do("", http.MethodGet, "/metrics", nil, nil); !regexp.MustCompile(`(?m)^tianbao_database_errors_total [1-9]`).Match(m.body) {
		t.Error("/metrics shows no database errors after the outage")
	}
	stored := map[string]int{}
	bySchool := map[string]int{}
	for sub, err := range s.Submissions(ctx, store.SubmissionFilter{Drive: driveID, Under: []string{city}, Lean: true}) {
		if err != nil {
			t.Fatal(err)
		}
		stored[sub.ID]++
		bySchool[sub.School]++
	}
	for phone, o := range outcomes {
		for _, err := range o.failures {
			t.Errorf("%s: no answer: %v", phone, err)
		}
		for _, st := range o.statuses {
			if st >= 400 && st != http.StatusServiceUnavailable {
				t.Errorf("%s: answered %d (want 503 while the database is away): %v", phone, st, o.statuses)
			}
		}
		if n := len(o.statuses); n == 0 || (o.statuses[n-1] != http.StatusCreated && o.statuses[n-1] != http.StatusOK) {
			t.Errorf("%s: never acknowledged: %v", phone, o.statuses)
			continue
		}
		if stored[o.id] != 1 {
			t.Errorf("%s: submission %s stored %d times", phone, o.id, stored[o.id])
		}
	}
	for school, n := range bySchool {
		if n != 1 {
			t.Errorf("school %s has %d submissions", school, n)
		}
	}
	if len(stored) != len(phones) {
		t.Errorf("%d submissions stored for %d phones", len(stored), len(phones))
	}
	t.Logf("%d phones, %d answered before the cut, %d answers of 503 with Retry-After", len(phones), before, retryAfter)
}
