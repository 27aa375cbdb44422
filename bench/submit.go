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
// one a call, as a phone does: it fetches the form and its context,
// answers for the period, and adds a 说明 for every value the server asks
// to have explained. The schools are taken from the city's list of those
// missing; only the request that stores the submission is timed.
func (c *Client) submitter(ctx context.Context, b *Built, drive string) func() (int, time.Duration, error) {
	var missing []string
	schools := map[string]int{}
	for i, o := range b.Schools {
		schools[o.ID] = i
	}
	return func() (int, time.Duration, error) {
		if missing == nil {
			var p struct{ Missing []struct{ Code string } }
			if _, err := c.getJSON(ctx, "admin", "/api/v1/drives/"+drive+"/progress", &p); err != nil {
				return 0, 0, err
			}
			missing = []string{}
			for _, m := range p.Missing {
				missing = append(missing, m.Code)
			}
		}
		for len(missing) > 0 {
			i, ok := schools[missing[0]]
			missing = missing[1:]
			if !ok {
				continue
			}
			school, user := b.Schools[i], "school-"+b.Schools[i].ID
			var f forms.Form
			var fc struct{ Previous forms.Values }
			if ok, err := c.getJSON(ctx, user, "/api/v1/drives/"+drive+"/form", &f); err != nil || !ok {
				if err != nil {
					return 0, 0, err
				}
				continue
			}
			if _, err := c.getJSON(ctx, user, "/api/v1/drives/"+drive+"/context", &fc); err != nil {
				return 0, 0, err
			}
			env := forms.Env{School: forms.School{Code: school.ID, Stages: school.Stages, Classrooms: school.Classrooms,
				Students: school.Students, Public: school.Public, Urban: school.Urban}, Previous: fc.Previous}
			values, bad := NewAnswerer(&f, env, uint64(i), time.Now()).Answer()
			if len(bad) > 0 {
				continue
			}
			n, took, stored, err := c.handIn(ctx, user, drive, values)
			if err != nil || stored {
				return n, took, err
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
