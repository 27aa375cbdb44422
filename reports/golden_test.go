package reports

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sheetSnapshot is what a golden file records of one sheet. Each cell reads
// "REF TYPE VALUE" plus "fmt=…" (number format), "bold", "fill=…", and
// "shown=…" where the displayed text differs from the stored value.
type sheetSnapshot struct {
	Name        string            `json:"name"`
	Panes       string            `json:"panes"`
	AutoFilter  string            `json:"autoFilter,omitempty"`
	Widths      map[string]string `json:"widths"`
	Conditional map[string]string `json:"conditional,omitempty"`
	Rows        [][]string        `json:"rows"`
}

func openBook(t *testing.T, data []byte) *excelize.File {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func snapshot(t *testing.T, f *excelize.File, sheet string) sheetSnapshot {
	t.Helper()
	snap := sheetSnapshot{Name: sheet, Widths: map[string]string{}}
	p, err := f.GetPanes(sheet)
	if err != nil {
		t.Fatal(err)
	}
	snap.Panes = fmt.Sprintf("freeze=%v x=%d y=%d top=%s", p.Freeze, p.XSplit, p.YSplit, p.TopLeftCell)
	idx, _ := f.GetSheetIndex(sheet)
	for _, d := range f.GetDefinedName() {
		if d.Name == "_xlnm._FilterDatabase" && d.Scope == sheet || d.Name == "_xlnm._FilterDatabase" && d.Scope == fmt.Sprint(idx) {
			snap.AutoFilter = d.RefersTo
		}
	}
	cfs, err := f.GetConditionalFormats(sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(cfs) > 0 {
		snap.Conditional = map[string]string{}
		for ref, opts := range cfs {
			for _, o := range opts {
				fill := ""
				if o.Format != nil {
					if st, err := f.GetConditionalStyle(*o.Format); err == nil && len(st.Fill.Color) > 0 {
						fill = " fill=" + strings.Join(st.Fill.Color, ",")
					}
				}
				snap.Conditional[ref] += fmt.Sprintf("%s %s %s%s", o.Type, o.Criteria, o.Value, fill)
			}
		}
	}
	rows, err := f.GetRows(sheet, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	for r, row := range rows {
		var cells []string
		for c := range row {
			ref, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if s := cellSnapshot(t, f, sheet, ref); s != "" {
				cells = append(cells, s)
			}
			if r == 0 {
				col, _ := excelize.ColumnNumberToName(c + 1)
				w, _ := f.GetColWidth(sheet, col)
				snap.Widths[col] = fmt.Sprint(w)
			}
		}
		snap.Rows = append(snap.Rows, cells)
	}
	return snap
}

func cellSnapshot(t *testing.T, f *excelize.File, sheet, ref string) string {
	raw, err := f.GetCellValue(sheet, ref, excelize.Options{RawCellValue: true})
	if err != nil {
		t.Fatal(err)
	}
	shown, _ := f.GetCellValue(sheet, ref)
	typ, _ := f.GetCellType(sheet, ref)
	if formula, _ := f.GetCellFormula(sheet, ref); formula != "" {
		return ref + " FORMULA " + formula
	}
	if raw == "" {
		return ""
	}
	kinds := map[excelize.CellType]string{
		excelize.CellTypeUnset: "n", excelize.CellTypeNumber: "n", excelize.CellTypeBool: "b",
		excelize.CellTypeInlineString: "s", excelize.CellTypeSharedString: "s", excelize.CellTypeFormula: "str",
		excelize.CellTypeDate: "d", excelize.CellTypeError: "e",
	}
	out := []string{ref, kinds[typ], fmt.Sprintf("%q", raw)}
	id, _ := f.GetCellStyle(sheet, ref)
	if st, err := f.GetStyle(id); err == nil && st != nil {
		switch {
		case st.CustomNumFmt != nil:
			out = append(out, "fmt="+*st.CustomNumFmt)
		case st.NumFmt != 0:
			out = append(out, fmt.Sprintf("fmt=#%d", st.NumFmt))
		}
		if st.Font != nil && st.Font.Bold {
			out = append(out, "bold")
		}
		if len(st.Fill.Color) > 0 {
			out = append(out, "fill="+strings.Join(st.Fill.Color, ","))
		}
	}
	if shown != raw {
		out = append(out, fmt.Sprintf("shown=%q", shown))
	}
	return strings.Join(out, " ")
}

// golden compares got with testdata/<name>.json, rewriting it with -update.
func golden(t *testing.T, name string, got any) {
	t.Helper()
	data, err := json.MarshalIndent(got, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	data = append(data, '\n')
	path := filepath.Join("testdata", name+".json")
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(want, data) {
		t.Errorf("%s differs from the golden file; run `go test ./reports -update` and review the diff.\ngot:\n%s", path, data)
	}
}

// zipParts lists the parts of an xlsx package with their contents.
func zipParts(t *testing.T, data []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, zf := range zr.File {
		rc, err := zf.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		_ = rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		parts[zf.Name] = string(b)
	}
	return parts
}

// charts returns the chart parts of a workbook, sorted by name.
func charts(t *testing.T, data []byte) []string {
	t.Helper()
	var out []string
	parts := zipParts(t, data)
	var names []string
	for name := range parts {
		if strings.HasPrefix(name, "xl/charts/chart") {
			names = append(names, name)
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, parts[n])
	}
	return out
}
