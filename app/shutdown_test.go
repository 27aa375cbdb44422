package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestGracefulShutdownUnderLoad stops the server while schools submit:
// every request the server read is answered in full and its submission
// stored; a request that never reached it (its connection refused or reset
// before the server read it) left nothing behind, and the phone's retry
// with the same id against the restarted server stores it exactly once.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	const pw = "shutdown-pass-1"
	db := fmt.Sprintf("shutdown_%d", time.Now().UnixNano())
	common := []string{"-mongodb-uri", storetest.URI(), "-db", db, "-demo-password", pw, "-no-demo"}
	if err := run(context.Background(), append([]string{"seed-demo"}, common...), io.Discard); err != nil {
		t.Fatal(err)
	}
	base, _, stop := start(t, common...)
	drive := "monthly-" + time.Now().In(shanghaiLoc(t)).Format("2006-01")
	var phones []shutdownPhone
	for d := 1; d <= 3; d++ {
		for s := 3; s <= 9; s++ { // not the kindergartens: their form has other sections
			c := login(t, base, fmt.Sprintf("school-0%d%03d", 999900+d, s), pw)
			_, form, _ := c.call(http.MethodGet, "/api/v1/drives/"+drive+"/form", nil)
			id := uuid.NewString()
			body, _ := json.Marshal(map[string]any{"id": id, "values": demoValues(t, form), "draft": true, "explanations": demoExplanations})
			phones = append(phones, shutdownPhone{c, body, id})
		}
	}
	var (
		wg         sync.WaitGroup
		mu         sync.Mutex
		acked      []string
		unanswered []shutdownPhone
		after      int // answered after the shutdown began: they were in flight
		down       = make(chan struct{})
	)
	go1 := make(chan struct{})
	for _, p := range phones {
		wg.Go(func() {
			<-go1
			status, raw, err := p.post(base, drive)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err != nil:
				unanswered = append(unanswered, p)
			case status != http.StatusCreated:
				t.Errorf("answer %d: %s", status, raw)
			default:
				acked = append(acked, p.id)
				select {
				case <-down:
					after++
				default:
				}
			}
		})
	}
	close(go1)
	time.Sleep(15 * time.Millisecond)
	close(down)
	stop()
	wg.Wait()
	if len(acked) == 0 {
		t.Fatal("no submission finished before the shutdown: the test proves nothing")
	}
	s, err := store.Open(context.Background(), storetest.URI(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = s.Drop(context.Background()); _ = s.Close(context.Background()) }()
	for _, id := range acked {
		if _, err := s.Submission(context.Background(), id, demoCity); err != nil {
			t.Errorf("acknowledged submission %s is missing: %v", id, err)
		}
	}
	for _, p := range unanswered {
		if _, err := s.Submission(context.Background(), p.id, demoCity); !fail.Is(err, fail.NotFound) {
			t.Errorf("submission %s went unanswered yet the server handled it: %v", p.id, err)
		}
	}
	t.Logf("%d of %d submissions acknowledged (%d of them while shutting down), %d never reached the server",
		len(acked), len(phones), after, len(unanswered))

	// The phones retry what went unanswered, and one retries what was
	// answered: each report is stored once.
	base, _, stop = start(t, common...)
	defer stop()
	retry := append(unanswered, phones[0])
	for _, p := range retry {
		if status, raw, err := p.post(base, drive); err != nil || (status != http.StatusCreated && status != http.StatusOK) {
			t.Errorf("retry of %s: %d %v %s", p.id, status, err, raw)
		}
	}
	stored := map[string]int{}
	for sub, err := range s.Submissions(context.Background(), store.SubmissionFilter{Drive: drive, Under: []string{demoCity}}) {
		if err != nil {
			t.Fatal(err)
		}
		stored[sub.ID]++
	}
	for _, p := range phones {
		if stored[p.id] != 1 {
			t.Errorf("submission %s is stored %d times", p.id, stored[p.id])
		}
	}
	if len(stored) != len(phones) {
		t.Errorf("%d submissions stored for %d phones", len(stored), len(phones))
	}
}

type shutdownPhone struct {
	c    *client
	body []byte
	id   string
}

// post sends the phone's report on a connection of its own.
func (p shutdownPhone) post(base, drive string) (int, []byte, error) {
	req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/drives/"+drive+"/submissions", bytes.NewReader(p.body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+p.c.token)
	req.Close = true
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, nil, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	return res.StatusCode, raw, err
}
