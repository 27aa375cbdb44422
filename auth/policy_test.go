package auth

import (
	"testing"
	"time"
)

// TestCountersForgetWithinAttemptsKept: each counter's delays start after
// its free failures, double up to its longest, and its most remembered
// failures are forgotten before the sweep removes its attempts (else a
// sweep would forgive a guesser early).
func TestCountersForgetWithinAttemptsKept(t *testing.T) {
	for _, p := range []policy{perAddress, perAccount, perChange} {
		t.Run(p.kind, func(t *testing.T) {
			if d := p.delay(p.free - 1); d != 0 {
				t.Errorf("delay after %d failures: %s, want none", p.free-1, d)
			}
			if d := p.delay(p.free); d != p.base {
				t.Errorf("delay after %d failures: %s, want %s", p.free, d, p.base)
			}
			if d := p.delay(p.free + 1); d != 2*p.base {
				t.Errorf("delay after %d failures: %s, want %s", p.free+1, d, 2*p.base)
			}
			if d := p.delay(p.most() - 1); d != p.max {
				t.Errorf("delay at the most failures remembered: %s, want %s", d, p.max)
			}
			if forgotten := time.Duration(p.most()) * p.forget; forgotten > AttemptsKept {
				t.Errorf("%d failures take %s to forget, longer than attempts are kept (%s)", p.most(), forgotten, AttemptsKept)
			}
		})
	}
}
