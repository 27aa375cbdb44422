package web

import (
	"io/fs"
	"regexp"
	"strings"
	"testing"

	"github.com/tianbao-edu/tianbao/forms"
)

// TestTargetWords: every target of the catalog reads as words in the plan
// screens, from the field it bounds or from its own entry in words.js, so a
// bureau adjusting its plan never sees a key.
func TestTargetWords(t *testing.T) {
	words, err := fs.ReadFile(FS, "js/words.js")
	if err != nil {
		t.Fatal(err)
	}
	named := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^\s*target_(\w+):\s*\[`).FindAllStringSubmatch(string(words), -1) {
		named[m[1]] = true
	}
	catalog, err := forms.Catalog()
	if err != nil {
		t.Fatal(err)
	}
	for _, ind := range catalog {
		ids := map[string]bool{}
		var walk func([]forms.Field)
		walk = func(fs []forms.Field) {
			for _, f := range fs {
				ids[f.ID] = true
				walk(f.Fields)
			}
		}
		walk(ind.Fields)
		for key := range ind.Targets {
			base := strings.TrimSuffix(strings.TrimSuffix(key, "_min"), "_max")
			if !ids[key] && !ids[key+"_min"] && !ids[key+"_max"] && !ids[base] && !named[key] {
				t.Errorf("%s: target %s has no words (a field of that id or target_%s in words.js)", ind.Code, key, key)
			}
		}
	}
}
