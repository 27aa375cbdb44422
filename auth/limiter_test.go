package auth

import (
	"testing"

	"github.com/tianbao-edu/tianbao/fail"
)

// TestAdmitCountsNothing: Admit refuses an address over its rate without
// counting an attempt of its own; Login counts.
func TestAdmitCountsNothing(t *testing.T) {
	a := New(nil, nil)
	for range 100 {
		if err := a.Admit("10.9.9.9"); err != nil {
			t.Fatalf("admitting before any attempt: %v", err)
		}
	}
	for range 30 {
		a.limiter.take("10.9.9.9")
	}
	if err := a.Admit("10.9.9.9"); !fail.Is(err, fail.TooMany) {
		t.Fatalf("over the rate: %v", err)
	}
}
