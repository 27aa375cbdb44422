package forms

import (
	"encoding/json"
	"testing"
)

// benchSubmission is a complete monthly primary-school submission: canteen,
// bullying, hazards (three ledger rows) and activity (31 answered fields)
// and classroom lighting with 30 classrooms.
func benchSubmission(tb testing.TB) (*Form, []byte) {
	f := mustGenerate(tb, testPlan(), Monthly, Primary)
	rooms := make([]map[string]any, 30)
	for i := range rooms {
		rooms[i] = goodClassroom()
		rooms[i]["name"] = "教室 " + string(rune('A'+i))
	}
	vals := map[string]any{
		"canteen": with(canteenValues(), "problems_found", 2, "problems_fixed", 2, "notes", "本月更换了两台冰柜"),
		"bullying": map[string]any{"screening_done": true, "students_covered": 800, "classes_covered": 20,
			"found_physical": 1, "found_verbal": 1, "found_property": 0, "found_online": 1, "handled": 2, "escalated": 1,
			"notes": "已与家长沟通"},
		"hazards": map[string]any{"inspections": 4, "items": []any{
			hazardRow("2026-10-a1b2", "fire", "open", "2026-12-10"),
			hazardRow("2026-11-c3d4", "electrical", "closed", "2026-11-30"),
			hazardRow("", "traffic", "fixing", "2026-12-20"),
		}},
		"activity": map[string]any{"school_days": 20, "pe_days": 20, "daily_minutes": 125},
		"lighting": lightingValues(rooms...),
	}
	raw, err := json.Marshal(vals)
	if err != nil {
		tb.Fatal(err)
	}
	return f, raw
}

func TestBenchSubmissionIsValid(t *testing.T) {
	f, raw := benchSubmission(t)
	v, errs := f.Validate(raw, Env{}, false)
	if len(errs) > 0 {
		t.Fatal(codes(errs))
	}
	answered := 0
	for code, sec := range v {
		if code != "lighting" {
			for _, cf := range f.compiled().byCode[code].fields {
				if _, ok := sec[cf.f.ID]; ok && cf.f.Type != Computed {
					answered++
				}
			}
		}
	}
	if answered != 31 || len(v["lighting"]["classrooms"].([]any)) != 30 {
		t.Errorf("benchmark submission has %d answered fields", answered)
	}
	for _, r := range f.Score(v, Env{}) {
		if r.Status != Compliant {
			t.Errorf("%+v", r)
		}
	}
}

func BenchmarkValidate(b *testing.B) {
	f, raw := benchSubmission(b)
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		if _, errs := f.Validate(raw, Env{}, false); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}

func BenchmarkScore(b *testing.B) {
	f, raw := benchSubmission(b)
	v, _ := f.Validate(raw, Env{}, false)
	b.ReportAllocs()
	for b.Loop() {
		f.Score(v, Env{})
	}
}

func TestValidateAndScoreConcurrently(t *testing.T) {
	f, raw := benchSubmission(t)
	want, _ := f.Validate(raw, Env{}, false)
	wantJSON, _ := json.Marshal(f.Score(want, Env{}))
	done := make(chan string, 8)
	for range 8 {
		go func() {
			v, errs := f.Validate(raw, Env{}, false)
			got, _ := json.Marshal(f.Score(v, Env{Previous: v}))
			switch {
			case len(errs) > 0:
				done <- "errors"
			case string(got) != string(wantJSON):
				done <- "different verdict"
			default:
				done <- ""
			}
		}()
	}
	for range 8 {
		if msg := <-done; msg != "" {
			t.Error(msg)
		}
	}
}
