package handlers_test

import (
	"encoding/json"
	"net/http"
	"slices"
	"testing"
)

type planSchedulesAnswer struct {
	Created []struct {
		ID, Name, Plan, Frequency string
		DueDay, CloseDay          int
		Active                    bool
	} `json:"created"`
	Existing []struct{ ID, Frequency string } `json:"existing"`
}

// TestSchedulesFromPlan: one action gives a plan a schedule for each
// frequency its indicators are reported at (an item's own frequency
// first), each opening its current drive; asked again it creates nothing;
// a schedule of the plan counts only for the scope it covers.
func TestSchedulesFromPlan(t *testing.T) {
	f := newFixture(t)
	plan := map[string]any{"id": "plan-2027", "name": "2027 工作要点", "year": 2027, "items": []map[string]any{
		{"indicator": "canteen"}, {"indicator": "myopia"}, {"indicator": "fitness"}, {"indicator": "lighting", "frequency": "monthly"},
	}}
	if res := f.do("admin", http.MethodPost, "/api/v1/plans", plan, nil); res.status != 201 {
		t.Fatalf("plan: %d %s", res.status, res.body)
	}
	from := func(as, plan string) (int, planSchedulesAnswer, []byte) {
		res := f.do(as, http.MethodPost, "/api/v1/schedules/from-plan", map[string]any{"plan": plan}, nil)
		var a planSchedulesAnswer
		_ = json.Unmarshal(res.body, &a)
		return res.status, a, res.body
	}

	status, a, body := from("dist1", "plan-2027")
	var freqs []string
	for _, sc := range a.Created {
		freqs = append(freqs, sc.Frequency)
		if sc.Plan != "plan-2027" || !sc.Active || sc.Name == "" || sc.CloseDay < sc.DueDay {
			t.Errorf("created %+v", sc)
		}
	}
	if status != 201 || !slices.Equal(freqs, []string{"monthly", "termly", "yearly"}) || len(a.Existing) != 0 {
		t.Fatalf("from plan as dist1: %d %s", status, body)
	}
	res := f.do("dist1", http.MethodGet, "/api/v1/drives", nil, nil)
	var list struct {
		Drives []struct{ Plan, Frequency, Period string }
	}
	must(t, json.Unmarshal(res.body, &list))
	opened := map[string]string{}
	for _, d := range list.Drives {
		if d.Plan == "plan-2027" {
			opened[d.Frequency] = d.Period
		}
	}
	if opened["monthly"] != "2026-11" || opened["termly"] != "2026-T2" || opened["yearly"] != "2026" {
		t.Errorf("the drives opened: %v", opened)
	}

	status, a, body = from("dist1", "plan-2027")
	if status != 200 || len(a.Created) != 0 || len(a.Existing) != 3 {
		t.Errorf("asked again: %d %s", status, body)
	}
	status, a, body = from("dist2", "plan-2027")
	if status != 201 || len(a.Created) != 3 {
		t.Errorf("district 1's schedules leave district 2 without: %d %s", status, body)
	}
	status, a, body = from("admin", "plan-2026")
	if status != 200 || len(a.Created) != 0 || len(a.Existing) != 1 || a.Existing[0].ID != "monthly" {
		t.Errorf("a plan whose schedule exists: %d %s", status, body)
	}
	for _, p := range []string{"", "plan-none"} {
		if res := f.do("admin", http.MethodPost, "/api/v1/schedules/from-plan", map[string]any{"plan": p}, nil); res.status != 422 || !hasFieldError(res, "plan") {
			t.Errorf("plan %q: %d %s", p, res.status, res.body)
		}
	}
}

func hasFieldError(res response, field string) bool {
	var p struct{ Errors []struct{ Field string } }
	_ = json.Unmarshal(res.body, &p)
	return slices.ContainsFunc(p.Errors, func(e struct{ Field string }) bool { return e.Field == field })
}
