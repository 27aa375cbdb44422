package forms

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden and testdata/anomaly_cases.json")

// testPlan selects the core indicators as a bureau's plan would.
func testPlan() Plan {
	return Plan{ID: "2026-demo", Name: "2026 年度学校安全与健康工作计划", Year: 2026, Items: []PlanItem{
		{Indicator: "canteen"},
		{Indicator: "bullying"},
		{Indicator: "lighting", Frequency: Monthly},
		{Indicator: "hazards"},
		{Indicator: "activity"},
		{Indicator: "myopia"},
		{Indicator: "fitness", Targets: map[string]float64{"good_rate": 55}},
	}}
}

func mustGenerate(t testing.TB, p Plan, freq string, stages ...string) *Form {
	t.Helper()
	f, err := Generate(p, mustCatalog(t), freq, stages)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func golden(t *testing.T, name string, f *Form) {
	t.Helper()
	var buf bytes.Buffer
	if err := json.Indent(&buf, f.JSON(), "", "  "); err != nil {
		t.Fatal(err)
	}
	buf.WriteByte('\n')
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./forms -run TestGolden -update)", err)
	}
	if !bytes.Equal(buf.Bytes(), want) {
		t.Errorf("%s differs from the generated form; rerun with -update if the change is intended", path)
	}
}

func TestGoldenForms(t *testing.T) {
	p := Plan{ID: "2026-golden", Name: "2026 年度工作计划", Year: 2026, Items: []PlanItem{
		{Indicator: "canteen"}, {Indicator: "bullying"}, {Indicator: "lighting", Frequency: Monthly},
	}}
	golden(t, "monthly_primary.json", mustGenerate(t, p, Monthly, Primary))
	golden(t, "monthly_kindergarten.json", mustGenerate(t, p, Monthly, Kindergarten))
}

func TestGenerateKindergartenHasNoBullyingOrLighting(t *testing.T) {
	f := mustGenerate(t, testPlan(), Monthly, Kindergarten)
	var codes []string
	for _, s := range f.Sections {
		codes = append(codes, s.Indicator)
	}
	if !slices.Equal(codes, []string{"canteen", "hazards", "activity"}) {
		t.Fatalf("kindergarten monthly sections = %v", codes)
	}
	for _, s := range f.Sections {
		for _, fl := range s.Fields {
			if fl.ID == "pe_days" {
				t.Error("kindergarten form carries the PE-lesson field")
			}
		}
	}
}

func TestGenerateSectionsAndTargets(t *testing.T) {
	p := testPlan()
	monthly := mustGenerate(t, p, Monthly, Senior, Primary, Primary)
	var codes []string
	for _, s := range monthly.Sections {
		codes = append(codes, s.Indicator)
	}
	if want := []string{"canteen", "bullying", "lighting", "hazards", "activity"}; !slices.Equal(codes, want) {
		t.Fatalf("sections = %v, want %v (plan order, lighting overridden to monthly)", codes, want)
	}
	if !slices.Equal(monthly.Stages, []string{Primary, Senior}) {
		t.Errorf("stages = %v, want canonical order without duplicates", monthly.Stages)
	}
	yearly := mustGenerate(t, p, Yearly, Primary)
	if len(yearly.Sections) != 1 || yearly.Sections[0].Targets["good_rate"] != 55 {
		t.Fatalf("plan target not applied: %+v", yearly.Sections)
	}
	termly := mustGenerate(t, p, Termly, Junior)
	if len(termly.Sections) != 1 || termly.Sections[0].Indicator != "myopia" {
		t.Fatalf("termly sections = %+v, want myopia only (lighting moved to monthly)", termly.Sections)
	}
	if _, err := Generate(p, mustCatalog(t), Weekly, []string{Primary}); err == nil {
		t.Error("a form without sections must be an error")
	}
	if _, err := Generate(p, mustCatalog(t), Monthly, []string{"college"}); err == nil {
		t.Error("an unknown stage must be an error")
	}
	bad := p
	bad.Items = append(slices.Clone(p.Items), PlanItem{Indicator: "nope"})
	if _, err := Generate(bad, mustCatalog(t), Monthly, []string{Primary}); err == nil {
		t.Error("a plan naming an unknown indicator must be an error")
	}
}

func TestGenerateDeterministic(t *testing.T) {
	a := mustGenerate(t, testPlan(), Monthly, Primary, Junior)
	for range 20 {
		b := mustGenerate(t, testPlan(), Monthly, Junior, Primary)
		if !bytes.Equal(a.JSON(), b.JSON()) {
			t.Fatal("same input gave different JSON")
		}
	}
	if len(a.Version) != 16 || strings.Trim(a.Version, "0123456789abcdef") != "" {
		t.Errorf("version %q is not 16 hex digits", a.Version)
	}
	if a.Version != a.hash() {
		t.Error("version is not the content hash")
	}
	p := testPlan()
	p.Items[0].Targets = map[string]float64{"sample_grams": 150}
	if c := mustGenerate(t, p, Monthly, Primary, Junior); c.Version == a.Version {
		t.Error("a changed target must change the version")
	}
}

func TestFormJSONRoundTrip(t *testing.T) {
	a := mustGenerate(t, testPlan(), Monthly, Primary)
	var b Form
	if err := json.Unmarshal(a.JSON(), &b); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.JSON(), b.JSON()) || b.hash() != a.Version {
		t.Error("a stored and reloaded form must keep its bytes and version")
	}
}
