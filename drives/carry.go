package drives

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
)

// samePrevious lists the fields of a form ("canteen.canteen_staff"),
// computed ones aside, answered exactly as in the previous period: what the
// reviewer sees as carried over rather than newly reported.
func samePrevious(f *forms.Form, prev, values forms.Values) []string {
	var out []string
	for _, sec := range f.Sections {
		for _, fd := range sec.Fields {
			if fd.Type == forms.Computed {
				continue
			}
			was, ok := prev[sec.Indicator][fd.ID]
			now, ok2 := values[sec.Indicator][fd.ID]
			if ok && ok2 && sameValue(was, now) {
				out = append(out, sec.Indicator+"."+fd.ID)
			}
		}
	}
	sort.Strings(out)
	return out
}

// sameValue compares two answers as JSON: a number read back from the
// database equals the one validated, whatever its Go type.
func sameValue(a, b any) bool {
	x, err1 := json.Marshal(a)
	y, err2 := json.Marshal(b)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// explainedSet is the fields given a 说明, for rules reading explained.*.
func explainedSet(explanations map[string]string) map[string]bool {
	out := map[string]bool{}
	for path, text := range explanations {
		if strings.TrimSpace(text) != "" {
			out[path] = true
		}
	}
	return out
}

// storedExplanations are the explanations a submission holds, by field.
func storedExplanations(sub *store.Submission) map[string]string {
	out := map[string]string{}
	for _, a := range sub.Anomalies {
		if a.Explanation != "" {
			out[a.Field] = a.Explanation
		}
	}
	return out
}
