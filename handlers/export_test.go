package handlers_test

import (
	"bytes"
	"net/http"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

// TestLargeExportRunsAsJob: over the size limit the download becomes a job
// with progress; the finished workbook's summary equals /progress, and its
// 未提交 sheet lists the schools /progress counts as missing (a returned
// submission was handed in: it is counted, not missing).
func TestLargeExportRunsAsJob(t *testing.T) {
	f := newFixture(t)
	f.drives.ExportLimit = 2
	var ids []string
	for _, phone := range f.addSchools(3) {
		id := uuid.NewString()
		if res := create(f, phone, id, validValues(2), false); res.status != 201 {
			t.Fatalf("create: %d %s", res.status, res.body)
		}
		ids = append(ids, id)
	}
	if res := create(f, "school3", uuid.NewString(), validValues(1), false); res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	for i, review := range []map[string]any{{"action": "return", "comment": "请复测照度"}, {"action": "approve", "comment": ""}} {
		if res := f.do("admin", http.MethodPost, "/api/v1/submissions/"+ids[i]+"/review", review, nil); res.status != 200 {
			t.Fatalf("review: %d %s", res.status, res.body)
		}
	}
	start := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx", nil, nil)
	if start.status != http.StatusAccepted || start.header.Get("Location") == "" {
		t.Fatalf("a large export answered %d %s", start.status, start.body)
	}
	job := start.header.Get("Location")
	var status map[string]any
	deadline := time.Now().Add(time.Minute)
	for {
		status = f.do("admin", http.MethodGet, job, nil, nil).json()
		if status["status"] != "running" || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	if status["status"] != "done" || status["percent"] != 100.0 {
		t.Fatalf("job: %v", status)
	}
	if other := f.do("dist1", http.MethodGet, job, nil, nil); other.status != 404 {
		t.Fatalf("another user's job: %d", other.status)
	}
	book := f.do("admin", http.MethodGet, status["url"].(string), nil, nil)
	if book.status != 200 {
		t.Fatalf("download: %d", book.status)
	}
	x, err := excelize.OpenReader(bytes.NewReader(book.body))
	must(t, err)
	defer x.Close()
	rows, err := x.GetRows("汇总")
	must(t, err)
	progress := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil).json()
	total := progress["total"].(map[string]any)
	last := rows[len(rows)-1]
	header := rows[4] // under the title block
	col := func(name string) string {
		for i, h := range header {
			if h == name && i < len(last) {
				return last[i]
			}
		}
		t.Fatalf("no column %q in %v", name, header)
		return ""
	}
	for name, key := range map[string]string{"应报": "expected", "已提交": "submitted", "按时": "onTime", "逾期": "late",
		"未提交": "missing", "已通过": "approved", "已退回": "returned"} {
		if got, want := col(name), strconv.Itoa(int(total[key].(float64))); got != want {
			t.Errorf("summary %s = %s, progress %s = %s", name, got, key, want)
		}
	}
	if total["returned"] != 1.0 || total["approved"] != 1.0 || total["missing"] == 0.0 {
		t.Fatalf("the drive should have one returned, one approved and some missing schools: %v", total)
	}
	var want []string
	for _, m := range progress["missing"].([]any) {
		want = append(want, m.(map[string]any)["code"].(string))
	}
	missing, err := x.GetRows("未提交")
	must(t, err)
	var got []string
	for _, r := range missing[5:] {
		got = append(got, r[0])
	}
	if !slices.Equal(got, want) {
		t.Errorf("未提交 lists %v, progress %v", got, want)
	}
}
