package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// benchSchools is the city of the hazard benchmarks: 5,000 schools, each
// with two open hazards.
const benchSchools = 5000

func benchReport(school string, n int) *store.HazardReport {
	r := &store.HazardReport{School: school, Drive: "monthly-2026-11", Submission: "sub-" + school, Version: n, At: time.Now(), By: "school-" + school}
	for i := range 2 {
		r.Rows = append(r.Rows, map[string]any{"hazard_id": fmt.Sprintf("2026-11-%04d", i), "category": "fire", "place": "教学楼一楼东侧楼梯间",
			"description": "灭火器压力不足，需更换", "found_on": "2026-11-03", "level": "general", "measure": "更换灭火器并复查",
			"responsible": "王老师", "deadline": fmt.Sprintf("2026-11-%02d", 10+n%20), "status": "open"})
	}
	return r
}

// BenchmarkOpenHazards lists the open hazards of a 5,000-school city from
// the board (a few documents read by _id); the baseline reads every
// school's ledger by _id, the cheapest read there is without the board.
// "apply" is one report written into a school's ledger and the board.
func BenchmarkOpenHazards(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	schools := make([]string, benchSchools)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := w; i < benchSchools; i += 4 {
				schools[i] = fmt.Sprintf("0%09d", i)
				if err := s.ApplyHazards(ctx, benchReport(schools[i], 1)); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		b.Fatal(err)
	}
	b.Run("board", func(b *testing.B) {
		for range b.N {
			open, err := s.OpenHazards(ctx)
			if err != nil || len(open) != benchSchools {
				b.Fatalf("%d schools, %v", len(open), err)
			}
		}
	})
	b.Run("ledgers by _id", func(b *testing.B) {
		for range b.N {
			n := 0
			for _, school := range schools {
				hs, err := s.Hazards(ctx, school)
				if err != nil {
					b.Fatal(err)
				}
				n += len(hs)
			}
			if n != 2*benchSchools {
				b.Fatalf("%d hazards", n)
			}
		}
	})
	b.Run("apply", func(b *testing.B) {
		for i := range b.N {
			if err := s.ApplyHazards(ctx, benchReport(schools[i%benchSchools], 2+i)); err != nil {
				b.Fatal(err)
			}
		}
	})
}
