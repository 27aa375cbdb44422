package reports

import (
	"bytes"
	"errors"
	"iter"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/forms"
)

func f64(v float64) *float64 { return &v }

func txt(zh string) forms.Text { return forms.Text{Zh: zh} }

// Titles chosen to exercise sheet naming: invalid characters, more than 31
// characters, and two titles equal in their first 31 characters.
const (
	canteenTitle  = "食堂[每月]检查: 食品安全/卫生?"
	lightingTitle = "教室照明与视力防控检查情况中小学校教室采光照明达标情况统计表（上）"
	eyesTitle     = "教室照明与视力防控检查情况中小学校教室采光照明达标情况统计表（下）"
)

func canteenFields(v2 bool) []forms.Field {
	fs := []forms.Field{
		{ID: "inspections", Type: forms.Integer, Label: txt("自查次数"), Unit: "次", Min: f64(0)},
		{ID: "score", Type: forms.Decimal, Label: txt("卫生评分"), Precision: 1},
		{ID: "pass_rate", Type: forms.Percent, Label: txt("抽检合格率"), Precision: 1},
		{ID: "licensed", Type: forms.Boolean, Label: txt("证照齐全")},
		{ID: "grade", Type: forms.Choice, Label: txt("量化等级"), Options: []forms.Option{
			{Value: "A", Label: txt("优秀")}, {Value: "B", Label: txt("良好")}, {Value: "C", Label: txt("一般")}}},
		{ID: "issues", Type: forms.Multi, Label: txt("发现问题"), Options: []forms.Option{
			{Value: "expired", Label: txt("过期食品")}, {Value: "dirty", Label: txt("卫生死角")}, {Value: "papers", Label: txt("证照不全")}}},
		{ID: "checked_on", Type: forms.Date, Label: txt("检查日期")},
		{ID: "notes", Type: forms.String, Label: txt("备注"), MaxLength: 200},
		{ID: "meals", Type: forms.Computed, Label: txt("月供餐总数"), Compute: map[string]any{"*": []any{1, 2}}},
	}
	if !v2 {
		return fs
	}
	// Version 2 drops "notes", adds "staff" in the middle and relabels a choice.
	out := []forms.Field{fs[0], {ID: "staff", Type: forms.Integer, Label: txt("从业人员数"), Unit: "人"}}
	out = append(out, fs[1:7]...)
	out = append(out, fs[8])
	out[5].Options = []forms.Option{{Value: "A", Label: txt("A级")}, {Value: "B", Label: txt("B级")}, {Value: "C", Label: txt("C级")}}
	return out
}

func lightingFields() []forms.Field {
	return []forms.Field{
		{ID: "classrooms", Type: forms.Repeat, Label: txt("教室"), Fields: []forms.Field{
			{ID: "room", Type: forms.String, Label: txt("教室编号")},
			{ID: "desk_lux", Type: forms.Decimal, Label: txt("课桌面照度"), Unit: "lx", Precision: 0},
			{ID: "ok", Type: forms.Boolean, Label: txt("达标")},
		}},
		{ID: "rate", Type: forms.Percent, Label: txt("教室达标率")},
	}
}

func fixtureForms() []*forms.Form {
	mk := func(version string, v2 bool) *forms.Form {
		return &forms.Form{Version: version, Stages: []string{forms.Primary, forms.Junior}, Title: txt("月报"), Sections: []forms.Section{
			{Indicator: "canteen", Title: txt(canteenTitle), Fields: canteenFields(v2)},
			{Indicator: "lighting", Title: txt(lightingTitle), Fields: lightingFields()},
			{Indicator: "eyes", Title: txt(eyesTitle), Fields: []forms.Field{
				{ID: "screened", Type: forms.Integer, Label: txt("筛查人数"), Unit: "人"}}},
		}}
	}
	return []*forms.Form{mk("v1", false), mk("v2", true)}
}

var shanghaiLoc = shanghai()

func at(day, hour, minute int) time.Time {
	return time.Date(2026, 11, day, hour, minute, 0, 0, shanghaiLoc).UTC()
}

func fixtureRows() []SchoolRow {
	primary := []string{forms.Primary}
	return []SchoolRow{
		{School: SchoolInfo{Code: "00123", Name: "第一\x01小学", District: "310101", DistrictName: "东城区", Stages: primary},
			Submission: &SubmissionInfo{Status: "submitted", Submitted: true, SubmittedAt: at(3, 10, 30), FormVersion: "v1",
				Values: forms.Values{
					"canteen": {"inspections": 4.0, "score": 92.25, "pass_rate": 98.5, "licensed": true, "grade": "A",
						"issues": []any{"expired", "dirty"}, "checked_on": "2026-11-02",
						"notes": "=HYPERLINK(\"http://evil\",\"点我\")\x0b", "meals": 1200.0},
					"lighting": {"rate": 50.0, "classrooms": []any{
						map[string]any{"room": "0101", "desk_lux": 320.0, "ok": true},
						map[string]any{"room": "+0102", "desk_lux": 250.0, "ok": false}}},
					"eyes": {"screened": 500.0},
				},
				Compliance: []forms.Result{
					{Indicator: "canteen", Status: forms.Compliant},
					{Indicator: "lighting", Status: forms.Noncompliant, Reason: txt("教室达标率 50%，低于目标 100%")},
				},
				Anomalies: []forms.Anomaly{
					{Field: "canteen.meals", Kind: "change", Label: txt("供餐人次"), Value: 1200, Low: 2833.333, High: 3166.667,
						Previous: []float64{3000, 2950, 3050, 3000}, Explanation: "=食堂停业装修两周"},
					{Field: "lighting.classrooms", Kind: "rooms", Label: txt("教室"), Value: 2, Low: 12, High: 12, Previous: []float64{}},
				}}},
		{School: SchoolInfo{Code: "00456", Name: "@第二小学", District: "310101", DistrictName: "东城区", Stages: primary,
			Contact: "张老师", Phone: "013800000000"}},
		{School: SchoolInfo{Code: "00789", Name: "-1+2 实验学校", District: "310101", DistrictName: "东城区",
			Stages: []string{forms.Primary, forms.Junior}, Contact: "李老师", Phone: "021-5555"},
			Submission: &SubmissionInfo{Status: "draft", FormVersion: "v1",
				Values: forms.Values{"canteen": {"inspections": 1.0}}}},
		{School: SchoolInfo{Code: "01001", Name: "西城中学", District: "310102", DistrictName: "西城区", Stages: []string{forms.Junior}},
			Submission: &SubmissionInfo{Status: "approved", Submitted: true, SubmittedAt: at(12, 23, 59), Late: true, FormVersion: "v2",
				Returns: 2, AfterApproval: 1,
				Values: forms.Values{
					"canteen": {"inspections": 2.0, "staff": 18.0, "score": 70.0, "pass_rate": 100.0, "licensed": false, "grade": "B",
						"issues": []any{"papers"}, "checked_on": "2026-11-10", "meals": 800.0},
					"lighting": {"rate": 100.0, "classrooms": []any{map[string]any{"room": "201", "desk_lux": 500.0, "ok": true}}},
				},
				Compliance: []forms.Result{
					{Indicator: "canteen", Status: forms.Noncompliant, Reason: txt("证照不全")},
					{Indicator: "lighting", Status: forms.Compliant},
					{Indicator: "eyes", Status: forms.NotApplicable},
				}}},
		{School: SchoolInfo{Code: "01002", Name: "西城小学", District: "310102", DistrictName: "西城区", Stages: primary,
			Contact: "王老师", Phone: "13900000000"},
			Submission: &SubmissionInfo{Status: "returned", Submitted: true, SubmittedAt: at(5, 8, 0), FormVersion: "v1",
				Values: forms.Values{"canteen": {"inspections": 3.0, "grade": "Z"}}}},
	}
}

func fixtureCounts() ([]Counts, Counts) {
	east := Counts{District: "310101", DistrictName: "东城区", Expected: 3, Submitted: 1, OnTime: 1, Missing: 2, Drafts: 1,
		Compliant: map[string]int{"canteen": 1}, Scored: map[string]int{"canteen": 1, "lighting": 1}}
	west := Counts{District: "310102", DistrictName: "西城区", Expected: 2, Submitted: 2, OnTime: 1, Late: 1, Returned: 1, Approved: 1,
		Compliant: map[string]int{"lighting": 1}, Scored: map[string]int{"canteen": 1, "lighting": 1}}
	total := Counts{Expected: 5, Submitted: 3, OnTime: 2, Late: 1, Missing: 2, Returned: 1, Approved: 1, Drafts: 1,
		Compliant: map[string]int{"canteen": 1, "lighting": 1}, Scored: map[string]int{"canteen": 2, "lighting": 2}}
	return []Counts{east, west}, total
}

func seq(rows []SchoolRow) iter.Seq2[SchoolRow, error] {
	return func(yield func(SchoolRow, error) bool) {
		for _, r := range rows {
			if !yield(r, nil) {
				return
			}
		}
	}
}

func fixtureWorkbook() DriveWorkbook {
	districts, total := fixtureCounts()
	return DriveWorkbook{
		Drive: Drive{ID: "d1", Name: "月度填报 2026-11", Period: "2026-11", PeriodLabel: "2026年11月", Report: "学校安全与健康工作月报",
			Frequency: forms.Monthly, Due: at(10, 23, 59)},
		Unit:      "清河市教育局",
		Issuer:    "清河市教育局",
		Forms:     fixtureForms(),
		Districts: districts,
		Total:     total,
		Rows:      seq(fixtureRows()),
		Created:   time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
	}
}

// exportFixture writes the fixture workbook and returns its bytes.
func exportFixture(t *testing.T) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := WriteDrive(&buf, fixtureWorkbook()); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var errCursor = errors.New("cursor: connection reset")
