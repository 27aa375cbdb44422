package handlers_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
)

// TestConcurrentSchoolCreate: two districts creating the same school code
// at once: exactly one is answered 201 and owns the school, every other
// request gets 409 with the id field named in Chinese.
func TestConcurrentSchoolCreate(t *testing.T) {
	f := newFixture(t)
	base := f.serve()
	const code, perDistrict = "0100009001", 6
	type answer struct {
		as     string
		status int
		ctype  string
		body   []byte
	}
	var (
		wg      sync.WaitGroup
		start   = make(chan struct{})
		answers = make(chan answer, 2*perDistrict)
	)
	for _, as := range []string{"dist1", "dist2"} {
		parent := map[string]string{"dist1": district1, "dist2": district2}[as]
		body, _ := json.Marshal(map[string]any{"id": code, "name": as + "新建小学", "parent": parent, "stages": []string{"primary"}})
		for range perDistrict {
			wg.Add(1)
			go func() {
				defer wg.Done()
				req, _ := http.NewRequest(http.MethodPost, base+"/api/v1/orgs", bytes.NewReader(body))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", "Bearer "+f.tokens[as])
				<-start
				res, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Error(err)
					return
				}
				defer res.Body.Close()
				raw, _ := io.ReadAll(res.Body)
				answers <- answer{as: as, status: res.StatusCode, ctype: res.Header.Get("Content-Type"), body: raw}
			}()
		}
	}
	close(start)
	wg.Wait()
	close(answers)
	winner := ""
	for a := range answers {
		switch a.status {
		case http.StatusCreated:
			if winner != "" {
				t.Fatalf("%s and %s both created %s", winner, a.as, code)
			}
			winner = a.as
		case http.StatusConflict:
			var p struct {
				Errors []struct{ Field, Code, Message string }
			}
			if err := json.Unmarshal(a.body, &p); err != nil || !strings.HasPrefix(a.ctype, "application/problem+json") ||
				len(p.Errors) != 1 || p.Errors[0].Field != "id" || p.Errors[0].Code != "taken" || !strings.Contains(p.Errors[0].Message, "已存在") {
				t.Errorf("409 to %s: %s %s", a.as, a.ctype, a.body)
			}
		default:
			t.Errorf("%s: %d %s", a.as, a.status, a.body)
		}
	}
	if winner == "" {
		t.Fatal("nobody created the school")
	}
	want := map[string]string{"dist1": district1, "dist2": district2}[winner]
	o, err := f.store.Org(t.Context(), code)
	if err != nil || o.Parent != want || o.Name != winner+"新建小学" || o.Path[1] != want {
		t.Fatalf("stored %+v (%v), created by %s", o, err, winner)
	}
}
