package web

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the service worker's VERSION and SHELL from the files")

// budget is the most a first visit may transfer, gzipped.
const budget = 100 * 1024

func files(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	err := fs.WalkDir(FS, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(FS, p)
		out[p] = b
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func TestEmbeddedFiles(t *testing.T) {
	all := files(t)
	for _, p := range []string{"index.html", "sw.js", "app.css", "manifest.webmanifest", "js/app.js", "js/rules.js", "vendor/logic.js", "vendor/json-logic-js.LICENSE"} {
		if len(all[p]) == 0 {
			t.Errorf("%s is missing or empty", p)
		}
	}
}

var (
	refAttr     = regexp.MustCompile(`(?i)\b(?:src|href)\s*=\s*"([^"]*)"`)
	scriptTag   = regexp.MustCompile(`(?is)<script\b([^>]*)>(.*?)</script>`)
	inlineStyle = regexp.MustCompile(`(?i)<style\b|\sstyle\s*=|\son[a-z]+\s*=`)
)

func TestIndexReferencesOnlyLocalAssets(t *testing.T) {
	all := files(t)
	html := string(all["index.html"])
	for _, m := range refAttr.FindAllStringSubmatch(html, -1) {
		ref := m[1]
		if strings.Contains(ref, "//") || strings.HasPrefix(ref, "data:") || strings.Contains(ref, ":") {
			t.Errorf("index.html refers to a non-local asset %q", ref)
			continue
		}
		if _, ok := all[strings.TrimPrefix(path.Clean(ref), "/")]; !ok {
			t.Errorf("index.html refers to %q, which is not embedded", ref)
		}
	}
	for _, m := range scriptTag.FindAllStringSubmatch(html, -1) {
		if strings.TrimSpace(m[2]) != "" || !strings.Contains(m[1], "src=") {
			t.Errorf("inline script in index.html: %q", m[0])
		}
	}
	if inlineStyle.MatchString(html) {
		t.Error("index.html has inline styles or event handler attributes, which the CSP forbids")
	}
}

// TestNoMarkupFromData keeps data out of innerHTML and friends.
func TestNoMarkupFromData(t *testing.T) {
	bad := regexp.MustCompile(`\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML|document\.write|\beval\(|new Function\(`)
	for p, b := range files(t) {
		if strings.HasSuffix(p, ".js") && !strings.HasPrefix(p, "vendor/") && bad.Match(b) {
			t.Errorf("%s builds markup from strings or evaluates code", p)
		}
	}
}

var (
	versionLine = regexp.MustCompile(`(?m)^const VERSION = '[0-9a-f]*';$`)
	shellLine   = regexp.MustCompile(`(?m)^const SHELL = \[.*\];$`)
	// staticImport and dynamicImport find the modules a module loads at
	// once and those it loads when asked.
	staticImport  = regexp.MustCompile(`(?m)^(?:import|export)\s[^;]*?['"](\./[^'"]+\.js)['"]`)
	dynamicImport = regexp.MustCompile(`\bimport\(\s*['"](\./[^'"]+\.js)['"]\s*\)`)
)

// firstVisit lists what a first visit loads: index.html, what it refers
// to, every module those modules import statically, and the service
// worker the page registers. Modules imported with import() (the bureau's
// screens) are left for when they are opened.
func firstVisit(t *testing.T, all map[string][]byte) []string {
	t.Helper()
	seen := map[string]bool{"index.html": true}
	queue := []string{"sw.js"}
	for _, m := range refAttr.FindAllStringSubmatch(string(all["index.html"]), -1) {
		queue = append(queue, strings.TrimPrefix(path.Clean(m[1]), "/"))
	}
	for len(queue) > 0 {
		p := queue[0]
		queue = queue[1:]
		if seen[p] {
			continue
		}
		if _, ok := all[p]; !ok {
			t.Errorf("%s is loaded on a first visit but is not embedded", p)
			continue
		}
		seen[p] = true
		if strings.HasSuffix(p, ".js") {
			for _, m := range staticImport.FindAllStringSubmatch(string(all[p]), -1) {
				queue = append(queue, path.Join(path.Dir(p), m[1]))
			}
		}
	}
	var out []string
	for p := range seen {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}

// shell lists what the service worker caches when it installs: the first
// visit's files, with "./" for the page. VERSION covers every file, so any
// change brings a new worker; modules loaded on demand are cached by the
// worker when first fetched.
func shell(t *testing.T, all map[string][]byte) ([]string, string) {
	var names []string
	for p := range all {
		if p != "sw.js" && !strings.HasSuffix(p, ".LICENSE") {
			names = append(names, p)
		}
	}
	sort.Strings(names)
	h := sha256.New()
	for _, p := range names {
		fmt.Fprintf(h, "%s\x00%d\x00", p, len(all[p]))
		h.Write(all[p])
	}
	list := []string{"./"}
	for _, p := range firstVisit(t, all) {
		if p != "index.html" && p != "sw.js" {
			list = append(list, p)
		}
	}
	return list, hex.EncodeToString(h.Sum(nil))[:12]
}

// TestEveryModuleIsLoaded: every module is loaded on a first visit or by
// an import() of a module that is, so none is dead weight and none is
// missing from both.
func TestEveryModuleIsLoaded(t *testing.T) {
	all := files(t)
	loaded := map[string]bool{}
	for _, p := range firstVisit(t, all) {
		loaded[p] = true
	}
	for changed := true; changed; {
		changed = false
		for p := range loaded {
			if !strings.HasSuffix(p, ".js") {
				continue
			}
			for _, re := range []*regexp.Regexp{staticImport, dynamicImport} {
				for _, m := range re.FindAllStringSubmatch(string(all[p]), -1) {
					q := path.Join(path.Dir(p), m[1])
					if _, ok := all[q]; !ok {
						t.Errorf("%s imports %s, which is not embedded", p, q)
					} else if !loaded[q] {
						loaded[q], changed = true, true
					}
				}
			}
		}
	}
	for p := range all {
		if strings.HasPrefix(p, "js/") && !loaded[p] {
			t.Errorf("%s is never loaded", p)
		}
	}
}

func TestServiceWorkerShell(t *testing.T) {
	all := files(t)
	list, version := shell(t, all)
	quoted := make([]string, len(list))
	for i, p := range list {
		quoted[i] = "'" + p + "'"
	}
	want := string(all["sw.js"])
	want = versionLine.ReplaceAllLiteralString(want, "const VERSION = '"+version+"';")
	want = shellLine.ReplaceAllLiteralString(want, "const SHELL = ["+strings.Join(quoted, ", ")+"];")
	if want == string(all["sw.js"]) {
		return
	}
	if *update {
		if err := os.WriteFile("static/sw.js", []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("static/sw.js updated; run the tests again")
		return
	}
	t.Error("static/sw.js lists stale files or an old VERSION: run `go test ./web -run ServiceWorker -update`")
}

func TestFirstVisitBudget(t *testing.T) {
	all := files(t)
	first := firstVisit(t, all)
	raw, zipped := size(all, first)
	var rest []string
	for p := range all {
		if !slices.Contains(first, p) && !strings.HasSuffix(p, ".LICENSE") {
			rest = append(rest, p)
		}
	}
	restRaw, restZipped := size(all, rest)
	t.Logf("first visit: %d files, %.1f KB raw, %.1f KB gzipped (budget %d KB); on demand: %d files, %.1f KB raw, %.1f KB gzipped",
		len(first), float64(raw)/1024, float64(zipped)/1024, budget/1024, len(rest), float64(restRaw)/1024, float64(restZipped)/1024)
	if zipped > budget {
		t.Errorf("a first visit loads %d bytes gzipped, over the %d byte budget", zipped, budget)
	}
}

// size sums the files' sizes, as they are and gzipped one by one (as they
// travel).
func size(all map[string][]byte, names []string) (raw, zipped int) {
	for _, p := range names {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(all[p])
		zw.Close()
		raw += len(all[p])
		zipped += buf.Len()
	}
	return raw, zipped
}
