package main

import (
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// loadReport is the summary printed at the end of a load test.
type loadReport struct {
	phones, perPhone, drives, schools int
	ok, failed, retries, loginFailed  int
	elapsed                           time.Duration
	latencies                         []time.Duration   // every POST attempt
	statuses                          map[string]int    // every POST attempt
	errors                            map[string]int    // final outcome of failed submissions
	examples                          map[string]string // one answer per kind of failure
	formFresh, formCached             int
	baseline                          *baselineRate
}

// baselineRate is the raw-insert run the HTTP ingest is compared with.
type baselineRate struct {
	docs    int
	elapsed time.Duration
}

func (r *loadResult) report(c *loadtestConfig, p *loadPlan) *loadReport {
	rep := &loadReport{phones: c.Phones, perPhone: c.PerPhone, drives: len(p.drives), schools: len(p.users),
		elapsed: r.elapsed, statuses: map[string]int{}, errors: map[string]int{}, examples: map[string]string{},
		formFresh: r.formFresh, formCached: r.formCached, loginFailed: r.loginFailed}
	for _, s := range r.subs {
		for i, a := range s.attempts {
			rep.latencies = append(rep.latencies, a.latency)
			rep.statuses[statusName(a.status)]++
			if i > 0 {
				rep.retries++
			}
		}
		if s.err == nil {
			rep.ok++
			continue
		}
		rep.failed++
		name := "network"
		if ae, ok := s.err.(*apiError); ok {
			name = strconv.Itoa(ae.status)
		} else if len(s.attempts) == 0 {
			name = "form"
		}
		rep.errors[name]++
		if _, seen := rep.examples[name]; !seen {
			rep.examples[name] = s.err.Error()
		}
	}
	slices.Sort(rep.latencies)
	return rep
}

func statusName(status int) string {
	if status == 0 {
		return "network"
	}
	return strconv.Itoa(status)
}

func (r *loadReport) throughput() float64 {
	if r.elapsed <= 0 {
		return 0
	}
	return float64(r.ok) / r.elapsed.Seconds()
}

func (r *loadReport) percentile(p float64) time.Duration {
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(p/100*float64(len(r.latencies))+0.5) - 1
	return r.latencies[min(max(i, 0), len(r.latencies)-1)]
}

func counts(m map[string]int) string {
	if len(m) == 0 {
		return "none"
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(m)) {
		parts = append(parts, fmt.Sprintf("%s=%d", k, m[k]))
	}
	return strings.Join(parts, " ")
}

func ms(d time.Duration) string { return fmt.Sprintf("%.1fms", float64(d.Microseconds())/1000) }

func (r *loadReport) print(w io.Writer) {
	fmt.Fprintf(w, "phones: %d × %d submissions (%d schools, %d one-off drives)\n", r.phones, r.perPhone, r.schools, r.drives)
	if r.loginFailed > 0 {
		fmt.Fprintf(w, "phones that could not start: %d\n", r.loginFailed)
	}
	fmt.Fprintf(w, "submissions: %d ok, %d failed in %.2fs\n", r.ok, r.failed, r.elapsed.Seconds())
	fmt.Fprintf(w, "throughput: %.1f submissions/s (form fetch + submit)\n", r.throughput())
	fmt.Fprintf(w, "submit latency: p50 %s p95 %s p99 %s max %s\n",
		ms(r.percentile(50)), ms(r.percentile(95)), ms(r.percentile(99)), ms(r.percentile(100)))
	fmt.Fprintf(w, "statuses: %s\n", counts(r.statuses))
	fmt.Fprintf(w, "errors: %s\n", counts(r.errors))
	for _, k := range slices.Sorted(maps.Keys(r.examples)) {
		fmt.Fprintf(w, "  first %s: %s\n", k, r.examples[k])
	}
	fmt.Fprintf(w, "retries: %d\n", r.retries)
	fmt.Fprintf(w, "form: %d × 200, %d × 304\n", r.formFresh, r.formCached)
	if b := r.baseline; b != nil {
		rate := float64(b.docs) / b.elapsed.Seconds()
		fmt.Fprintf(w, "baseline: %d raw inserts in %.2fs = %.1f/s at the same concurrency\n", b.docs, b.elapsed.Seconds(), rate)
		fmt.Fprintf(w, "ratio HTTP ingest / raw insert: %.2f\n", r.throughput()/rate)
	}
}
