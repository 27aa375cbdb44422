package drives

import (
	"errors"
	"testing"

	"github.com/tianbao-edu/tianbao/fail"
)

// TestReportGate: two reports per user and four in all are built at once;
// the next gets 429 with a time to retry until a place is given back.
func TestReportGate(t *testing.T) {
	g := reportGate{PerUser: 2, InAll: 4}
	var leaves []func()
	enter := func(user string, ok bool) {
		t.Helper()
		leave, err := g.enter(user)
		if ok != (err == nil) {
			t.Fatalf("%s: err %v, want ok=%v", user, err, ok)
		}
		if err != nil {
			var fe *fail.Error
			if !errors.As(err, &fe) || fe.Code != fail.TooMany || fe.RetryAfter <= 0 {
				t.Fatalf("%s: %v is not 429 with a retry time", user, err)
			}
			return
		}
		leaves = append(leaves, leave)
	}
	enter("a", true)
	enter("a", true)
	enter("a", false) // a's two places are taken
	enter("b", true)
	enter("c", true)
	enter("d", false) // four in all
	leaves[0]()
	leaves[0]() // giving a place back twice gives it back once
	enter("d", true)
	enter("a", false)
	enter("e", false)
	leaves[1]()
	enter("a", true)
}
