package reports

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// openpyxlPython finds a Python with openpyxl (Debian's python3-openpyxl):
// the test is skipped without one, or fails when CI=true.
func openpyxlPython(t *testing.T) string {
	t.Helper()
	var tried []string
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		path, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		tried = append(tried, path)
		if exec.Command(path, "-c", "import openpyxl").Run() == nil {
			return path
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf("no python3 with openpyxl (tried %v): CI must read the workbooks as a streaming reader does", tried)
	}
	t.Skipf("no python3 with openpyxl (tried %v): skipping the streaming reader", tried)
	return ""
}

// readOnlyScript reads every sheet with openpyxl in read-only mode, which
// takes a sheet's <dimension> as its extent, and reports per sheet the
// rows it yields, the cells holding a value and the last row holding one.
const readOnlyScript = `
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
out = {}
for ws in wb.worksheets:
    rows = cells = last = 0
    for row in ws.iter_rows(values_only=True):
        rows += 1
        n = sum(1 for v in row if v is not None)
        if n:
            cells += n
            last = rows
    out[ws.title] = [rows, cells, last]
json.dump(out, sys.stdout, ensure_ascii=False)
`

// valueCells counts, in a sheet's XML, the cells holding a value and the
// last row with one, reading every row whatever the sheet declares.
func valueCells(t *testing.T, part string) (cells, last int) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(part))
	var row int
	var hasValue bool
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return cells, last
		}
		if err != nil {
			t.Fatal(err)
		}
		switch el := tok.(type) {
		case xml.StartElement:
			switch el.Name.Local {
			case "c":
				hasValue = false
				for _, a := range el.Attr {
					if a.Name.Local == "r" {
						_, row, _ = excelize.CellNameToCoordinates(a.Value)
					}
				}
			case "v", "is":
				hasValue = true
			}
		case xml.EndElement:
			if el.Name.Local == "c" && hasValue {
				cells++
				last = max(last, row)
			}
		}
	}
}

// TestStreamingReaderGetsEveryRow reads each workbook as openpyxl's
// read-only mode does (Power BI and other streaming readers alike trust a
// sheet's <dimension>): it must yield every row and every value of every
// sheet, streamed or not, including sheets that spilled to a temp file.
func TestStreamingReaderGetsEveryRow(t *testing.T) {
	python := openpyxlPython(t)
	var spilled bytes.Buffer
	total := Counts{Expected: 600, Submitted: 570}
	if err := WriteDrive(&spilled, DriveWorkbook{Forms: []*forms.Form{benchForm()}, Districts: []Counts{total}, Total: total,
		Rows: benchRows(600), Created: time.Now(), TmpDir: t.TempDir()}); err != nil {
		t.Fatal(err)
	}
	var trend bytes.Buffer
	if err := WriteTrend(&trend, fixtureTrend()); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{"fixture": exportFixture(t), "spilled": spilled.Bytes(), "trend": trend.Bytes()} {
		t.Run(name, func(t *testing.T) {
			file := filepath.Join(t.TempDir(), name+".xlsx")
			if err := os.WriteFile(file, data, 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(python, "-c", readOnlyScript, file)
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			raw, err := cmd.Output()
			if err != nil {
				t.Fatalf("openpyxl: %v\n%s", err, stderr.String())
			}
			var got map[string][3]int
			if err := json.Unmarshal(raw, &got); err != nil {
				t.Fatal(err)
			}
			f := openBook(t, data)
			for _, sheet := range f.GetSheetList() {
				cells, last := valueCells(t, sheetXML(t, f, sheet))
				r := got[sheet]
				if r[1] != cells || r[2] != last || r[0] < last {
					t.Errorf("%s: openpyxl read-only read %d rows, %d values, the last in row %d; the sheet holds %d values, the last in row %d",
						sheet, r[0], r[1], r[2], cells, last)
				}
			}
		})
	}
}
