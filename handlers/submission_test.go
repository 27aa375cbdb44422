package handlers_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

func create(f *fixture, as, id string, values any, draft bool) response {
	return f.do(as, http.MethodPost, "/api/v1/drives/"+driveID+"/submissions",
		map[string]any{"id": id, "values": values, "draft": draft}, nil)
}

// TestThinPath walks the whole flow: a school signs in, sees its task,
// fetches the form, submits (and replays), and the bureau's workbook has it.
func TestThinPath(t *testing.T) {
	f := newFixture(t)
	tasks := f.do("school1", http.MethodGet, "/api/v1/tasks", nil, nil)
	if tasks.status != 200 || !bytes.Contains(tasks.body, []byte(`"status":"not_started"`)) || !bytes.Contains(tasks.body, []byte(driveID)) {
		t.Fatalf("tasks: %d %s", tasks.status, tasks.body)
	}
	form := f.do("school1", http.MethodGet, "/api/v1/drives/"+driveID+"/form", nil, nil)
	etag := form.header.Get("ETag")
	if form.status != 200 || etag == "" {
		t.Fatalf("form: %d %s", form.status, form.body)
	}
	var def struct {
		Version  string `json:"version"`
		Sections []struct {
			Indicator string `json:"indicator"`
		} `json:"sections"`
	}
	must(t, json.Unmarshal(form.body, &def))
	var codes []string
	for _, s := range def.Sections {
		codes = append(codes, s.Indicator)
	}
	if len(codes) != 3 || codes[0] != "canteen" || codes[1] != "bullying" || codes[2] != "lighting" || etag != `"`+def.Version+`"` {
		t.Fatalf("form sections %v, etag %s, version %s", codes, etag, def.Version)
	}
	if again := f.do("school1", http.MethodGet, "/api/v1/drives/"+driveID+"/form", nil, map[string]string{"If-None-Match": etag}); again.status != http.StatusNotModified {
		t.Fatalf("conditional form fetch: %d", again.status)
	}

	id := uuid.NewString()
	first := create(f, "school1", id, validValues(2), false)
	if first.status != http.StatusCreated {
		t.Fatalf("create: %d %s", first.status, first.body)
	}
	replay := create(f, "school1", id, validValues(2), false)
	if replay.status != http.StatusOK || !bytes.Equal(replay.body, first.body) {
		t.Fatalf("replay: %d\n%s\n%s", replay.status, replay.body, first.body)
	}
	sub := first.json()
	if sub["status"] != "submitted" || sub["version"] != 1.0 || sub["late"] != false {
		t.Fatalf("stored: %v", sub)
	}

	export := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx", nil, nil)
	if export.status != 200 || export.header.Get("Content-Type") != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Fatalf("export: %d %s", export.status, export.body)
	}
	x, err := excelize.OpenReader(bytes.NewReader(export.body))
	must(t, err)
	defer x.Close()
	sheets := x.GetSheetList()
	if sheets[0] != "汇总" {
		t.Fatalf("sheets %v", sheets)
	}
	rows, err := x.GetRows(sheetFor(t, x, "食品安全"))
	must(t, err)
	found := map[string][]string{}
	for _, r := range rows[5:] { // under the title block and the header
		found[r[0]] = r
	}
	// District 1 expects its primary school and its kindergarten, not district 2's school.
	if len(found) != 2 || found[school1] == nil || found[school2] == nil || found[school3] != nil {
		t.Fatalf("canteen sheet rows: %v", rows)
	}
	if !contains(found[school1], "已提交") || !contains(found[school2], "未填报") || !contains(found[school1], "130") {
		t.Fatalf("canteen rows: %v", found)
	}
	typ, err := x.GetCellType(sheetFor(t, x, "食品安全"), "A6")
	must(t, err)
	if typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString {
		t.Fatalf("school code cell type %v: want text", typ)
	}
}

func sheetFor(t *testing.T, x *excelize.File, part string) string {
	for _, s := range x.GetSheetList() {
		if bytes.Contains([]byte(s), []byte(part)) {
			return s
		}
	}
	t.Fatalf("no sheet like %q in %v", part, x.GetSheetList())
	return ""
}

func contains(row []string, v string) bool {
	for _, c := range row {
		if c == v {
			return true
		}
	}
	return false
}

// TestIdempotentUnderConcurrency: 50 phones retrying the same submission at
// once leave one document and all get the same answer.
func TestIdempotentUnderConcurrency(t *testing.T) {
	f := newFixture(t)
	id := uuid.NewString()
	var wg sync.WaitGroup
	answers := make([]response, 50)
	for i := range answers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			answers[i] = create(f, "school1", id, validValues(1), false)
		}()
	}
	wg.Wait()
	created := 0
	for i, a := range answers {
		if a.status == http.StatusCreated {
			created++
		} else if a.status != http.StatusOK {
			t.Fatalf("answer %d: %d %s", i, a.status, a.body)
		}
		if !bytes.Equal(a.body, answers[0].body) {
			t.Fatalf("answers differ:\n%s\n%s", a.body, answers[0].body)
		}
	}
	if created != 1 {
		t.Fatalf("%d answers said created", created)
	}
	list := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/submissions", nil, nil)
	if n := bytes.Count(list.body, []byte(`"id":"`+id+`"`)); n != 1 {
		t.Fatalf("%d documents stored", n)
	}
	other := validValues(1)
	other["canteen"].(map[string]any)["meal_days"] = 21
	other["canteen"].(map[string]any)["accompany_days"] = 21
	other["canteen"].(map[string]any)["sample_days"] = 21
	if res := create(f, "school1", id, other, false); res.status != http.StatusConflict {
		t.Fatalf("same id, other content: %d %s", res.status, res.body)
	}
	if res := create(f, "school1", uuid.NewString(), validValues(1), false); res.status != http.StatusConflict ||
		!bytes.Contains(res.body, []byte(id)) {
		t.Fatalf("second submission for the school: %d %s", res.status, res.body)
	}
}

// TestOptimisticConcurrency: two revisions of the same version, one wins.
func TestOptimisticConcurrency(t *testing.T) {
	f := newFixture(t)
	id := uuid.NewString()
	if res := create(f, "school1", id, validValues(1), true); res.status != http.StatusCreated {
		t.Fatalf("draft: %d %s", res.status, res.body)
	}
	type history struct {
		Revisions []struct {
			Version int    `json:"version"`
			Action  string `json:"action"`
		} `json:"revisions"`
	}
	var first history
	must(t, json.Unmarshal(f.do("school1", http.MethodGet, "/api/v1/submissions/"+id+"/revisions", nil, nil).body, &first))
	if len(first.Revisions) != 1 || first.Revisions[0].Action != "create" || first.Revisions[0].Version != 1 {
		t.Fatalf("history of a new submission: %+v", first)
	}
	var wg sync.WaitGroup
	results := make([]response, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			v := validValues(1 + i)
			results[i] = f.do("school1", http.MethodPut, "/api/v1/submissions/"+id, map[string]any{"values": v}, map[string]string{"If-Match": `"1"`})
		}()
	}
	wg.Wait()
	ok, conflict := 0, 0
	for _, r := range results {
		switch r.status {
		case 200:
			ok++
		case 409:
			conflict++
		default:
			t.Fatalf("revision: %d %s", r.status, r.body)
		}
	}
	if ok != 1 || conflict != 1 {
		t.Fatalf("ok=%d conflict=%d", ok, conflict)
	}
	revs := f.do("school1", http.MethodGet, "/api/v1/submissions/"+id+"/revisions", nil, nil)
	var hist history
	must(t, json.Unmarshal(revs.body, &hist))
	if len(hist.Revisions) != 2 || hist.Revisions[0].Action != "create" || hist.Revisions[1].Version != 2 {
		t.Fatalf("history: %s", revs.body)
	}
	if res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+id, map[string]any{"values": validValues(1)}, nil); res.status != http.StatusPreconditionRequired {
		t.Fatalf("PUT without If-Match: %d", res.status)
	}
	if res := f.do("school1", http.MethodPut, "/api/v1/submissions/"+id, map[string]any{"values": validValues(1)},
		map[string]string{"If-Match": strconv.Quote("1")}); res.status != http.StatusConflict {
		t.Fatalf("stale If-Match: %d", res.status)
	}
}

// TestSubmissionsLandInTheirDrive has schools submit to several drives at
// once over kept-alive connections, as phones do: each submission must be
// stored under the drive its request named, however the server reuses its
// request buffers.
func TestSubmissionsLandInTheirDrive(t *testing.T) {
	f := newFixture(t)
	schools := f.addSchools(12)
	base := f.serve()
	var drives []string
	for i := range 6 {
		d := f.do("admin", http.MethodPost, "/api/v1/drives", map[string]any{"name": "抽查第" + strconv.Itoa(i+1) + "批",
			"plan": "plan-2026", "period": "2026-11", "dueAt": "2026-12-01T00:00:00Z"}, nil)
		if d.status != http.StatusCreated {
			t.Fatalf("one-off drive: %d %s", d.status, d.body)
		}
		drives = append(drives, d.json()["id"].(string))
	}
	sent := make([][]string, len(schools)) // per school, the submission id per drive
	var wg sync.WaitGroup
	for i, school := range schools {
		sent[i] = make([]string, len(drives))
		wg.Go(func() {
			client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 1}, Timeout: 30 * time.Second}
			defer client.CloseIdleConnections()
			for k := range drives {
				drive := drives[(i+k)%len(drives)]
				id := uuid.NewString()
				raw, _ := json.Marshal(map[string]any{"id": id, "values": validValues(2)})
				res, err := f.submitOver(client, base, school, drive, raw)
				if err != nil {
					t.Error(err)
					return
				}
				if res.status != http.StatusCreated {
					t.Errorf("%s → %s: %d %s", school, drive, res.status, res.body)
				}
				sent[i][(i+k)%len(drives)] = id
			}
		})
	}
	wg.Wait()
	for i := range sent {
		for k, id := range sent[i] {
			if id == "" {
				continue
			}
			res := f.do("admin", http.MethodGet, "/api/v1/submissions/"+id, nil, nil)
			if got := res.json()["drive"]; got != drives[k] {
				t.Errorf("submission %s sent to %s is stored under %v", id, drives[k], got)
			}
		}
	}
}
