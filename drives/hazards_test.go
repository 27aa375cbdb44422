package drives

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// ledgerWorld is a world with a monthly plan of the hazard ledger and a
// clock the test moves.
type ledgerWorld struct {
	*world
	now time.Time
}

func newLedgerWorld(t *testing.T) *ledgerWorld {
	w := &ledgerWorld{world: newWorld(t)}
	w.svc.Now = func() time.Time { return w.now }
	check(t, w.svc.Store.InsertPlan(context.Background(), &store.PlanDoc{Plan: forms.Plan{ID: "safety", Name: "安全", Year: 2026,
		Items: []forms.PlanItem{{Indicator: "hazards"}}}}))
	return w
}

// at moves the clock to a day of 2026 or 2027 ("2026-10-15"), 10:00 in Shanghai.
func (w *ledgerWorld) at(day string) {
	d, err := time.ParseInLocation(time.DateOnly, day, w.svc.Loc)
	check(w.t, err)
	w.now = d.Add(10 * time.Hour)
}

// report hands in (or saves) a school's hazards section to the drive of a
// period, creating its submission or revising the one it has.
func (w *ledgerWorld) report(period, school string, draft bool, rows ...map[string]any) (*store.Submission, error) {
	ctx := context.Background()
	d, err := w.svc.Store.Drive(ctx, DriveID("safety", period))
	if fail.Is(err, fail.NotFound) {
		d, err = w.scheduled("safety", forms.Monthly, "safety", period), nil
	}
	check(w.t, err)
	list := []any{}
	for _, r := range rows {
		list = append(list, r)
	}
	raw, _ := json.Marshal(map[string]any{"hazards": map[string]any{"inspections": 2, "items": list}})
	u := w.schoolUser(school)
	sub, err := w.svc.Store.SchoolSubmission(ctx, d.ID, school)
	if fail.Is(err, fail.NotFound) {
		sub, _, err = w.svc.Create(ctx, u, d.ID, SubmitInput{ID: uuid.NewString(), Values: raw, Draft: draft})
		return sub, err
	}
	check(w.t, err)
	return w.svc.Revise(ctx, u, sub.ID, ReviseInput{Version: sub.Version, Values: raw, Draft: draft})
}

func (w *ledgerWorld) mustReport(period, school string, rows ...map[string]any) *store.Submission {
	w.t.Helper()
	sub, err := w.report(period, school, false, rows...)
	check(w.t, err)
	return sub
}

func (w *ledgerWorld) ledger(school string) []store.Hazard {
	w.t.Helper()
	hs, err := w.svc.Store.Hazards(context.Background(), school)
	check(w.t, err)
	return hs
}

func newHazard(place, deadline string) map[string]any {
	return map[string]any{"category": "fire", "place": place, "description": "灭火器过期", "found_on": "2026-10-08",
		"level": "general", "measure": "更换灭火器", "responsible": "王老师", "deadline": deadline, "status": "open"}
}

// update is a carried row with some fields changed.
func update(row map[string]any, kv ...string) map[string]any {
	out := map[string]any{}
	for k, v := range row {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			delete(out, kv[i])
		} else {
			out[kv[i]] = kv[i+1]
		}
	}
	return out
}

func actions(h store.Hazard) []string {
	var out []string
	for _, e := range h.History {
		out = append(out, e.Action)
	}
	return out
}

// TestLedgerClosesTheLoop: a hazard found in October is carried, not
// re-entered, into November's report, where it is overdue; December's
// report closes it with a date, and January's no longer lists it.
func TestLedgerClosesTheLoop(t *testing.T) {
	w := newLedgerWorld(t)
	ctx := context.Background()

	w.at("2026-10-15")
	oct := w.mustReport("2026-10", schoolA, newHazard("教学楼一楼", "2026-10-31"), newHazard("食堂后门", "2026-12-31"))
	hs := w.ledger(schoolA)
	if len(hs) != 2 || hs[0].Status != store.HazardOpen || !strings.HasPrefix(hs[0].ID, "2026-10-") || hs[0].FoundIn != oct.Drive {
		t.Fatalf("October's ledger: %+v", hs)
	}
	rows := ledgerRows(oct.Values)
	if rowID(rows[0]) != hs[0].ID || rowID(rows[1]) != hs[1].ID {
		t.Fatalf("October's report keeps the ids it was given: %v", rows)
	}
	first, second := hs[0].ID, hs[1].ID

	// November: the school reports nothing of them; both are carried.
	w.at("2026-11-05")
	nov := w.mustReport("2026-11", schoolA)
	rows = ledgerRows(nov.Values)
	if len(rows) != 2 || rowID(rows[0]) != first || rows[0]["place"] != "教学楼一楼" || rows[0]["status"] != "open" {
		t.Fatalf("November's report: %v", rows)
	}
	if nov.Values["hazards"]["open_count"] != 2.0 {
		t.Errorf("November counts %v open", nov.Values["hazards"]["open_count"])
	}
	hs = w.ledger(schoolA)
	if len(hs) != 2 || len(hs[0].History) != 1 || !slices.Equal(hs[0].Reported, []string{oct.Drive, nov.Drive}) {
		t.Fatalf("carried, not re-entered: %+v", hs[0])
	}

	// Overdue after its deadline, for the school and the bureau.
	page, err := w.svc.Hazards(ctx, w.user(store.RoleDistrict, district), HazardQuery{Status: "overdue"})
	check(t, err)
	if page.Total != 1 || page.Hazards[0].ID != first || page.Hazards[0].DaysOverdue != 5 || page.AsOf != "2026-11-05" {
		t.Fatalf("overdue: %+v", page)
	}
	if len(page.Groups) != 1 || page.Groups[0].Org != district || page.Groups[0].Name != "一区直属" || page.Groups[0].Open != 2 || page.Groups[0].Overdue != 1 {
		t.Errorf("district 1's groups: %+v", page.Groups)
	}
	city, err := w.svc.Hazards(ctx, w.user(store.RoleAdmin, cityOrg), HazardQuery{})
	check(t, err)
	if city.Total != 2 || len(city.Groups) != 1 || city.Groups[0].Org != district || city.Groups[0].Name != "一区" {
		t.Errorf("the city: %+v", city)
	}
	other, err := w.svc.Hazards(ctx, w.user(store.RoleDistrict, cityOrg), HazardQuery{Under: "100002"})
	check(t, err)
	if other.Total != 0 {
		t.Errorf("district 2 sees %d", other.Total)
	}

	// December: closed with a date.
	w.at("2026-12-04")
	dec := w.mustReport("2026-12", schoolA, update(rows[0], "status", "closed", "closed_on", "2026-12-03", "evidence", "更换记录"), rows[1])
	hs = w.ledger(schoolA)
	if hs[0].Status != store.HazardClosed || hs[0].ClosedOn != "2026-12-03" || !slices.Equal(actions(hs[0]), []string{"found", "closed"}) {
		t.Fatalf("closed in December: %+v", hs[0])
	}
	if ev := hs[0].History[1]; ev.Drive != dec.Drive || ev.Changes["status"] != [2]string{"open", "closed"} {
		t.Errorf("the closing event: %+v", ev)
	}
	w.at("2027-01-05")
	jan := w.mustReport("2027-01", schoolA)
	if rows := ledgerRows(jan.Values); len(rows) != 1 || rowID(rows[0]) != second {
		t.Errorf("January carries only the open one: %v", rows)
	}
	led, err := w.svc.Ledger(ctx, w.schoolUser(schoolA), schoolA)
	check(t, err)
	// The one still open is overdue since 31 December.
	if len(led.Hazards) != 2 || led.Open != 1 || led.Overdue != 1 || led.Hazards[1].DaysOverdue != 5 || led.Hazards[0].Seen != nil {
		t.Errorf("the school's ledger: %+v", led)
	}
}

// TestLedgerKeepsHistory: a hazard closed twice, reopened or edited after
// closing keeps every change; an older report revised later does not undo
// a newer one.
func TestLedgerKeepsHistory(t *testing.T) {
	w := newLedgerWorld(t)
	w.at("2026-10-15")
	oct := w.mustReport("2026-10", schoolA, newHazard("操场", "2026-11-30"))
	row := ledgerRows(oct.Values)[0]
	w.at("2026-11-10")
	w.mustReport("2026-11", schoolA, update(row, "status", "closed", "closed_on", "2026-11-09"))
	// October's report, revised in November (its drive reopened) without
	// touching the hazard, leaves it closed.
	check(t, w.svc.Store.ReopenDrive(context.Background(), DriveID("safety", "2026-10"), schoolA))
	w.svc.drives = store.NewCache[store.Drive](0, 0, w.svc.Now)
	w.mustReport("2026-10", schoolA, row)
	if h := w.ledger(schoolA)[0]; h.Status != store.HazardClosed {
		t.Fatalf("an older report undid a newer one: %+v", h)
	}
	// Edited after closing (the date closed), then reopened, then closed again.
	nov := w.mustReport("2026-11", schoolA, update(row, "status", "closed", "closed_on", "2026-11-08"))
	w.mustReport("2026-11", schoolA, update(row, "status", "fixing", "closed_on", ""))
	h := w.ledger(schoolA)[0]
	if h.Status != store.HazardFixing || h.ClosedOn != "" {
		t.Fatalf("reopened: %+v", h)
	}
	w.at("2026-12-02")
	dec := w.mustReport("2026-12", schoolA)
	if rows := ledgerRows(dec.Values); len(rows) != 1 || rows[0]["status"] != "fixing" {
		t.Fatalf("a reopened hazard is carried again: %v", rows)
	}
	w.mustReport("2026-12", schoolA, update(ledgerRows(dec.Values)[0], "status", "closed", "closed_on", "2026-12-01"))
	h = w.ledger(schoolA)[0]
	if want := []string{"found", "closed", "updated", "reopened", "closed"}; !slices.Equal(actions(h), want) {
		t.Fatalf("history %v, want %v", actions(h), want)
	}
	if ev := h.History[2]; ev.Submission != nov.ID || ev.Changes["closed_on"] != [2]string{"2026-11-09", "2026-11-08"} {
		t.Errorf("the edit after closing: %+v", ev)
	}
}

// TestLedgerRows: a report names only its school's hazards, each once; a
// phone that sends its new rows again without the ids it was given does
// not enter them twice; a draft changes no ledger.
func TestLedgerRows(t *testing.T) {
	w := newLedgerWorld(t)
	w.at("2026-10-15")
	_, err := w.report("2026-10", schoolA, true, newHazard("大门", "2026-11-30"))
	check(t, err)
	if hs := w.ledger(schoolA); len(hs) != 0 {
		t.Fatalf("a draft entered %d hazards", len(hs))
	}
	// The phone hands in the same rows, still without ids, twice.
	w.mustReport("2026-10", schoolA, newHazard("大门", "2026-11-30"))
	oct := w.mustReport("2026-10", schoolA, newHazard("大门", "2026-11-30"), newHazard("围墙", "2026-11-30"))
	hs := w.ledger(schoolA)
	if len(hs) != 2 || hs[0].Place != "大门" || hs[1].Place != "围墙" {
		t.Fatalf("entered again: %+v", hs)
	}
	if got := ledgerRows(oct.Values); rowID(got[0]) != hs[0].ID {
		t.Errorf("the first row kept its id: %v", got)
	}
	// Another school's hazard, an unknown one, the same one twice.
	w.mustReport("2026-10", schoolB, newHazard("食堂", "2026-11-30"))
	foreign := w.ledger(schoolB)[0].ID
	cases := []struct {
		name string
		rows []map[string]any
		want []string
	}{
		{"another school's", []map[string]any{update(newHazard("x", "2026-11-30"), store.LedgerID, foreign)}, []string{"hazards.items[0].hazard_id:unknown_hazard"}},
		{"unknown", []map[string]any{update(newHazard("x", "2026-11-30"), store.LedgerID, "2026-10-zzzz")}, []string{"hazards.items[0].hazard_id:unknown_hazard"}},
		{"twice", []map[string]any{hs[0].Row(), hs[0].Row()}, []string{"hazards.items[1].hazard_id:duplicate"}},
	}
	w.at("2026-11-05")
	for _, c := range cases {
		_, err := w.report("2026-11", schoolA, false, c.rows...)
		var got []string
		if fe, ok := err.(*fail.Error); ok {
			for _, e := range fe.Fields {
				got = append(got, e.Field+":"+e.Code)
			}
		}
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	if hs := w.ledger(schoolA); len(hs) != 2 {
		t.Errorf("refused reports changed the ledger: %d hazards", len(hs))
	}
}

// TestLedgerSheet: the drive workbook lists the open hazards of the
// caller's schools as they stand, overdue ones marked, closed ones left out.
func TestLedgerSheet(t *testing.T) {
	w := newLedgerWorld(t)
	ctx := context.Background()
	w.at("2026-10-15")
	oct := w.mustReport("2026-10", schoolA, newHazard("教学楼一楼", "2026-10-31"), newHazard("食堂后门", "2026-12-31"),
		update(newHazard("操场", "2026-10-20"), "status", "closed", "closed_on", "2026-10-12"))
	w.mustReport("2026-10", schoolC, newHazard("二区校门", "2026-11-30"))
	w.at("2026-11-05")
	w.mustReport("2026-11", schoolA)
	d, err := w.svc.Store.Drive(ctx, DriveID("safety", "2026-11"))
	check(t, err)

	sheet := func(u *store.User) [][]string {
		t.Helper()
		var buf bytes.Buffer
		check(t, w.svc.Export(ctx, u, d, nil, &buf, nil))
		f, err := excelize.OpenReader(&buf)
		check(t, err)
		defer f.Close()
		if rows, err := f.GetRows("隐患台账"); err == nil {
			// The title block names the ledger's date; the header follows it.
			for i, row := range rows {
				if slices.Contains(row, "学校代码") {
					if title := fmt.Sprint(rows[:i]); !strings.Contains(title, "截至 2026-11-05") {
						t.Errorf("the ledger's title block %q does not give its date", title)
					}
					return rows[i:]
				}
			}
			t.Fatalf("no header in the ledger: %q", rows)
		}
		t.Fatalf("no ledger sheet in %q", f.GetSheetList())
		return nil
	}
	rows := sheet(w.user(store.RoleDistrict, district))
	head := strings.Join(rows[0], "|")
	for _, col := range []string{"学校代码", "隐患编号", "隐患类别", "隐患部位", "整改期限", "整改状态", "逾期", "逾期天数", "发现期次", "已报期数"} {
		if !strings.Contains(head, col) {
			t.Errorf("header %q lacks %s", head, col)
		}
	}
	cell := func(row []string, title string) string {
		for i, h := range rows[0] {
			if strings.HasPrefix(h, title) && i < len(row) {
				return row[i]
			}
		}
		return ""
	}
	if len(rows) != 3 {
		t.Fatalf("district 1's ledger: %q", rows)
	}
	first := rows[1]
	if cell(first, "学校代码") != schoolA || cell(first, "隐患编号") != rowID(ledgerRows(oct.Values)[0]) || cell(first, "隐患类别") != "消防" ||
		cell(first, "隐患部位") != "教学楼一楼" || cell(first, "整改状态") != "待整改" || cell(first, "逾期") != "✗" ||
		cell(first, "逾期天数") != "5" || cell(first, "发现期次") != "2026年10月" || cell(first, "已报期数") != "2" {
		t.Errorf("the overdue hazard: %q", first)
	}
	if cell(rows[2], "隐患部位") != "食堂后门" || cell(rows[2], "逾期") != "" {
		t.Errorf("the hazard within its deadline: %q", rows[2])
	}
	if all := sheet(w.user(store.RoleAdmin, cityOrg)); len(all) != 4 || cell(all[3], "隐患部位") != "二区校门" {
		t.Errorf("the city's ledger: %q", all)
	}
}

// TestLedgerArchiveThroughReports: a hazard closed in December has left
// the school's ledger document by April's report, which neither carries
// nor needs it; the school's ledger screen still lists it, and a later
// report that names it (the same hazard again) reopens it.
func TestLedgerArchiveThroughReports(t *testing.T) {
	w := newLedgerWorld(t)
	ctx := context.Background()
	w.at("2026-10-15")
	oct := w.mustReport("2026-10", schoolA, newHazard("教学楼一楼", "2026-10-31"), newHazard("食堂后门", "2027-06-30"))
	rows := ledgerRows(oct.Values)
	first, second := rowID(rows[0]), rowID(rows[1])
	w.at("2026-12-04")
	w.mustReport("2026-12", schoolA, update(rows[0], "status", "closed", "closed_on", "2026-12-03"), rows[1])
	w.at("2027-04-05")
	apr := w.mustReport("2027-04", schoolA)
	if rows := ledgerRows(apr.Values); len(rows) != 1 || rowID(rows[0]) != second {
		t.Fatalf("April carries %v; want only the open hazard", rows)
	}
	live, err := w.svc.Store.LiveHazards(ctx, schoolA, nil)
	check(t, err)
	if len(live) != 1 || live[0].ID != second {
		t.Fatalf("live ledger after April: %+v; want the closed hazard archived", live)
	}
	led, err := w.svc.Ledger(ctx, w.schoolUser(schoolA), schoolA)
	check(t, err)
	if len(led.Hazards) != 2 || led.Hazards[0].ID != first || led.Hazards[0].Status != store.HazardClosed || led.Open != 1 {
		t.Fatalf("the school's ledger: %+v; want both, the first closed", led)
	}

	w.at("2027-05-06")
	w.mustReport("2027-05", schoolA, update(rows[0], "status", "open", "closed_on", "", "deadline", "2027-05-31"))
	hs := w.ledger(schoolA)
	if len(hs) != 2 || hs[0].ID != first || hs[0].Status != store.HazardOpen || !slices.Equal(actions(hs[0]), []string{"found", "closed", "reopened"}) {
		t.Fatalf("after May: %+v; want the first reopened, once", hs)
	}
	page, err := w.svc.Hazards(ctx, w.user(store.RoleDistrict, district), HazardQuery{})
	check(t, err)
	if page.Total != 2 {
		t.Errorf("the district's open hazards: %d; want both", page.Total)
	}
}
