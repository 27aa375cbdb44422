// Package reports builds the bureau's Excel workbooks from rows it is handed.
package reports

import (
	"iter"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
)

// Counts is the completeness of one district (or the total) in a drive.
// The same numbers feed the progress endpoint and the summary sheet.
type Counts struct {
	District     string         `json:"district"`
	DistrictName string         `json:"districtName"`
	Expected     int            `json:"expected"`
	Submitted    int            `json:"submitted"`
	OnTime       int            `json:"onTime"`
	Late         int            `json:"late"`
	Missing      int            `json:"missing"`
	Returned     int            `json:"returned"`
	Approved     int            `json:"approved"`
	Drafts       int            `json:"drafts"`
	Compliant    map[string]int `json:"compliant"` // indicator → compliant submissions
	Scored       map[string]int `json:"scored"`    // indicator → submissions scored (compliant or not)

	// Levels: the handed-in schools under a sign-off not accepted yet, and
	// under an accepted one; the unit's own sign-off state (signed,
	// accepted, returned, withdrawn, "" for none).
	SignedOff int    `json:"signedOff"`
	Accepted  int    `json:"accepted"`
	Level     string `json:"level,omitempty"`

	// Anomalies counts the values outside their usual range in the handed-in
	// submissions, Unexplained those of them without a 说明.
	Anomalies   int `json:"anomalies"`
	Unexplained int `json:"unexplained"`
	// Quality is the mean data-quality score (QualityScore) of the expected
	// schools, QualityTotal their sum.
	Quality      float64 `json:"quality"`
	QualityTotal int     `json:"-"`
}

// SubmissionRate is Submitted / Expected, 0 when nothing is expected.
func (c Counts) SubmissionRate() float64 {
	if c.Expected == 0 {
		return 0
	}
	return float64(c.Submitted) / float64(c.Expected)
}

// ComplianceRate is the share of scored submissions compliant on an indicator.
func (c Counts) ComplianceRate(indicator string) (float64, bool) {
	n := c.Scored[indicator]
	if n == 0 {
		return 0, false
	}
	return float64(c.Compliant[indicator]) / float64(n), true
}

// SchoolInfo is what the workbook shows of a school.
type SchoolInfo struct {
	Code         string   `json:"code"`
	Name         string   `json:"name"`
	District     string   `json:"district"`
	DistrictName string   `json:"districtName"`
	Stages       []string `json:"stages"`
	Contact      string   `json:"contact"`
	Phone        string   `json:"phone"`
}

// SubmissionInfo is a school's current submission in a drive.
type SubmissionInfo struct {
	Status      string // draft, submitted, returned, approved
	Submitted   bool   // handed in, by the rule the counts were made with
	SubmittedAt time.Time
	Late        bool
	FormVersion string
	Values      forms.Values
	Compliance  []forms.Result
	// Returns and AfterApproval count the bureau's returns, and those that
	// reopened an approved submission.
	Returns       int
	AfterApproval int
	// Anomalies are the values outside their usual range, with the 说明.
	Anomalies []forms.Anomaly
}

// SchoolRow is one expected school; Submission is nil when it has none.
type SchoolRow struct {
	School     SchoolInfo
	Submission *SubmissionInfo
}

// Drive is the drive an export describes.
type Drive struct {
	ID     string
	Name   string
	Period string
	// PeriodLabel is the period as people write it ("2026年12月"); the
	// period key when empty.
	PeriodLabel string
	// Report is what the report is called ("学校安全与健康工作月报"); the
	// drive's name when empty.
	Report string
	// Frequency is the drive's frequency (forms.Monthly …).
	Frequency string
	Due       time.Time
}

// title is the workbook's title: "2026年12月 学校安全与健康工作月报汇总表".
func (d Drive) title() string {
	label := d.PeriodLabel
	if label == "" {
		label = d.Period
	}
	report := d.Report
	if report == "" {
		report = d.Name
	}
	if label == "" {
		return report + "汇总表"
	}
	return label + " " + report + "汇总表"
}

// DriveWorkbook is everything the drive summary workbook is built from.
// Rows yields the expected schools in ascending (district, code) order and
// is consumed once, streaming.
type DriveWorkbook struct {
	Drive     Drive
	Forms     []*forms.Form // every form version used in the drive, oldest first
	Districts []Counts
	Total     Counts
	Rows      iter.Seq2[SchoolRow, error]
	// Unit is the reporting unit (填报单位): the bureau the caller works for.
	Unit string
	// Issuer is the bureau whose drive it is (制定机关 of the 上报表).
	Issuer   string
	Created  time.Time
	Location *time.Location
	Progress func(done int) // optional, called as rows are written
	// TmpDir is where streamed sheets spill to temporary files once they
	// pass 1 MiB (see third_party/excelize); empty means the system default.
	TmpDir string
	// Ledger, when set, adds the sheet of the hazard ledger (ledger.go).
	Ledger *Ledger
}
