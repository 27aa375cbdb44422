package handlers_test

import (
	"bytes"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

// TestSiblingDistrictSeesNothing: district 2 sees neither district 1's
// schools nor their data in lists, progress or the export.
func TestSiblingDistrictSeesNothing(t *testing.T) {
	f := newFixture(t)
	sub1 := uuid.NewString()
	if res := create(f, "school1", sub1, validValues(1), false); res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	if res := create(f, "school3", uuid.NewString(), validValues(1), false); res.status != 201 {
		t.Fatalf("create: %d %s", res.status, res.body)
	}
	leaks := func(what string, body []byte) {
		for _, secret := range []string{school1, school2, sub1, "一区"} {
			if bytes.Contains(body, []byte(secret)) {
				t.Errorf("%s shows %q to district 2", what, secret)
			}
		}
	}
	progress := f.do("dist2", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil)
	total := progress.json()["total"].(map[string]any)
	if total["expected"] != 1.0 || total["submitted"] != 1.0 {
		t.Fatalf("district 2's progress: %s", progress.body)
	}
	leaks("progress", progress.body)
	leaks("submission list", f.do("dist2", http.MethodGet, "/api/v1/drives/"+driveID+"/submissions", nil, nil).body)
	leaks("user list", f.do("dist2", http.MethodGet, "/api/v1/users", nil, nil).body)

	export := f.do("dist2", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx", nil, nil)
	x, err := excelize.OpenReader(bytes.NewReader(export.body))
	must(t, err)
	defer x.Close()
	for _, sheet := range x.GetSheetList() {
		rows, err := x.GetRows(sheet)
		must(t, err)
		for _, r := range rows {
			line := strings.Join(r, "|")
			if strings.Contains(line, school1) || strings.Contains(line, school2) || strings.Contains(line, "一区") {
				t.Errorf("export sheet %s shows district 1: %s", sheet, line)
			}
		}
	}
	// The city sees both, and district 1's view has both of its schools.
	if p := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil).json()["total"].(map[string]any); p["expected"] != 3.0 {
		t.Fatalf("city progress: %v", p)
	}
	p1 := f.do("dist1", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil)
	if !bytes.Contains(p1.body, []byte(school2)) || bytes.Contains(p1.body, []byte(school3)) {
		t.Fatalf("district 1's missing list: %s", p1.body)
	}
}
