package reports

import (
	"archive/zip"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/tianbao-edu/tianbao/forms"
)

// Fixed sheet names of the drive workbook.
const (
	sheetSummary = "汇总"
	sheetMissing = "未提交"
	sheetFailing = "不达标"
)

// progressEvery is how many rows pass between calls of DriveWorkbook.Progress.
const progressEvery = 500

// WriteDrive writes the drive summary workbook to w: the summary sheet, the
// 上报表 for the level above, one sheet per indicator and per repeat group,
// the schools yet to submit and the failing indicators. Every sheet opens
// with the title block and prints on A4 landscape. It consumes wb.Rows once,
// streaming every sheet that grows with the number of schools; an error
// from the iterator aborts the export with that error.
func WriteDrive(w io.Writer, wb DriveWorkbook) error {
	loc := wb.Location
	if loc == nil {
		loc = shanghai()
	}
	if wb.Created.IsZero() {
		wb.Created = time.Now()
	}
	h := newHeading(wb.Drive.title(), wb.Unit, wb.Created, loc)
	f := excelize.NewFile(excelize.Options{TmpDir: wb.TmpDir})
	defer f.Close()
	if err := f.SetSheetName("Sheet1", sheetSummary); err != nil {
		return err
	}
	st, err := newStyles(f, loc)
	if err != nil {
		return err
	}
	x, err := newDriveExport(f, st, h, wb)
	if err != nil {
		return err
	}
	done := 0
	if wb.Rows != nil {
		for row, err := range wb.Rows {
			if err != nil {
				return err
			}
			if err := x.add(&row); err != nil {
				return err
			}
			done++
			if wb.Progress != nil && done%progressEvery == 0 {
				wb.Progress(done)
			}
		}
	}
	if wb.Progress != nil && done%progressEvery != 0 {
		wb.Progress(done)
	}
	if err := x.close(); err != nil {
		return err
	}
	if wb.Ledger != nil {
		if err := writeLedger(f, st, h, wb.Ledger); err != nil {
			return err
		}
	}
	if err := writeSummary(f, st, h, wb, x.secs); err != nil {
		return err
	}
	if err := setProps(f, h.title, wb.Created); err != nil {
		return err
	}
	return save(f, w)
}

// shanghai is the default time zone of the reports.
func shanghai() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

// setProps sets the document properties every workbook carries.
func setProps(f *excelize.File, title string, created time.Time) error {
	if created.IsZero() {
		created = time.Now()
	}
	return f.SetDocProps(&excelize.DocProperties{
		Title:   clean(title),
		Creator: "Tianbao 填报",
		Created: created.UTC().Format(time.RFC3339),
	})
}

// save zips the workbook straight into w. excelize's own Write assembles the
// whole archive in a buffer first; handing it a zip writer over w instead
// keeps memory flat however large the sheets are. (Archives whose parts
// exceed 4 GB would need excelize's zip64 header fix-up, which works only on
// its buffer; no export comes near that.)
func save(f *excelize.File, w io.Writer) error {
	var zw *zip.Writer
	f.SetZipWriter(func(io.Writer) excelize.ZipWriter {
		zw = zip.NewWriter(w)
		return zw
	})
	if _, err := f.WriteToBuffer(); err != nil {
		return fmt.Errorf("reports: write workbook: %w", err)
	}
	if zw == nil {
		return fmt.Errorf("reports: write workbook: no archive written")
	}
	return nil
}

// Zh labels of the workbook.
var (
	stageZh = map[string]string{
		forms.Kindergarten: "幼儿园", forms.Primary: "小学", forms.Junior: "初中", forms.Senior: "高中",
	}
	statusZh = map[string]string{
		"": "未填报", "draft": "草稿", "submitted": "已提交", "returned": "已退回", "approved": "已通过",
		"signed": "已签收", "accepted": "已接受",
	}
	// levelZh names a unit's own sign-off state in the summary.
	levelZh  = map[string]string{"signed": "已签收", "accepted": "上级已接受", "returned": "上级已退回", "withdrawn": "已撤回签收"}
	resultZh = map[string]string{
		forms.Compliant: markPass, forms.Noncompliant: markFail, forms.NotApplicable: "不适用",
	}
)

func stagesZh(stages []string) string {
	out := ""
	for i, s := range stages {
		if i > 0 {
			out += "、"
		}
		if z, ok := stageZh[s]; ok {
			out += z
		} else {
			out += clean(s)
		}
	}
	return out
}

func status(sub *SubmissionInfo) string {
	if sub == nil {
		return statusZh[""]
	}
	if z, ok := statusZh[sub.Status]; ok {
		return z
	}
	return clean(sub.Status)
}

// submitted reports whether a school has handed in its submission (a
// returned one has: it is counted, not missing).
func submitted(sub *SubmissionInfo) bool {
	return sub != nil && sub.Submitted
}

// result finds a submission's verdict on one indicator.
func result(sub *SubmissionInfo, indicator string) *forms.Result {
	if sub == nil {
		return nil
	}
	for i := range sub.Compliance {
		if sub.Compliance[i].Indicator == indicator {
			return &sub.Compliance[i]
		}
	}
	return nil
}
