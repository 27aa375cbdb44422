package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/tianbao-edu/tianbao/bench"
	"github.com/tianbao-edu/tianbao/handlers"
)

// benchScale builds a city of each size asked for in a fresh database and
// times the bureau's requests on it over HTTP:
//
//	tianbao bench-scale -schools 1000,5000 -months 24 -data DIR
//
// With one size the city is built in DIR itself, with several in
// DIR/schools-N; either is left for `tianbao -data …` to start on.
func benchScale(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("bench-scale", flag.ContinueOnError)
	sizes := fs.String("schools", "1000,5000", "city sizes, comma-separated")
	months := fs.Int("months", 24, "months of monthly drives, the current one included")
	runs := fs.Int("runs", 5, "times each request is made (the median is shown)")
	idle := fs.Duration("idle", 2*time.Minute, "how long to watch the idle server's CPU (0: not at all)")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run to this file")
	reuse := fs.Bool("reuse", false, "time a city built before in the same directory instead of building one")
	own, rest := splitFlags(args, fs)
	if err := fs.Parse(own); err != nil {
		return err
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 10 {
			return fmt.Errorf("bench-scale: -schools takes sizes of at least 10, comma-separated")
		}
		ns = append(ns, n)
	}
	if *months < 1 || *months > 36 {
		return fmt.Errorf("bench-scale: -months must be 1–36")
	}
	cfg, _, err := loadConfig(append(rest, "-no-demo"))
	if err != nil {
		return err
	}
	if cfg.DemoPassword == "" {
		return errors.New("bench-scale: set TIANBAO_DEMO_PASSWORD (the accounts' password)")
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	var all [][]bench.Timing
	var notes []string
	for _, n := range ns {
		c := *cfg
		if len(ns) > 1 {
			c.DataDir = filepath.Join(cfg.DataDir, fmt.Sprintf("schools-%d", n))
		}
		t, note, err := benchCity(ctx, &c, n, *months, *runs, *idle, *reuse, stdout)
		if err != nil {
			return err
		}
		all = append(all, t)
		notes = append(notes, note)
	}
	bench.Table(stdout, ns, all)
	for i, n := range ns {
		fmt.Fprintf(stdout, "%d schools: %s\n", n, notes[i])
	}
	return nil
}

func benchCity(ctx context.Context, cfg *config, schools, months, runs int, idle time.Duration, reuse bool, log io.Writer) ([]bench.Timing, string, error) {
	a, err := open(ctx, cfg, newLogger(&config{LogFormat: "text", LogLevel: "warn"}), false)
	if err != nil {
		return nil, "", err
	}
	defer a.close()
	n, err := a.store.CountUsers(ctx)
	switch {
	case err != nil:
		return nil, "", err
	case n > 0 && !reuse:
		return nil, "", fmt.Errorf("bench-scale: %s already holds data: give an empty directory (or -reuse to time it again)", cfg.DataDir)
	case n == 0 && reuse:
		return nil, "", fmt.Errorf("bench-scale: %s holds no city to time again", cfg.DataDir)
	}
	start := time.Now()
	var built *bench.Built
	if reuse {
		built, err = bench.Load(ctx, a.store)
	} else {
		built, err = bench.Build(ctx, a.store, a.auth, bench.City{Schools: schools, Months: months,
			Password: cfg.DemoPassword, Now: time.Now(), Loc: cfg.TZ, Log: log})
	}
	if err != nil {
		return nil, "", err
	}
	buildTime := time.Since(start)

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	app := handlers.New(handlers.Deps{Store: a.store, Auth: a.auth, Drives: a.drives, Planning: a.planning,
		Metrics: a.metrics, BodyLimit: cfg.BodyLimit})
	go func() { _ = app.Listener(handlers.Listener(ln)) }()
	defer app.Shutdown()
	bg, stop := context.WithCancel(ctx)
	defer stop()
	go a.drives.RunScheduler(bg, cfg.Tick)
	go sweepLoop(bg, a, a.log)

	client := &bench.Client{Base: "http://" + ln.Addr().String(), Password: cfg.DemoPassword, Runs: runs}
	timings, err := client.Measure(ctx, built)
	if err != nil {
		return nil, "", err
	}
	note := fmt.Sprintf("built in %s (%d drives, %d submissions); bcrypt alone %s",
		buildTime.Round(time.Second), len(built.Drives), built.Submissions, bcryptTime(cfg.DemoPassword, runs).Round(time.Millisecond))
	if idle > 0 {
		cpu := cpuTime()
		time.Sleep(idle)
		note += fmt.Sprintf("; idle: %.1f CPU-s in %s", (cpuTime() - cpu).Seconds(), idle)
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	note += fmt.Sprintf("; heap in use %d MB, peak RSS %s", m.HeapInuse>>20, peakRSS())
	return timings, note, nil
}

// splitFlags takes the flags fs defines ("-name value" or "-name=value")
// out of args and returns them apart from the others.
func splitFlags(args []string, fs *flag.FlagSet) (own, rest []string) {
	for i := 0; i < len(args); i++ {
		name, _, hasValue := strings.Cut(strings.TrimLeft(args[i], "-"), "=")
		to := &rest
		if strings.HasPrefix(args[i], "-") && fs.Lookup(name) != nil {
			to = &own
		}
		*to = append(*to, args[i])
		if strings.HasPrefix(args[i], "-") && !hasValue && i+1 < len(args) && !strings.HasPrefix(args[i+1], "-") {
			*to = append(*to, args[i+1])
			i++
		}
	}
	return own, rest
}

// bcryptTime is the median time bcrypt takes to check a password at the
// cost sign-in uses: the part of a sign-in no design removes.
func bcryptTime(password string, runs int) time.Duration {
	hash, _ := bcrypt.GenerateFromPassword([]byte(password), bcrypt.DefaultCost)
	var times []time.Duration
	for range max(runs, 1) {
		start := time.Now()
		_ = bcrypt.CompareHashAndPassword(hash, []byte(password))
		times = append(times, time.Since(start))
	}
	slices.Sort(times)
	return times[len(times)/2]
}

// cpuTime is the CPU time this process has used, user and system.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// peakRSS reads the process's peak resident memory from /proc.
func peakRSS() string {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return "unknown"
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}
