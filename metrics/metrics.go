// Package metrics holds Tianbao's Prometheus metrics.
package metrics

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
)

// Metrics are the server's instruments, registered on their own registry.
type Metrics struct {
	Registry       *prometheus.Registry
	Requests       *prometheus.CounterVec
	Latency        *prometheus.HistogramVec
	Submissions    *prometheus.CounterVec
	DriveExpected  *prometheus.GaugeVec
	DriveSubmitted *prometheus.GaugeVec
	ExportJobs     *prometheus.CounterVec
	DBErrors       prometheus.Counter
}

// New creates and registers the metrics.
func New() *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		Requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tianbao_http_requests_total", Help: "HTTP requests by route, method and status.",
		}, []string{"route", "method", "status"}),
		Latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "tianbao_http_request_duration_seconds", Help: "HTTP request latency by route and method.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"route", "method"}),
		Submissions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tianbao_submissions_total", Help: "Submissions written, by the status they reached.",
		}, []string{"status"}),
		DriveExpected: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tianbao_drive_expected_schools", Help: "Schools expected to submit to an open drive.",
		}, []string{"drive"}),
		DriveSubmitted: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "tianbao_drive_submitted_schools", Help: "Schools that have submitted to an open drive.",
		}, []string{"drive"}),
		ExportJobs: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "tianbao_export_jobs_total", Help: "Background export jobs by outcome.",
		}, []string{"status"}),
		DBErrors: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "tianbao_database_errors_total", Help: "Requests that failed because the database was unavailable.",
		}),
	}
	m.Registry.MustRegister(m.Requests, m.Latency, m.Submissions, m.DriveExpected, m.DriveSubmitted,
		m.ExportJobs, m.DBErrors, collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Submission counts a submission written with a status; m may be nil.
func (m *Metrics) Submission(status string) {
	if m != nil {
		m.Submissions.WithLabelValues(status).Inc()
	}
}

// Export counts a finished export job; m may be nil.
func (m *Metrics) Export(status string) {
	if m != nil {
		m.ExportJobs.WithLabelValues(status).Inc()
	}
}

// Drive records an open drive's completeness; m may be nil.
func (m *Metrics) Drive(id string, expected, submitted int) {
	if m != nil {
		m.DriveExpected.WithLabelValues(id).Set(float64(expected))
		m.DriveSubmitted.WithLabelValues(id).Set(float64(submitted))
	}
}

// ForgetDrive drops a closed drive's gauges; m may be nil.
func (m *Metrics) ForgetDrive(id string) {
	if m != nil {
		m.DriveExpected.DeleteLabelValues(id)
		m.DriveSubmitted.DeleteLabelValues(id)
	}
}
