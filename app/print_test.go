package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/bench"
	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/forms"
	"github.com/tianbao-edu/tianbao/store"
	"github.com/tianbao-edu/tianbao/store/storetest"
)

// demoExports seeds the demo city into a fresh database, has all but a few
// of its 27 schools answer this month's drive as their staff would, and
// returns the drive's workbook as the city bureau and as the first
// district download it.
func demoExports(t *testing.T) (city, district []byte) {
	t.Helper()
	ctx := context.Background()
	db := fmt.Sprintf("print_%d", time.Now().UnixNano())
	cfg, _, err := loadConfig([]string{"-mongodb-uri", storetest.URI(), "-db", db, "-log-level", "error"})
	if err != nil {
		t.Fatal(err)
	}
	err = withApp(ctx, cfg, slog.New(slog.DiscardHandler), func(a *application) error {
		defer func() { _ = a.store.Drop(context.Background()) }()
		city, district = demoAnswersAndExports(t, ctx, a, cfg)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return city, district
}

func demoAnswersAndExports(t *testing.T, ctx context.Context, a *application, cfg *config) (city, district []byte) {
	t.Helper()
	if err := seedDemo(ctx, a, cfg, io.Discard, true); err != nil {
		t.Fatal(err)
	}
	now := time.Now().In(a.drives.Loc)
	d, err := a.store.Drive(ctx, "monthly-"+now.Format("2006-01"))
	if err != nil {
		t.Fatal(err)
	}
	admin := &store.User{ID: "admin", Role: store.RoleAdmin, Org: demoCity, OrgPath: []string{demoCity}}
	tree, err := a.store.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for i, school := range tree.Schools(demoCity) {
		if i%7 == 3 {
			continue // a few schools have not answered yet
		}
		f, _, _, err := a.drives.SchoolForm(ctx, admin, d.ID, school.ID)
		if err != nil {
			t.Fatal(err)
		}
		env := forms.Env{School: forms.School{Code: school.ID, Stages: school.Stages, Classrooms: school.Classrooms,
			Students: school.Students, Public: school.Public, Urban: school.Urban}}
		values, bad := bench.NewAnswerer(f, env, uint64(i), now).Answer()
		if len(bad) > 0 {
			t.Fatalf("%s: the answerer left %v", school.ID, bad)
		}
		raw, _ := json.Marshal(values)
		u := &store.User{ID: "school-" + school.ID, Role: store.RoleSchool, Org: school.ID, OrgPath: school.Path}
		if _, _, err := a.drives.Create(ctx, u, d.ID, drives.SubmitInput{ID: uuid.NewString(), Values: raw}); err != nil {
			t.Fatalf("%s: %v", school.ID, err)
		}
	}
	export := func(u *store.User) []byte {
		var buf bytes.Buffer
		if err := a.drives.Export(ctx, u, d, nil, &buf, nil); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	dist := demoDistricts[0].id
	return export(admin), export(&store.User{ID: "district-" + dist, Role: store.RoleDistrict, Org: dist,
		OrgPath: []string{demoCity, dist}})
}

// tool finds a command the printing test needs: the test is skipped
// without it, or fails when CI=true (.ci/run installs it from Debian).
func tool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not found: CI must print the demo workbook (Debian's %s)", name, pkg)
		}
		t.Skipf("%s not found (Debian's %s): skipping the printed workbook", name, pkg)
	}
	return path
}

var (
	pageFooter = regexp.MustCompile(`(?m)^\s*(\S+)\s+第 \d+ 页 共 \d+ 页\s*$`)
	schoolName = regexp.MustCompile(`(城东区|城西区|南山县)\S*(幼儿园|小学|中学|学校)`)
)

// TestDemoWorkbookPrints prints the demo city's workbook of this month, as
// the city and as a district download it, with LibreOffice: one-row-per-
// school sheets take at most two A4 pages (one page tall) for 27 schools,
// every page names its sheet in the footer, and every page of an indicator
// sheet shows the school-name column with the schools' names.
func TestDemoWorkbookPrints(t *testing.T) {
	soffice := tool(t, "soffice", "libreoffice-calc")
	pdftotext := tool(t, "pdftotext", "poppler-utils")
	city, district := demoExports(t)
	for name, data := range map[string][]byte{"city": city, "district": district} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			book := filepath.Join(dir, name+".xlsx")
			if err := os.WriteFile(book, data, 0o644); err != nil {
				t.Fatal(err)
			}
			convert := exec.Command(soffice, "-env:UserInstallation=file://"+filepath.Join(dir, "profile"),
				"--headless", "--convert-to", "pdf", "--outdir", dir, book)
			if out, err := convert.CombinedOutput(); err != nil {
				t.Fatalf("soffice: %v\n%s", err, out)
			}
			text, err := exec.Command(pdftotext, "-layout", filepath.Join(dir, name+".pdf"), "-").Output()
			if err != nil {
				t.Fatalf("pdftotext: %v", err)
			}
			x, err := excelize.OpenReader(bytes.NewReader(data))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			pages, schoolsOnPage := map[string]int{}, map[string]int{}
			for i, page := range strings.Split(strings.TrimSuffix(string(text), "\f"), "\f") {
				m := pageFooter.FindStringSubmatch(page)
				if m == nil {
					t.Errorf("page %d has no footer naming its sheet:\n%s", i+1, page)
					continue
				}
				sheet := m[1]
				pages[sheet]++
				if indicatorSheet(sheet) && (!strings.Contains(page, "学校名称") || !schoolName.MatchString(page)) {
					t.Errorf("page %d (%s, its page %d) lacks the school-name column:\n%s", i+1, sheet, pages[sheet], page)
				}
				if indicatorSheet(sheet) && !strings.Contains(sheet, "-") {
					n := len(schoolName.FindAllString(page, -1))
					if first, ok := schoolsOnPage[sheet]; ok && first != n {
						t.Errorf("%s: its page %d shows %d schools, its first %d: the rows broke across pages", sheet, pages[sheet], n, first)
					}
					schoolsOnPage[sheet] = n
				}
			}
			for _, sheet := range x.GetSheetList() {
				n := pages[sheet]
				switch {
				case n == 0:
					t.Errorf("sheet %s did not print", sheet)
				case n > 2 && !strings.Contains(sheet, "-") && sheet != "不达标":
					t.Errorf("sheet %s printed on %d pages, want at most 2 for %d schools", sheet, n, len(demoDistricts)*len(demoSchools))
				}
			}
			t.Logf("pages per sheet: %v", pages)
		})
	}
}

// indicatorSheet tells the sheets of indicators (and their repeat groups)
// from the workbook's fixed sheets.
func indicatorSheet(name string) bool {
	switch name {
	case "汇总", "上报表", "未提交", "不达标", "异常值说明", "数据质量":
		return false
	}
	return true
}
