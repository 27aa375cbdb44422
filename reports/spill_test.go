package reports

import (
	"bytes"
	"os"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// The patched excelize moves streamed sheets to disk after 1 MiB, so the
// export's memory stays flat however many schools a drive has. Upstream
// keeps 16 MiB per sheet in memory and writes no temp file for this drive.
func TestDriveSpillsToDisk(t *testing.T) {
	const n = 600
	tmp := t.TempDir()
	total := Counts{Expected: n, Submitted: n - n/20}
	spilled := 0
	var out bytes.Buffer
	err := WriteDrive(&out, DriveWorkbook{Forms: []*forms.Form{benchForm()}, Districts: []Counts{total}, Total: total,
		Rows: benchRows(n), Created: time.Now(), TmpDir: tmp,
		Progress: func(int) {
			files, err := os.ReadDir(tmp)
			if err != nil {
				t.Fatal(err)
			}
			spilled = max(spilled, len(files))
		}})
	if err != nil {
		t.Fatal(err)
	}
	if spilled == 0 {
		t.Fatalf("no sheet spilled to %s while %d schools were written", tmp, n)
	}
	f, err := excelize.OpenReader(&out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := f.Rows("指标0检查情况-教室")
	if err != nil {
		t.Fatalf("repeat sheet: %v (sheets %v)", err, f.GetSheetList())
	}
	count := 0
	for rows.Next() {
		count++
	}
	if want := headRow + (n-n/20)*benchRepeatRows; count != want {
		t.Fatalf("repeat sheet has %d rows, want %d", count, want)
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Fatalf("temp files left behind: %d", len(left))
	}
}
