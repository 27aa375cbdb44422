package handlers_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// TestMetrics: requests by route pattern and status, submissions by
// status and export jobs show on /metrics in Prometheus' text format.
func TestMetrics(t *testing.T) {
	f := newFixture(t)
	if res := create(f, "school1", uuid.NewString(), validValues(1), false); res.status != 201 {
		t.Fatalf("create: %d", res.status)
	}
	f.do("school1", http.MethodGet, "/api/v1/submissions/"+uuid.NewString(), nil, nil)
	res := f.do("", http.MethodGet, "/metrics", nil, nil)
	body := string(res.body)
	for _, want := range []string{
		`tianbao_http_requests_total{method="POST",route="/api/v1/drives/:drive/submissions",status="201"} 1`,
		`tianbao_http_requests_total{method="GET",route="/api/v1/submissions/:id",status="404"} 1`,
		`tianbao_http_request_duration_seconds_bucket{method="POST",route="/api/v1/drives/:drive/submissions"`,
		`tianbao_submissions_total{status="submitted"} 1`,
		"tianbao_database_errors_total 0",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, `route="/api/v1/submissions/`+"\n") || strings.Count(body, "/api/v1/submissions/") != strings.Count(body, "/api/v1/submissions/:id") {
		t.Error("a raw path became a label")
	}
}
