package reports

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"encoding/xml"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/xuri/excelize/v2"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sheetSnapshot is what a golden file records of one sheet. Each cell reads
// "REF TYPE VALUE" plus "fmt=…" (number format), "bold", "fill=…", and
// "shown=…" where the displayed text differs from the stored value.
// Dimension is the used range the sheet declares; Print its page setup,
// print titles and area, footer and page breaks; Heights the rows given a
// height.
type sheetSnapshot struct {
	Name        string            `json:"name"`
	Dimension   string            `json:"dimension"`
	Panes       string            `json:"panes"`
	AutoFilter  string            `json:"autoFilter,omitempty"`
	Print       []string          `json:"print"`
	Merged      []string          `json:"merged,omitempty"`
	Heights     map[string]string `json:"heights,omitempty"`
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
	books.Store(f, data)
	t.Cleanup(func() {
		books.Delete(f)
		_ = f.Close()
	})
	return f
}

func snapshot(t *testing.T, f *excelize.File, sheet string) sheetSnapshot {
	t.Helper()
	snap := sheetSnapshot{Name: sheet, Widths: map[string]string{}, Print: printSnapshot(t, f, sheet)}
	var err error
	if snap.Dimension, err = f.GetSheetDimension(sheet); err != nil {
		t.Fatal(err)
	}
	merged, err := f.GetMergeCells(sheet)
	if err != nil {
		t.Fatal(err)
	}
	hidden := map[string]bool{} // cells a merge covers, but its first
	for _, m := range merged {
		snap.Merged = append(snap.Merged, m.GetStartAxis()+":"+m.GetEndAxis())
		c1, r1, _ := excelize.CellNameToCoordinates(m.GetStartAxis())
		c2, r2, _ := excelize.CellNameToCoordinates(m.GetEndAxis())
		for r := r1; r <= r2; r++ {
			for c := c1; c <= c2; c++ {
				if c != c1 || r != r1 {
					ref, _ := excelize.CoordinatesToCellName(c, r)
					hidden[ref] = true
				}
			}
		}
	}
	sort.Strings(snap.Merged)
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
			if hidden[ref] {
				continue
			}
			if s := cellSnapshot(t, f, sheet, ref); s != "" {
				cells = append(cells, s)
			}
			col, _ := excelize.ColumnNumberToName(c + 1)
			if _, ok := snap.Widths[col]; !ok {
				w, _ := f.GetColWidth(sheet, col)
				snap.Widths[col] = fmt.Sprint(w)
			}
		}
		snap.Rows = append(snap.Rows, cells)
		if h, err := f.GetRowHeight(sheet, r+1); err == nil && h != 15 {
			if snap.Heights == nil {
				snap.Heights = map[string]string{}
			}
			snap.Heights[fmt.Sprint(r+1)] = fmt.Sprint(h)
		}
	}
	return snap
}

var breakID = regexp.MustCompile(`<brk id="(\d+)"`)

// printSnapshot reads how a sheet prints: paper and orientation, fitting or
// scale, margins, footer, print titles and area, page breaks.
func printSnapshot(t *testing.T, f *excelize.File, sheet string) []string {
	t.Helper()
	layout, err := f.GetPageLayout(sheet)
	if err != nil {
		t.Fatal(err)
	}
	props, err := f.GetSheetProps(sheet)
	if err != nil {
		t.Fatal(err)
	}
	margins, err := f.GetPageMargins(sheet)
	if err != nil {
		t.Fatal(err)
	}
	hf, err := f.GetHeaderFooter(sheet)
	if err != nil {
		t.Fatal(err)
	}
	out := []string{fmt.Sprintf("paper=%d orientation=%s", *layout.Size, *layout.Orientation)}
	if props.FitToPage != nil && *props.FitToPage {
		out = append(out, fmt.Sprintf("fit width=%d height=%d", *layout.FitToWidth, *layout.FitToHeight))
	} else {
		out = append(out, fmt.Sprintf("scale=%d", *layout.AdjustTo))
	}
	out = append(out, fmt.Sprintf("margins left=%v right=%v top=%v bottom=%v header=%v footer=%v centred=%v",
		*margins.Left, *margins.Right, *margins.Top, *margins.Bottom, *margins.Header, *margins.Footer, *margins.Horizontally))
	if hf != nil {
		out = append(out, "footer="+hf.OddFooter)
	}
	idx, _ := f.GetSheetIndex(sheet)
	for _, d := range f.GetDefinedName() {
		if (d.Name == "_xlnm.Print_Titles" || d.Name == "_xlnm.Print_Area") && (d.Scope == sheet || d.Scope == fmt.Sprint(idx)) {
			out = append(out, strings.TrimPrefix(d.Name, "_xlnm.")+"="+d.RefersTo)
		}
	}
	part := sheetXML(t, f, sheet)
	for _, kind := range []string{"rowBreaks", "colBreaks"} {
		if i := strings.Index(part, "<"+kind); i >= 0 {
			var ids []string
			for _, m := range breakID.FindAllStringSubmatch(part[i:i+strings.Index(part[i:], "</"+kind)], -1) {
				ids = append(ids, m[1])
			}
			out = append(out, kind+"="+strings.Join(ids, ","))
		}
	}
	return out
}

// books keeps the bytes of each workbook openBook opened.
var books sync.Map

// sheetXML is the XML of a sheet as the workbook holds it.
func sheetXML(t *testing.T, f *excelize.File, sheet string) string {
	t.Helper()
	data, ok := books.Load(f)
	if !ok {
		t.Fatal("not a workbook from openBook")
	}
	parts := zipParts(t, data.([]byte))
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			ID   string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rels []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	if err := xml.Unmarshal([]byte(parts["xl/workbook.xml"]), &wb); err != nil {
		t.Fatal(err)
	}
	if err := xml.Unmarshal([]byte(parts["xl/_rels/workbook.xml.rels"]), &rels); err != nil {
		t.Fatal(err)
	}
	for _, s := range wb.Sheets {
		if s.Name != sheet {
			continue
		}
		for _, r := range rels.Rels {
			if r.ID == s.ID {
				return parts["xl/"+strings.TrimPrefix(r.Target, "/xl/")]
			}
		}
	}
	t.Fatalf("no sheet %q", sheet)
	return ""
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
