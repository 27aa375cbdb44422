package handlers_test

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

// levels drives the approval chain of the fixture's drive through the API.
type levels struct {
	f *fixture
	t *testing.T
}

func (l levels) step(as, unit string, body map[string]any) response {
	return l.f.do(as, http.MethodPost, "/api/v1/drives/"+driveID+"/signoffs/"+unit, body, nil)
}

func (l levels) approve(as string, body map[string]any) response {
	return l.f.do(as, http.MethodPost, "/api/v1/drives/"+driveID+"/approvals", body, nil)
}

func (l levels) get(as, id string) map[string]any {
	res := l.f.do(as, http.MethodGet, "/api/v1/submissions/"+id, nil, nil)
	if res.status != 200 {
		l.t.Fatalf("get %s: %d %s", id, res.status, res.body)
	}
	return res.json()
}

// revise sends a school's new values at the version it last saw.
func (l levels) revise(as, id string, values any) response {
	v := int(l.get(as, id)["version"].(float64))
	return l.f.do(as, http.MethodPut, "/api/v1/submissions/"+id, map[string]any{"values": values},
		map[string]string{"If-Match": `"` + strconv.Itoa(v) + `"`})
}

func names(list any) []string {
	var out []string
	for _, o := range list.([]any) {
		out = append(out, o.(map[string]any)["id"].(string))
	}
	return out
}

// TestSignoffChain walks the levels: schools submit, the district
// approves in bulk and signs off (the gap school named with a reason),
// the city returns the district, the district reopens a school, the
// school revises, the district signs off again and the city accepts —
// with the lock refusing school and reviewer writes wherever it holds.
func TestSignoffChain(t *testing.T) {
	f := newFixture(t)
	l := levels{f, t}
	gap := f.addSchools(1)[0]
	ids := map[string]string{"school1": uuid.NewString(), "school2": uuid.NewString(), "school3": uuid.NewString()}
	kinder := map[string]any{"canteen": validValues(0)["canteen"]}
	for as, id := range ids {
		values := any(validValues(1))
		if as == "school2" {
			values = kinder
		}
		if res := create(f, as, id, values, false); res.status != 201 {
			t.Fatalf("%s submits: %d %s", as, res.status, res.body)
		}
	}
	if res := l.step("dist1", district1, map[string]any{"action": "signoff"}); res.status != 422 || !strings.Contains(string(res.body), `"gaps"`) {
		t.Fatalf("signing off with nothing approved: %d %s", res.status, res.body)
	}

	res := l.approve("dist1", map[string]any{"all": true})
	approved := names(res.json()["approved"])
	if res.status != 200 || len(approved) != 2 || strings.Contains(string(res.body), ids["school3"]) {
		t.Fatalf("bulk approval: %d %s", res.status, res.body)
	}
	res = l.approve("dist1", map[string]any{"submissions": []map[string]any{{"id": ids["school1"], "version": 1}}})
	if res.status != 200 || len(res.json()["approved"].([]any)) != 0 || !strings.Contains(string(res.body), `"reason":"stale"`) {
		t.Fatalf("approving a version seen before: %d %s", res.status, res.body)
	}

	gapSchool := "0100001900"
	for _, c := range []struct {
		as   string
		body map[string]any
		want int
	}{
		{"dist1", map[string]any{"action": "signoff"}, 422},                                                 // the gap not named
		{"dist1", map[string]any{"action": "signoff", "gaps": []string{gapSchool}}, 422},                    // no reason
		{"admin", map[string]any{"action": "signoff", "gaps": []string{gapSchool}, "comment": "停办"}, 403},   // not the unit
		{"dist2", map[string]any{"action": "signoff", "gaps": []string{gapSchool}, "comment": "停办"}, 404},   // another unit
		{"dist1", map[string]any{"action": "signoff", "gaps": []string{gapSchool}, "comment": "该校停课"}, 200}, // signed off
		{"dist1", map[string]any{"action": "signoff", "gaps": []string{gapSchool}, "comment": "该校停课"}, 409}, // twice
		{"dist1", map[string]any{"action": "accept"}, 403},                                                  // not the unit above
	} {
		if res := l.step(c.as, district1, c.body); res.status != c.want {
			t.Fatalf("%s %v: %d %s", c.as, c.body, res.status, res.body)
		}
	}
	locked := func(when string) {
		t.Helper()
		if res := l.revise("school1", ids["school1"], validValues(2)); res.status != http.StatusLocked {
			t.Fatalf("%s: school1 revises: %d %s", when, res.status, res.body)
		}
		if res := create(f, gap, uuid.NewString(), validValues(1), false); res.status != http.StatusLocked {
			t.Fatalf("%s: the gap school submits: %d %s", when, res.status, res.body)
		}
		res := f.do("dist1", http.MethodPost, "/api/v1/submissions/"+ids["school1"]+"/review", map[string]any{"action": "return", "comment": "x"}, nil)
		if res.status != http.StatusLocked {
			t.Fatalf("%s: reopening a school: %d %s", when, res.status, res.body)
		}
	}
	locked("signed off")
	if res := create(f, "school3", uuid.NewString(), validValues(1), false); res.status == http.StatusLocked {
		t.Fatalf("district 2 is not locked: %s", res.body)
	}

	if res := l.step("admin", district1, map[string]any{"action": "return"}); res.status != 422 {
		t.Fatalf("return without a comment: %d %s", res.status, res.body)
	}
	if res := l.step("admin", district1, map[string]any{"action": "return", "comment": "请复核一区实验小学的照度"}); res.status != 200 || res.json()["state"] != "returned" {
		t.Fatalf("city returns the district: %d %s", res.status, res.body)
	}
	if res := l.revise("school1", ids["school1"], validValues(2)); res.status != http.StatusLocked {
		t.Fatalf("school1 approved still: %d %s", res.status, res.body)
	}
	res = f.do("dist1", http.MethodPost, "/api/v1/submissions/"+ids["school1"]+"/review", map[string]any{"action": "return", "comment": "照度请复测"}, nil)
	if res.status != 200 {
		t.Fatalf("district reopens school1: %d %s", res.status, res.body)
	}
	if res := l.revise("school1", ids["school1"], validValues(2)); res.status != 200 {
		t.Fatalf("school1 revises: %d %s", res.status, res.body)
	}
	if res := l.step("dist1", district1, map[string]any{"action": "signoff", "gaps": []string{gapSchool}, "comment": "该校停课"}); res.status != 422 {
		t.Fatalf("signing off with school1 not approved: %d %s", res.status, res.body)
	}
	v := int(l.get("dist1", ids["school1"])["version"].(float64))
	res = l.approve("dist1", map[string]any{"submissions": []map[string]any{{"id": ids["school1"], "version": v}}})
	if res.status != 200 || len(res.json()["approved"].([]any)) != 1 {
		t.Fatalf("approving the revision: %d %s", res.status, res.body)
	}
	if res := l.step("dist1", district1, map[string]any{"action": "signoff", "gaps": []string{gapSchool}, "comment": "该校停课"}); res.status != 200 {
		t.Fatalf("signing off again: %d %s", res.status, res.body)
	}
	locked("signed off again")
	if res := l.step("admin", district1, map[string]any{"action": "accept", "comment": "同意"}); res.status != 200 || res.json()["state"] != "accepted" {
		t.Fatalf("city accepts: %d %s", res.status, res.body)
	}
	if res := l.step("dist1", district1, map[string]any{"action": "withdraw"}); res.status != http.StatusLocked {
		t.Fatalf("withdrawing an accepted sign-off: %d %s", res.status, res.body)
	}
	locked("accepted")

	hist := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/signoffs/"+district1, nil, nil)
	steps := hist.json()["steps"].([]any)
	var seq []string
	for _, s := range steps {
		m := s.(map[string]any)
		seq = append(seq, m["action"].(string)+":"+m["by"].(string))
	}
	if got := strings.Join(seq, " "); hist.status != 200 || got != "signoff:dist1 return:admin signoff:dist1 accept:admin" ||
		!strings.Contains(string(hist.body), "请复核一区实验小学的照度") || !strings.Contains(string(hist.body), "该校停课") {
		t.Fatalf("sign-off history: %d %s", hist.status, hist.body)
	}
	if res := f.do("dist2", http.MethodGet, "/api/v1/drives/"+driveID+"/signoffs/"+district1, nil, nil); res.status != 404 {
		t.Fatalf("another district reads the history: %d", res.status)
	}
	levelsShown(t, f, "admin")
	revs := f.do("dist1", http.MethodGet, "/api/v1/submissions/"+ids["school1"]+"/revisions", nil, nil)
	if strings.Count(string(revs.body), `"action":"lock"`) != 2 || strings.Count(string(revs.body), `"action":"unlock"`) != 1 {
		t.Fatalf("school1's history lacks its locks: %s", revs.body)
	}
}

// levelsShown checks that progress and the workbook show district 1's
// accepted sign-off, counted alike: its two handed-in schools accepted,
// the gap school missing.
func levelsShown(t *testing.T, f *fixture, as string) {
	t.Helper()
	p := f.do(as, http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil).json()
	var d1 map[string]any
	for _, d := range p["districts"].([]any) {
		if m := d.(map[string]any); m["district"] == district1 {
			d1 = m
		}
	}
	if d1["level"] != "accepted" || d1["accepted"] != 2.0 || d1["missing"] != 1.0 || d1["signedOff"] != 0.0 ||
		p["total"].(map[string]any)["accepted"] != 2.0 {
		t.Fatalf("progress: %v", p)
	}
	book := f.do(as, http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx", nil, nil)
	x, err := excelize.OpenReader(bytes.NewReader(book.body))
	must(t, err)
	defer x.Close()
	var text strings.Builder
	for _, sh := range x.GetSheetList() {
		rows, err := x.GetRows(sh)
		must(t, err)
		for _, r := range rows {
			text.WriteString(strings.Join(r, "\t") + "\n")
		}
	}
	if !strings.Contains(text.String(), "一区（上级已接受）") || strings.Count(text.String(), "\t已接受") < 2 {
		t.Fatalf("the workbook does not show the levels:\n%s", text.String())
	}
}
