package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"time"
)

// Timing is one request's median time over the runs, and its answer's size.
type Timing struct {
	Name   string
	Median time.Duration
	Bytes  int
}

// Client times requests to a running server as bureau and school users.
type Client struct {
	Base     string
	Password string
	Runs     int
	HTTP     *http.Client
	tokens   map[string]string
}

// Measure times what bureau staff and schools ask for most on the drive
// open now and the twelve months before: sign-in, a school's task list, a
// drive's progress for the city and for one district, the first page of
// its received submissions, its whole export (as a job), a year's trend,
// and a school handing in its form.
func (c *Client) Measure(ctx context.Context, b *Built) ([]Timing, error) {
	if c.HTTP == nil {
		c.HTTP = &http.Client{Timeout: 10 * time.Minute}
	}
	c.tokens = map[string]string{}
	current := b.Drives[len(b.Drives)-1]
	for _, d := range b.Drives {
		if d.Schedule == "monthly" {
			current = d
		}
	}
	district := "district-" + b.Districts[0]
	school := "school-" + b.Schools[len(b.Schools)-1].ID
	from := monthsBefore(current.Period, 11)
	drive := "/api/v1/drives/" + current.ID
	var out []Timing
	add := func(name string, f func() (int, time.Duration, error)) error {
		var times []time.Duration
		size := 0
		for range max(c.Runs, 1) {
			n, took, err := f()
			if err != nil {
				return fmt.Errorf("bench: %s: %w", name, err)
			}
			times = append(times, took)
			size = n
		}
		slices.Sort(times)
		out = append(out, Timing{Name: name, Median: times[len(times)/2], Bytes: size})
		return nil
	}
	timed := func(f func() (int, error)) func() (int, time.Duration, error) {
		return func() (int, time.Duration, error) {
			start := time.Now()
			n, err := f()
			return n, time.Since(start), err
		}
	}
	steps := []struct {
		name string
		f    func() (int, error)
	}{
		{"sign-in (admin)", func() (int, error) { return c.login(ctx, "admin") }},
		{"sign-in (last school)", func() (int, error) { return c.login(ctx, school) }},
		{"tasks (last school)", c.get(ctx, school, "/api/v1/tasks")},
		{"progress (city)", c.get(ctx, "admin", drive+"/progress")},
		{"progress (one district)", c.get(ctx, district, drive+"/progress")},
		{"submissions, first page (city)", c.get(ctx, "admin", drive+"/submissions")},
		{"org list (city)", c.get(ctx, "admin", "/api/v1/orgs")},
		{"export (city, job)", func() (int, error) { return c.export(ctx, "admin", current.ID) }},
		{"trend, 12 months (city)", c.get(ctx, "admin", "/api/v1/reports/trend.xlsx?indicator=canteen&from="+from+"&to="+current.Period)},
	}
	for _, s := range steps {
		if err := add(s.name, timed(s.f)); err != nil {
			return out, err
		}
	}
	if err := add("submit (a school not handed in yet)", c.submitter(ctx, b, current.ID)); err != nil {
		return out, err
	}
	return out, nil
}

func (c *Client) do(ctx context.Context, as, method, path string, body any) ([]byte, int, error) {
	var rd io.Reader
	if body != nil {
		raw, _ := json.Marshal(body)
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, c.Base+path, rd)
	if err != nil {
		return nil, 0, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if as != "" {
		if c.tokens[as] == "" {
			if _, err := c.login(ctx, as); err != nil {
				return nil, 0, err
			}
		}
		req.Header.Set("Authorization", "Bearer "+c.tokens[as])
	}
	res, err := c.HTTP.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return b, res.StatusCode, err
}

func (c *Client) login(ctx context.Context, user string) (int, error) {
	b, status, err := c.do(ctx, "", http.MethodPost, "/api/v1/auth/login", map[string]string{"username": user, "password": c.Password})
	if err != nil {
		return 0, err
	}
	if status != http.StatusOK {
		return 0, fmt.Errorf("sign-in as %s: %d %s", user, status, b)
	}
	var r struct{ Token string }
	if err := json.Unmarshal(b, &r); err != nil {
		return 0, err
	}
	c.tokens[user] = r.Token
	return len(b), nil
}

func (c *Client) get(ctx context.Context, as, path string) func() (int, error) {
	return func() (int, error) {
		b, status, err := c.do(ctx, as, http.MethodGet, path, nil)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("GET %s: %d %.300s", path, status, b)
		}
		return len(b), err
	}
}

// export starts a drive's export job, waits for it and downloads the file.
func (c *Client) export(ctx context.Context, as, drive string) (int, error) {
	b, status, err := c.do(ctx, as, http.MethodPost, "/api/v1/drives/"+drive+"/exports", nil)
	if err != nil || status != http.StatusAccepted {
		return 0, fmt.Errorf("export: %d %.300s %v", status, b, err)
	}
	var job struct{ ID, Status, URL string }
	for {
		if err := json.Unmarshal(b, &job); err != nil {
			return 0, err
		}
		if job.Status != "running" {
			break
		}
		time.Sleep(50 * time.Millisecond)
		if b, _, err = c.do(ctx, as, http.MethodGet, "/api/v1/exports/"+job.ID, nil); err != nil {
			return 0, err
		}
	}
	if job.Status != "done" {
		return 0, fmt.Errorf("export job: %s", b)
	}
	file, status, err := c.do(ctx, as, http.MethodGet, job.URL, nil)
	if err == nil && status != http.StatusOK {
		err = fmt.Errorf("download: %d", status)
	}
	return len(file), err
}

// monthsBefore returns the month n months before a "2006-01" period.
func monthsBefore(period string, n int) string {
	t, err := time.Parse("2006-01", period)
	if err != nil {
		return period
	}
	return t.AddDate(0, -n, 0).Format("2006-01")
}

// Table writes timings of one or more city sizes side by side, with the
// ratio of the last size to the first.
func Table(w io.Writer, sizes []int, runs [][]Timing) {
	fmt.Fprintf(w, "| request |")
	for _, n := range sizes {
		fmt.Fprintf(w, " %d schools |", n)
	}
	if len(sizes) > 1 {
		fmt.Fprintf(w, " ratio %d/%d |", sizes[len(sizes)-1], sizes[0])
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "|"+strings.Repeat(" --- |", len(sizes)+1+min(len(sizes)-1, 1)))
	for i, t := range runs[0] {
		fmt.Fprintf(w, "| %s |", t.Name)
		for _, r := range runs {
			fmt.Fprintf(w, " %s (%s) |", r[i].Median.Round(time.Millisecond/10), sizeText(r[i].Bytes))
		}
		if len(runs) > 1 {
			fmt.Fprintf(w, " %.2f |", float64(runs[len(runs)-1][i].Median)/float64(t.Median))
		}
		fmt.Fprintln(w)
	}
}

func sizeText(n int) string {
	switch {
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d B", n)
}
