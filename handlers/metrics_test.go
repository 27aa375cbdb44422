package handlers_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
)

// TestMetrics: requests by route pattern and status, submissions by
// status, export jobs and open drives' completeness show on /metrics in
// Prometheus' text format.
func TestMetrics(t *testing.T) {
	f := newFixture(t)
	if res := create(f, "school1", uuid.NewString(), validValues(1), false); res.status != 201 {
		t.Fatalf("create: %d", res.status)
	}
	f.do("school1", http.MethodGet, "/api/v1/submissions/"+uuid.NewString(), nil, nil)
	f.drives.ExportLimit = 1
	job := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/export.xlsx", nil, nil)
	if job.status != http.StatusAccepted {
		t.Fatalf("export: %d %s", job.status, job.body)
	}
	progress := f.do("admin", http.MethodGet, "/api/v1/drives/"+driveID+"/progress", nil, nil).json()
	total := progress["total"].(map[string]any)
	expected, submitted := int(total["expected"].(float64)), int(total["submitted"].(float64))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go f.drives.RunScheduler(ctx, time.Hour)

	wants := []string{
		`tianbao_http_requests_total{method="POST",route="/api/v1/drives/:drive/submissions",status="201"} 1`,
		`tianbao_http_requests_total{method="GET",route="/api/v1/submissions/:id",status="404"} 1`,
		`tianbao_http_request_duration_seconds_bucket{method="POST",route="/api/v1/drives/:drive/submissions"`,
		`tianbao_submissions_total{status="submitted"} 1`,
		`tianbao_export_jobs_total{status="done"} 1`,
		fmt.Sprintf(`tianbao_drive_expected_schools{drive=%q} %d`, driveID, expected),
		fmt.Sprintf(`tianbao_drive_submitted_schools{drive=%q} %d`, driveID, submitted),
		"tianbao_database_errors_total 0",
	}
	var body string
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		body = string(f.do("", http.MethodGet, "/metrics", nil, nil).body)
		if !slices.ContainsFunc(wants, func(w string) bool { return !strings.Contains(body, w) }) || time.Now().After(deadline) {
			break
		}
	}
	for _, want := range wants {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `route="/api/v1/submissions/`+"\n") || strings.Count(body, "/api/v1/submissions/") != strings.Count(body, "/api/v1/submissions/:id") {
		t.Error("a raw path became a label")
	}
}
