package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// BenchmarkInsertSubmission is the database side of one submission: the
// baseline the form engine's validation is compared with.
func BenchmarkInsertSubmission(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	values := forms.Values{"canteen": {}}
	for i := range 40 {
		values["canteen"][fmt.Sprintf("f%02d", i)] = float64(i)
	}
	b.ResetTimer()
	for i := range b.N {
		sub := &store.Submission{ID: fmt.Sprintf("bench-%d", i), Drive: "d", School: fmt.Sprintf("s%d", i),
			OrgPath: []string{"c", "d1", "s"}, Status: store.StatusSubmitted, Version: 1, Values: values, CreatedAt: time.Now()}
		if err := s.InsertSubmission(ctx, sub); err != nil {
			b.Fatal(err)
		}
	}
}
