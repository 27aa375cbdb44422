package store_test

import (
	"context"
	"testing"

	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

func TestReopenKeepsIndexes(t *testing.T) {
	ctx := context.Background()
	for i := range 3 {
		s, err := store.Open(ctx, storetest.URI(), "reopen_test")
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if i == 2 {
			_ = s.Drop(ctx)
		}
		_ = s.Close(ctx)
	}
}
