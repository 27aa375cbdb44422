package handlers_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/store"
)

// send is do for goroutines: it reports instead of failing the test.
func (f *fixture) send(as, method, path string, body any, header map[string]string) (response, error) {
	raw, err := json.Marshal(body)
	if err != nil {
		return response{}, err
	}
	req := httptest.NewRequest(method, path, strings.NewReader(string(raw)))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", "Bearer "+f.tokens[as])
	for k, v := range header {
		req.Header.Set(k, v)
	}
	res, err := f.app.Test(req, 60_000)
	if err != nil {
		return response{}, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return response{status: res.StatusCode, header: res.Header, body: b}, err
}

// together runs each function at once and waits for all.
func together(fns ...func()) {
	var wg sync.WaitGroup
	start := make(chan struct{})
	for _, fn := range fns {
		wg.Add(1)
		go func() { defer wg.Done(); <-start; fn() }()
	}
	close(start)
	wg.Wait()
}

// submitAll has district 1's schools (and extra ones) submit and returns
// their submissions by user.
func submitAll(t *testing.T, f *fixture, extra []string) map[string]string {
	ids := map[string]string{}
	for _, as := range append([]string{"school1", "school2", "school3"}, extra...) {
		values := any(validValues(1))
		if as == "school2" {
			values = map[string]any{"canteen": validValues(0)["canteen"]}
		}
		ids[as] = uuid.NewString()
		if res := create(f, as, ids[as], values, false); res.status != 201 {
			t.Fatalf("%s submits: %d %s", as, res.status, res.body)
		}
	}
	return ids
}

// TestBulkApprovalsConcurrent: reviewers approving everything at once
// approve each submission exactly once, with one revision each.
func TestBulkApprovalsConcurrent(t *testing.T) {
	f := newFixture(t)
	ids := submitAll(t, f, f.addSchools(5))
	results := make([]response, 4)
	errs := make([]error, 4)
	var fns []func()
	for i, as := range []string{"dist1", "admin", "dist1", "admin"} {
		fns = append(fns, func() {
			results[i], errs[i] = f.send(as, http.MethodPost, "/api/v1/drives/"+driveID+"/approvals", map[string]any{"all": true}, nil)
		})
	}
	together(fns...)
	approved := map[string]int{}
	for i, res := range results {
		if errs[i] != nil || res.status != 200 {
			t.Fatalf("approval %d: %v %d %s", i, errs[i], res.status, res.body)
		}
		for _, id := range names(res.json()["approved"]) {
			approved[id]++
		}
		for _, s := range res.json()["skipped"].([]any) {
			if r := s.(map[string]any)["reason"]; r != "stale" && r != "not_submitted" {
				t.Fatalf("skipped for %v: %s", r, res.body)
			}
		}
	}
	for as, id := range ids {
		revs := f.do("admin", http.MethodGet, "/api/v1/submissions/"+id+"/revisions", nil, nil)
		if approved[id] != 1 || strings.Count(string(revs.body), `"action":"approve"`) != 1 {
			t.Fatalf("%s approved %d times in the answers: %s", as, approved[id], revs.body)
		}
		if sub := f.do("admin", http.MethodGet, "/api/v1/submissions/"+id, nil, nil).json(); sub["status"] != "approved" || sub["version"] != 2.0 {
			t.Fatalf("%s: %v", as, sub)
		}
	}
}

// TestSignoffRaces: a school's edit or a reviewer's return racing a
// sign-off ends either before the sign-off (which then sees it) or
// refused; afterwards the sign-off locks exactly when every submission of
// its schools carries the lock and every one not named a gap is approved.
func TestSignoffRaces(t *testing.T) {
	f := newFixture(t)
	l := levels{f, t}
	gapUser := f.addSchools(1)[0]
	gap := "0100001900"
	ids := submitAll(t, f, []string{gapUser})
	for _, as := range []string{"school1", "school2"} {
		if res := f.do("dist1", http.MethodPost, "/api/v1/submissions/"+ids[as]+"/review", map[string]any{"action": "approve"}, nil); res.status != 200 {
			t.Fatalf("approve %s: %d %s", as, res.status, res.body)
		}
	}
	signoff := map[string]any{"action": "signoff", "gaps": []string{gap}, "comment": "该校待复核"}
	for round := range 6 {
		var race, sign response
		var raceErr, signErr error
		raced := "edit"
		if round%2 == 1 {
			raced = "return"
		}
		v := int(l.get("dist1", ids[gapUser])["version"].(float64))
		together(func() {
			if raced == "edit" {
				race, raceErr = f.send(gapUser, http.MethodPut, "/api/v1/submissions/"+ids[gapUser], map[string]any{"values": validValues(1 + round)},
					map[string]string{"If-Match": fmt.Sprintf(`"%d"`, v)})
			} else {
				race, raceErr = f.send("dist1", http.MethodPost, "/api/v1/submissions/"+ids["school1"]+"/review", map[string]any{"action": "return", "comment": "请复核"}, nil)
			}
		}, func() {
			sign, signErr = f.send("dist1", http.MethodPost, "/api/v1/drives/"+driveID+"/signoffs/"+district1, signoff, nil)
		})
		if raceErr != nil || signErr != nil || !slices.Contains([]int{200, 409, 423}, race.status) || !slices.Contains([]int{200, 409, 422}, sign.status) {
			t.Fatalf("round %d (%s): %v %d %s; sign-off %v %d %s", round, raced, raceErr, race.status, race.body, signErr, sign.status, sign.body)
		}
		so, err := f.store.Signoff(context.Background(), driveID, district1)
		must(t, err)
		for as, id := range ids {
			if as == "school3" {
				continue
			}
			sub := l.get("dist1", id)
			locked := sub["locks"] != nil
			if locked != so.Locks() {
				t.Fatalf("round %d (%s): sign-off %q, %s locked %v; race %d %s, sign-off %d %s", round, raced, so.State, as, locked, race.status, race.body, sign.status, sign.body)
			}
			if so.Locks() && as != gapUser && sub["status"] != "approved" {
				t.Fatalf("round %d: signed off over %s %v", round, as, sub["status"])
			}
		}
		if sign.status == 200 && race.status == 200 && raced == "return" {
			t.Fatalf("round %d: both the return and the sign-off went through", round)
		}
		if so.Locks() {
			if res := l.revise(gapUser, ids[gapUser], validValues(1)); res.status != http.StatusLocked {
				t.Fatalf("round %d: the gap school edits after the sign-off: %d", round, res.status)
			}
			if res := l.step("dist1", district1, map[string]any{"action": "withdraw"}); res.status != 200 {
				t.Fatalf("withdraw: %d %s", res.status, res.body)
			}
		}
		if s1 := l.get("dist1", ids["school1"]); s1["status"] != store.StatusApproved {
			must(t, resubmitApprove(f, l, ids["school1"]))
		}
	}
}

// resubmitApprove has school 1 hand its returned submission in again and
// district 1 approve it.
func resubmitApprove(f *fixture, l levels, id string) error {
	if res := l.revise("school1", id, validValues(1)); res.status != 200 {
		return fmt.Errorf("resubmit: %d %s", res.status, res.body)
	}
	if res := f.do("dist1", http.MethodPost, "/api/v1/submissions/"+id+"/review", map[string]any{"action": "approve"}, nil); res.status != 200 {
		return fmt.Errorf("approve: %d %s", res.status, res.body)
	}
	return nil
}

// TestSignoffRacesReturn: the city returning a district while its
// sign-off is still locking the schools leaves none of them locked.
func TestSignoffRacesReturn(t *testing.T) {
	f := newFixture(t)
	l := levels{f, t}
	submitAll(t, f, f.addSchools(20))
	if res := l.approve("dist1", map[string]any{"all": true}); res.status != 200 {
		t.Fatalf("approve: %d %s", res.status, res.body)
	}
	var sign, ret response
	together(func() {
		sign, _ = f.send("dist1", http.MethodPost, "/api/v1/drives/"+driveID+"/signoffs/"+district1, map[string]any{"action": "signoff"}, nil)
	}, func() {
		for range 2000 {
			so, err := f.store.Signoff(context.Background(), driveID, district1)
			if err == nil && so.State == store.SignoffSigned {
				ret, _ = f.send("admin", http.MethodPost, "/api/v1/drives/"+driveID+"/signoffs/"+district1, map[string]any{"action": "return", "comment": "请复核"}, nil)
				return
			}
		}
	})
	so, err := f.store.Signoff(context.Background(), driveID, district1)
	must(t, err)
	if sign.status != 200 || ret.status != 200 || so.State != store.SignoffReturned {
		t.Fatalf("sign-off %d %s, return %d %s, state %q", sign.status, sign.body, ret.status, ret.body, so.State)
	}
	res := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/submissions?limit=100", nil, nil)
	for _, s := range res.json()["submissions"].([]any) {
		id := s.(map[string]any)["id"].(string)
		if sub := l.get("dist1", id); sub["locks"] != nil {
			t.Fatalf("%s still locked after the return: %v", sub["schoolName"], sub["locks"])
		}
	}
}
