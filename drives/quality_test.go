package drives

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// monthValues is a complete monthly answer of the world's plan.
func monthValues() map[string]map[string]any {
	return map[string]map[string]any{
		"canteen": {"meal_days": 20, "meals": []any{"lunch"}, "accompany_days": 20, "sample_days": 20, "sample_grams_min": 130,
			"sample_hours_min": 48, "canteen_staff": 8, "staff_certified": 8, "purchase_checked": true, "stock_records": true,
			"cost_accounted": true, "camera_online": true, "self_inspected": true, "problems_found": 0},
		"bullying": {"screening_done": true, "students_covered": 80, "classes_covered": 20,
			"found_physical": 0, "found_verbal": 0, "found_property": 0, "found_online": 0, "zero_report": true},
	}
}

func (w *world) create(u *store.User, d *store.Drive, values any, explanations map[string]string) (*store.Submission, error) {
	raw, err := json.Marshal(values)
	check(w.t, err)
	sub, _, err := w.svc.Create(context.Background(), u, d.ID, SubmitInput{ID: uuid.NewString(), Values: raw, Explanations: explanations})
	return sub, err
}

// problems returns the field:code pairs of an Invalid error and its
// messages in Chinese.
func problems(t *testing.T, err error) ([]string, []string) {
	t.Helper()
	var fe *fail.Error
	if err == nil || !errorAs(err, &fe) || fe.Code != fail.Invalid {
		t.Fatalf("want a refusal with field errors, got %v", err)
	}
	var keys, zh []string
	for _, e := range fe.Fields {
		keys = append(keys, e.Field+":"+e.Code)
		zh = append(zh, e.Message.Zh)
	}
	return keys, zh
}

func errorAs(err error, fe **fail.Error) bool {
	e, ok := err.(*fail.Error)
	*fe = e
	return ok
}

// TestSecondMonthStartsFromTheFirst: December's context carries
// November's answers to the fields marked carry, and nothing else.
func TestSecondMonthStartsFromTheFirst(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	u := w.schoolUser(schoolA)
	nov, dec := w.scheduled("monthly", forms.Monthly, planID, "2026-11"), w.scheduled("monthly", forms.Monthly, planID, "2026-12")
	first := monthValues()
	first["canteen"]["canteen_staff"], first["canteen"]["staff_certified"] = 12, 11
	if _, err := w.create(u, nov, first, nil); err != nil {
		t.Fatal(err)
	}
	fc, err := w.svc.Context(ctx, u, dec.ID, "")
	check(t, err)
	want := forms.Values{"canteen": {"canteen_staff": 12.0, "staff_certified": 11.0}}
	if got, _ := json.Marshal(fc.Carried); string(got) != mustJSON(t, want) {
		t.Errorf("carried %s, want %s", got, mustJSON(t, want))
	}
	if fc.Previous["canteen"]["sample_days"] != 20.0 || len(fc.History) != forms.HistoryPeriods || fc.History[0] == nil || fc.History[1] != nil {
		t.Errorf("previous %v, history %v", fc.Previous, fc.History)
	}
	if fc.Period.Start != "2026-12-01" || fc.Period.End != "2026-12-31" || fc.Period.Today != "" {
		t.Errorf("period %+v", fc.Period)
	}
	// November itself starts empty: nothing before it.
	fc, err = w.svc.Context(ctx, u, nov.ID, "")
	check(t, err)
	if len(fc.Carried) != 0 {
		t.Errorf("November carried %v", fc.Carried)
	}
}

func mustJSON(t *testing.T, v any) string {
	b, err := json.Marshal(v)
	check(t, err)
	return string(b)
}

// TestSameAsPreviousThenOneChange: taking all of last month's answers and
// changing one leaves the others marked as the same as last month.
func TestSameAsPreviousThenOneChange(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	u := w.schoolUser(schoolA)
	nov, dec := w.scheduled("monthly", forms.Monthly, planID, "2026-11"), w.scheduled("monthly", forms.Monthly, planID, "2026-12")
	if _, err := w.create(u, nov, monthValues(), nil); err != nil {
		t.Fatal(err)
	}
	fc, err := w.svc.Context(ctx, u, dec.ID, "")
	check(t, err)
	again := fc.Previous
	for _, sec := range again { // computed values sent back are ignored; send the answers only
		delete(sec, "meal_count")
	}
	again["canteen"]["sample_days"] = 19.0
	sub, err := w.create(u, dec, again, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(sub.SamePrevious, "canteen.canteen_staff") || !slices.Contains(sub.SamePrevious, "bullying.zero_report") ||
		slices.Contains(sub.SamePrevious, "canteen.sample_days") || slices.Contains(sub.SamePrevious, "canteen.meal_count") {
		t.Errorf("same as last month: %v", sub.SamePrevious)
	}
	stored, err := w.svc.Submission(ctx, u, sub.ID)
	check(t, err)
	if !slices.Equal(stored.SamePrevious, sub.SamePrevious) {
		t.Errorf("stored %v, answered %v", stored.SamePrevious, sub.SamePrevious)
	}
}

// TestAnomalyNeedsExplanation: 21 days of accompanied meals last month and
// 2 this month is refused without a 说明 on that field, and kept with it.
func TestAnomalyNeedsExplanation(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	u := w.schoolUser(schoolA)
	nov, dec := w.scheduled("monthly", forms.Monthly, planID, "2026-11"), w.scheduled("monthly", forms.Monthly, planID, "2026-12")
	first := monthValues()
	first["canteen"]["meal_days"], first["canteen"]["accompany_days"] = 21, 21
	if _, err := w.create(u, nov, first, nil); err != nil {
		t.Fatal(err)
	}
	second := monthValues()
	second["canteen"]["accompany_days"] = 2
	_, err := w.create(u, dec, second, nil)
	keys, zh := problems(t, err)
	if !slices.Equal(keys, []string{"canteen.accompany_days:explain"}) ||
		zh[0] != "有陪餐记录的天数为 2，超出本校往期的常见范围 10.5–31.5（往期：21），请填写说明" {
		t.Fatalf("refusal %v %v", keys, zh)
	}
	// A draft keeps the value without one.
	raw, _ := json.Marshal(second)
	if _, _, err := w.svc.Create(ctx, w.schoolUser(schoolB), dec.ID, SubmitInput{ID: uuid.NewString(), Values: raw, Draft: true}); err != nil {
		t.Fatal(err)
	}
	sub, err := w.create(u, dec, second, map[string]string{"canteen.accompany_days": "校长外出学习两周", "canteen.sample_days": "无关"})
	if err != nil {
		t.Fatal(err)
	}
	stored, err := w.svc.Submission(ctx, u, sub.ID)
	check(t, err)
	if len(stored.Anomalies) != 1 || stored.Anomalies[0].Explanation != "校长外出学习两周" || stored.Anomalies[0].Low != 10.5 ||
		!slices.Equal(stored.Anomalies[0].Previous, []float64{21}) {
		t.Errorf("stored anomalies %+v", stored.Anomalies)
	}
	_, p, err := w.svc.DriveProgress(ctx, w.user(store.RoleAdmin, cityOrg), dec.ID)
	check(t, err)
	if p.Total.Anomalies != 1 || p.Total.Unexplained != 0 || p.Districts[0].Anomalies != 1 {
		t.Errorf("progress counts %d anomalies, %d unexplained; by unit %+v", p.Total.Anomalies, p.Total.Unexplained, p.Districts)
	}
	// A: 100 less 5 for the explained value; B (a draft), C and D: 0.
	if p.Total.Quality != 23.8 || p.Districts[0].Quality != 47.5 {
		t.Errorf("quality %v, by unit %v and %v", p.Total.Quality, p.Districts[0].Quality, p.Districts[1].Quality)
	}
	// Approved, then returned: two returns, one after approval.
	reviewer := w.user(store.RoleDistrict, district)
	for _, action := range []string{Return, Approve, Return} {
		if _, err := w.svc.Submission(ctx, u, sub.ID); err != nil {
			t.Fatal(err)
		}
		if action == Approve {
			raw, _ := json.Marshal(second)
			cur, err := w.svc.Submission(ctx, u, sub.ID)
			check(t, err)
			// sent without explanations: the one given before stays
			if _, err := w.svc.Revise(ctx, u, sub.ID, ReviseInput{Version: cur.Version, Values: raw}); err != nil {
				t.Fatal(err)
			}
			if _, err := w.svc.Revise(ctx, u, sub.ID, ReviseInput{Version: cur.Version + 1, Values: raw,
				Explanations: map[string]string{}}); err == nil {
				t.Fatal("a revision clearing the explanations was taken")
			}
		}
		if _, err := w.svc.Review(ctx, reviewer, sub.ID, action, "请核对"); err != nil {
			t.Fatal(err)
		}
	}
	stored, err = w.svc.Submission(ctx, u, sub.ID)
	check(t, err)
	if stored.Returns != 2 || stored.AfterApproval != 1 {
		t.Errorf("returns %d, after approval %d", stored.Returns, stored.AfterApproval)
	}
	_, p, err = w.svc.DriveProgress(ctx, w.user(store.RoleAdmin, cityOrg), dec.ID)
	check(t, err)
	if p.Districts[0].Quality != 32.5 { // 100 − 20 (returns) − 10 (after approval) − 5
		t.Errorf("quality after returns %v", p.Districts[0].Quality)
	}
}

// lightingWorld adds a monthly plan of classroom lighting and gives school A
// 12 registered classrooms.
func lightingWorld(t *testing.T) (*world, *store.Drive) {
	w := newWorld(t)
	check(t, w.svc.Store.InsertPlan(context.Background(), &store.PlanDoc{Plan: forms.Plan{ID: "light", Name: "照明", Year: 2026,
		Items: []forms.PlanItem{{Indicator: "lighting", Frequency: forms.Monthly}}}}))
	a := w.orgs[schoolA]
	a.Classrooms = 12
	w.put(a)
	return w, w.scheduled("light", forms.Monthly, "light", "2026-12")
}

func rooms(n int) map[string]any {
	rows := make([]any, n)
	for i := range rows {
		rows[i] = map[string]any{"name": "教室" + string(rune('A'+i)), "desk_lux": 320.5, "desk_uniformity": 0.75,
			"board_lamps": true, "board_lux": 520, "board_uniformity": 0.82, "cct": 4500, "ra": 85, "ugr": 17, "lpd": 9.5}
	}
	return map[string]any{"lighting": map[string]any{"classrooms": rows}}
}

// TestFewerRoomsThanRegistered: 2 of 12 registered classrooms need a 说明;
// 12 do not.
func TestFewerRoomsThanRegistered(t *testing.T) {
	w, d := lightingWorld(t)
	u := w.schoolUser(schoolA)
	_, err := w.create(u, d, rooms(2), nil)
	keys, zh := problems(t, err)
	if !slices.Equal(keys, []string{"lighting.classrooms:explain"}) || !strings.Contains(zh[0], "填了 2 行，少于学校登记的 12 间教室") {
		t.Fatalf("refusal %v %v", keys, zh)
	}
	sub, err := w.create(u, d, rooms(2), map[string]string{"lighting.classrooms": "其余教室本月装修停用"})
	if err != nil {
		t.Fatal(err)
	}
	if len(sub.Anomalies) != 1 || sub.Anomalies[0].Kind != "rooms" || sub.Anomalies[0].Value != 2 || sub.Anomalies[0].Low != 12 {
		t.Errorf("anomalies %+v", sub.Anomalies)
	}
	// Explained, the rate counts the two measured: both comply.
	if sub.Values["lighting"]["compliance_rate"] != 100.0 || sub.Compliance[0].Status != forms.Compliant {
		t.Errorf("rate %v, compliance %+v", sub.Values["lighting"]["compliance_rate"], sub.Compliance)
	}
	if sub, err := w.create(w.schoolUser(schoolB), d, rooms(2), nil); err != nil || len(sub.Anomalies) != 0 {
		t.Errorf("a school without registered classrooms: %v %+v", err, sub)
	}
}

// TestFutureScreeningDateRefused: a myopia screening dated 2027-03-01 in the
// autumn term of 2026 is refused; one in October is not.
func TestFutureScreeningDateRefused(t *testing.T) {
	w := newWorld(t)
	check(t, w.svc.Store.InsertPlan(context.Background(), &store.PlanDoc{Plan: forms.Plan{ID: "termly", Name: "学期", Year: 2026,
		Items: []forms.PlanItem{{Indicator: "myopia"}}}}))
	d := w.scheduled("term", forms.Termly, "termly", "2026-T2")
	u := w.schoolUser(schoolA)
	vals := func(date string) any {
		return map[string]any{"myopia": map[string]any{"screening_date": date, "screened": 100, "myopic": 30}}
	}
	for date, want := range map[string]string{"2027-03-01": "future", "2026-12-02": "future", "2026-06-30": "period"} {
		_, err := w.create(u, d, vals(date), nil)
		keys, _ := problems(t, err) // then "required": the refused date is not kept
		if keys[0] != "myopia.screening_date:"+want {
			t.Errorf("%s: %v, want %s", date, keys, want)
		}
	}
	if _, err := w.create(u, d, vals("2026-10-12"), nil); err != nil {
		t.Fatal(err)
	}
}
