package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

// TestFirstDayAnyDepth sets up, from an empty data directory, a county
// bureau with 镇街 units and schools right below it, and a city with
// districts and townships, through the documented commands: init, the
// school list with its unit paths (creating the units), the accounts of
// schools and units. A school of each level submits; progress and the
// workbook group by the units right below whoever asks, level by level.
func TestFirstDayAnyDepth(t *testing.T) {
	for _, c := range []struct {
		name, code, bureau, level string
		rows                      [][]any // code, name, unit path
		groups                    []string
		drill                     string // a unit's path to narrow to
		drillGroups               []string
	}{
		{"county with 镇街", "370283", "平度市教育局", "county",
			[][]any{{"0370283001", "平度市实验小学", ""}, {"0370283002", "李园街道中心小学", "李园街道"},
				{"0370283003", "同和街道第一小学", "同和街道"}, {"0370283004", "李园街道幼儿园", "李园街道"}},
			[]string{"平度市教育局直属", "李园街道", "同和街道"}, "李园街道", []string{"李园街道直属"}},
		{"city with districts and townships", "420200", "黄石市教育局", "city",
			[][]any{{"0420200001", "花湖小学", "黄石港区/花湖街道"}, {"0420200002", "黄石港小学", "黄石港区/黄石港街道"},
				{"0420200003", "西塞山区实验小学", "西塞山区"}, {"0420200004", "花湖幼儿园", "黄石港区/花湖街道"}},
			[]string{"黄石港区", "西塞山区"}, "黄石港区", []string{"花湖街道", "黄石港街道"}},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			common := []string{"-mongodb-uri", "", "-data", filepath.Join(dir, "data"), "-no-demo", "-log-level", "error"}
			cmd := func(name string, args ...string) []string { return append(append([]string{name}, common...), args...) }
			var out bytes.Buffer
			if err := run(ctx, cmd("init", "-code", c.code, "-name", c.bureau, "-level", c.level, "-admin", "root-admin"), &out); err != nil {
				t.Fatal(err)
			}
			adminOnce := onceLine.FindStringSubmatch(out.String())[1]
			rows := [][]any{{"学校代码", "学校名称", "所属单位", "学段", "办学性质", "城乡", "教室数", "学生数", "联系人", "联系电话"}}
			for _, r := range c.rows {
				stage := "小学"
				if strings.Contains(r[1].(string), "幼儿园") {
					stage = "幼儿园"
				}
				rows = append(rows, append(r, stage, "公办", "城区", 12, 400, "王老师", ""))
			}
			list := writeSheet(t, rows...)
			out.Reset()
			if err := run(ctx, cmd("import-schools", "-dry-run", list), &out); err == nil || !strings.Contains(err.Error(), "unit") && !strings.Contains(out.String(), "unit_unknown") {
				t.Fatalf("a list naming new units without -create-units: %v\n%s", err, out.String())
			}
			out.Reset()
			if err := run(ctx, cmd("import-schools", "-dry-run", "-create-units", list), &out); err != nil || !strings.Contains(out.String(), "units ") {
				t.Fatalf("dry run: %v\n%s", err, out.String())
			}
			for _, g := range c.groups {
				if !strings.HasSuffix(g, "直属") && !strings.Contains(out.String(), g) {
					t.Errorf("the dry run does not list the unit %s:\n%s", g, out.String())
				}
			}
			out.Reset()
			if err := run(ctx, cmd("import-schools", "-create-units", list), &out); err != nil || !strings.Contains(out.String(), "created   4") {
				t.Fatalf("import: %v\n%s", err, out.String())
			}
			sheet := filepath.Join(dir, "accounts.xlsx")
			if err := run(ctx, cmd("accounts", "-units", sheet), &out); err != nil {
				t.Fatal(err)
			}
			accounts := readAccounts(t, sheet)

			base, _, stop := start(t, common...)
			defer stop()
			admin := changePassword(t, base, "root-admin", adminOnce, "root password 2026")
			period := time.Now().In(shanghaiLoc(t)).Format("2006-01")
			plan := map[string]any{"id": "plan-depth", "name": "学校安全工作要点", "year": time.Now().Year(),
				"items": []map[string]any{{"indicator": "canteen"}, {"indicator": "bullying"}}}
			if status, body, _ := admin.call(http.MethodPost, "/api/v1/plans", plan); status != 201 {
				t.Fatalf("plan: %d %s", status, body)
			}
			status, body, _ := admin.call(http.MethodPost, "/api/v1/drives", map[string]any{"name": "月度填报 " + period, "plan": "plan-depth",
				"period": period, "dueAt": time.Now().Add(240 * time.Hour), "scope": map[string]string{"org": c.code}})
			var drive struct{ ID string }
			if _ = json.Unmarshal(body, &drive); status != 201 {
				t.Fatalf("drive: %d %s", status, body)
			}
			for _, code := range []string{c.rows[0][0].(string), c.rows[1][0].(string)} {
				school := changePassword(t, base, "school-"+code, accounts["school-"+code], "school password 1")
				_, form, _ := school.call(http.MethodGet, "/api/v1/drives/"+drive.ID+"/form", nil)
				if status, body, _ := school.call(http.MethodPost, "/api/v1/drives/"+drive.ID+"/submissions",
					map[string]any{"id": uuid.NewString(), "values": demoValues(t, form), "explanations": demoExplanations}); status != 201 {
					t.Fatalf("%s submits: %d %s", code, status, body)
				}
			}

			groups := func(cl *client, query string) ([]string, float64) {
				t.Helper()
				status, body, _ := cl.call(http.MethodGet, "/api/v1/drives/"+drive.ID+"/progress"+query, nil)
				var p struct {
					Total     struct{ Expected, Submitted float64 }
					Districts []struct{ DistrictName string }
				}
				if status != 200 || json.Unmarshal(body, &p) != nil {
					t.Fatalf("progress%s: %d %s", query, status, body)
				}
				var names []string
				for _, d := range p.Districts {
					names = append(names, d.DistrictName)
				}
				return names, p.Total.Expected
			}
			if got, n := groups(admin, ""); !sameSet(got, c.groups) || n != 4 {
				t.Errorf("the bureau's progress: %v of %v schools, want %v", got, n, c.groups)
			}
			unit := unitCode(t, admin, c.drill)
			if got, _ := groups(admin, "?under="+unit); !sameSet(got, c.drillGroups) {
				t.Errorf("narrowed to %s: %v, want %v", c.drill, got, c.drillGroups)
			}
			below := changePassword(t, base, "district-"+unit, accounts["district-"+unit], "unit password 1")
			if got, _ := groups(below, ""); !sameSet(got, c.drillGroups) {
				t.Errorf("%s's own progress: %v, want %v", c.drill, got, c.drillGroups)
			}
			status, book, _ := admin.call(http.MethodGet, "/api/v1/drives/"+drive.ID+"/export.xlsx", nil)
			if status != 200 {
				t.Fatalf("export: %d", status)
			}
			x, err := excelize.OpenReader(bytes.NewReader(book))
			if err != nil {
				t.Fatal(err)
			}
			defer x.Close()
			summary, _ := x.GetRows(x.GetSheetList()[0])
			text := ""
			for _, r := range summary {
				text += strings.Join(r, "|") + "\n"
			}
			for _, g := range c.groups {
				if !strings.Contains(text, g) {
					t.Errorf("the workbook's summary lacks %s:\n%s", g, text)
				}
			}
		})
	}
}

// unitCode finds a unit's code by its path of names, through the org list.
func unitCode(t *testing.T, cl *client, path string) string {
	t.Helper()
	status, body, _ := cl.call(http.MethodGet, "/api/v1/orgs", nil)
	var list struct {
		Orgs []struct{ ID, Name, Kind string }
	}
	if status != 200 || json.Unmarshal(body, &list) != nil {
		t.Fatalf("orgs: %d %s", status, body)
	}
	name := path[strings.LastIndex(path, "/")+1:]
	for _, o := range list.Orgs {
		if o.Name == name && o.Kind != "school" {
			return o.ID
		}
	}
	t.Fatalf("no unit %s in %s", path, body)
	return ""
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}
