package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// TestGracefulShutdownUnderLoad stops the server while schools submit:
// every request the server accepted is answered in full, and every
// acknowledged submission is in the database.
func TestGracefulShutdownUnderLoad(t *testing.T) {
	const pw = "shutdown-pass-1"
	db := fmt.Sprintf("shutdown_%d", time.Now().UnixNano())
	common := []string{"-mongodb-uri", storetest.URI(), "-db", db, "-demo-password", pw}
	if err := run(context.Background(), append([]string{"seed-demo"}, common...), io.Discard); err != nil {
		t.Fatal(err)
	}
	base, _, stop := start(t, append(common, "-no-demo")...)
	drive := "monthly-" + time.Now().In(shanghaiLoc(t)).Format("2006-01")
	type phone struct {
		c    *client
		body []byte
		id   string
	}
	var phones []phone
	for d := 1; d <= 3; d++ {
		for s := 3; s <= 9; s++ { // not the kindergartens: their form has other sections
			c := login(t, base, fmt.Sprintf("school-0%d%03d", 999900+d, s), pw)
			_, form, _ := c.call(http.MethodGet, "/api/v1/drives/"+drive+"/form", nil)
			var def struct {
				Sections []struct{ Indicator string } `json:"sections"`
			}
			_ = json.Unmarshal(form, &def)
			values := map[string]any{}
			for _, sec := range def.Sections {
				values[sec.Indicator] = demoSections[sec.Indicator]
			}
			id := uuid.NewString()
			body, _ := json.Marshal(map[string]any{"id": id, "values": values, "draft": true})
			phones = append(phones, phone{c, body, id})
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		acked []string
		after int // answered after the shutdown began: they were in flight
		down  = make(chan struct{})
	)
	go1 := make(chan struct{})
	for _, p := range phones {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-go1
			req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/drives/"+drive+"/submissions", bytes.NewReader(p.body))
			req.Header.Set("Content-Type", "application/json")
			req.Header.Set("Authorization", "Bearer "+p.c.token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				// Refused after the listener closed: never accepted, nothing half-done.
				if !errors.Is(err, syscall.ECONNREFUSED) {
					t.Errorf("a request was cut: %v", err)
				}
				return
			}
			defer res.Body.Close()
			raw, err := io.ReadAll(res.Body)
			if err != nil || res.StatusCode != http.StatusCreated {
				t.Errorf("answer %d %v: %s", res.StatusCode, err, raw)
				return
			}
			mu.Lock()
			acked = append(acked, p.id)
			select {
			case <-down:
				after++
			default:
			}
			mu.Unlock()
		}()
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
	t.Logf("%d of %d submissions acknowledged (%d of them while shutting down), all stored", len(acked), len(phones), after)
}
