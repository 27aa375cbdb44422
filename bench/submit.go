package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/forms"
)

// submitter hands in the drive's form for the schools that have not yet,
// one a call from the last school up, as a phone does: it fetches the
// form and its context, answers for the period, and adds a 说明 for every
// value the server asks to have explained. Only the request that stores
// the submission is timed.
func (c *Client) submitter(ctx context.Context, b *Built, drive string) func() (int, time.Duration, error) {
	next := len(b.Schools) - 1
	return func() (int, time.Duration, error) {
		for ; next >= 0; next-- {
			school := b.Schools[next]
			user := "school-" + school.ID
			var f forms.Form
			var fc struct{ Previous forms.Values }
			if ok, err := c.getJSON(ctx, user, "/api/v1/drives/"+drive+"/form", &f); err != nil || !ok {
				if err != nil {
					return 0, 0, err
				}
				continue // a drive this school is not asked to fill
			}
			if _, err := c.getJSON(ctx, user, "/api/v1/drives/"+drive+"/context", &fc); err != nil {
				return 0, 0, err
			}
			env := forms.Env{School: forms.School{Code: school.ID, Stages: school.Stages, Classrooms: school.Classrooms,
				Students: school.Students, Public: school.Public, Urban: school.Urban}, Previous: fc.Previous}
			values, bad := NewAnswerer(&f, env, uint64(next), time.Now()).Answer()
			if len(bad) > 0 {
				continue
			}
			n, took, stored, err := c.handIn(ctx, user, drive, values)
			if err != nil {
				return 0, 0, err
			}
			if stored {
				next--
				return n, took, nil
			}
		}
		return 0, 0, fmt.Errorf("no school left to hand in %s", drive)
	}
}

// handIn posts a submission, again with a 说明 for each value the server
// asks to have explained; stored is false when the school had handed in
// already or its answers are refused for another reason.
func (c *Client) handIn(ctx context.Context, user, drive string, values forms.Values) (n int, took time.Duration, stored bool, err error) {
	body := map[string]any{"id": uuid.NewString(), "values": values}
	explained := map[string]string{}
	for range 3 {
		start := time.Now()
		b, status, err := c.do(ctx, user, http.MethodPost, "/api/v1/drives/"+drive+"/submissions", body)
		took = time.Since(start)
		switch {
		case err != nil:
			return 0, 0, false, err
		case status == http.StatusCreated:
			return len(b), took, true, nil
		case status != http.StatusUnprocessableEntity:
			return 0, 0, false, nil
		}
		var problem struct {
			Errors []struct{ Field, Code string }
		}
		if err := json.Unmarshal(b, &problem); err != nil {
			return 0, 0, false, err
		}
		for _, e := range problem.Errors {
			if e.Code != "explain" {
				return 0, 0, false, nil
			}
			explained[e.Field] = "本月情况特殊，已核实"
		}
		body["explanations"] = explained
	}
	return 0, 0, false, nil
}

// getJSON reads a GET answer into out; ok is false on 404.
func (c *Client) getJSON(ctx context.Context, as, path string, out any) (ok bool, err error) {
	b, status, err := c.do(ctx, as, http.MethodGet, path, nil)
	switch {
	case err != nil:
		return false, err
	case status == http.StatusNotFound:
		return false, nil
	case status != http.StatusOK:
		return false, fmt.Errorf("GET %s: %d %.300s", path, status, b)
	}
	return true, json.Unmarshal(b, out)
}
