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
)

// shell lists what the service worker caches for offline use: every file
// but the worker itself and licence texts, with "./" for the page.
func shell(all map[string][]byte) ([]string, string) {
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
	for _, p := range names {
		if p != "index.html" {
			list = append(list, p)
		}
	}
	return list, hex.EncodeToString(h.Sum(nil))[:12]
}

func TestServiceWorkerShell(t *testing.T) {
	all := files(t)
	list, version := shell(all)
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
	var raw, zipped int
	for _, b := range files(t) {
		var buf bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
		zw.Write(b)
		zw.Close()
		raw += len(b)
		zipped += buf.Len()
	}
	t.Logf("first visit: %d files, %.1f KB raw, %.1f KB gzipped (budget %d KB)", len(files(t)), float64(raw)/1024, float64(zipped)/1024, budget/1024)
	if zipped > budget {
		t.Errorf("the client is %d bytes gzipped, over the %d byte budget", zipped, budget)
	}
}
