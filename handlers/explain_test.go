package handlers_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestExplanationAtEntry: two lighting rows of three registered classrooms
// are refused with a problem on the group's path, in Chinese (English on
// request), and taken with a 说明, which the submission keeps.
func TestExplanationAtEntry(t *testing.T) {
	f := newFixture(t)
	o, err := f.store.Org(context.Background(), school1)
	must(t, err)
	o.Classrooms = 3
	must(t, f.store.PutOrg(context.Background(), o))

	res := create(f, "school1", uuid.NewString(), validValues(2), false)
	if res.status != http.StatusUnprocessableEntity || !strings.HasPrefix(res.header.Get("Content-Type"), "application/problem+json") {
		t.Fatalf("without a 说明: %d %s", res.status, res.body)
	}
	errs, _ := res.json()["errors"].([]any)
	if len(errs) != 1 {
		t.Fatalf("errors %s", res.body)
	}
	e := errs[0].(map[string]any)
	if e["field"] != "lighting.classrooms" || e["code"] != "explain" ||
		e["message"] != "教室检测记录填了 2 行，少于学校登记的 3 间教室，请填写说明（未说明时达标率按登记教室数计算）" {
		t.Errorf("problem %v", e)
	}
	en := f.do("school1", http.MethodPost, "/api/v1/drives/"+driveID+"/submissions",
		map[string]any{"id": uuid.NewString(), "values": validValues(2)}, map[string]string{"Accept-Language": "en"})
	if !strings.Contains(string(en.body), "fewer than the school's 3 registered classrooms; add an explanation") {
		t.Errorf("in English: %s", en.body)
	}

	res = f.do("school1", http.MethodPost, "/api/v1/drives/"+driveID+"/submissions", map[string]any{"id": uuid.NewString(),
		"values": validValues(2), "explanations": map[string]string{"lighting.classrooms": "三楼教室装修停用"}}, nil)
	if res.status != http.StatusCreated {
		t.Fatalf("with a 说明: %d %s", res.status, res.body)
	}
	anoms, _ := res.json()["anomalies"].([]any)
	if len(anoms) != 1 || anoms[0].(map[string]any)["explanation"] != "三楼教室装修停用" || anoms[0].(map[string]any)["kind"] != "rooms" {
		t.Errorf("anomalies %s", res.body)
	}
}
