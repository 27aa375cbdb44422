package reports

import "github.com/xuri/excelize/v2"

// sheetQuality lists each expected school's data-quality score and what it
// rests on.
const sheetQuality = "数据质量"

func (x *driveExport) startQuality(f *excelize.File, h heading, names sheetNames, expected int) (err error) {
	cols := []col{schoolCols[0], schoolCols[1], schoolCols[2], newCol("数据质量分", 8), newCol("逾期", 4),
		newCol("退回次数", 6), newCol("通过后退回", 6), newCol("异常值（已说明）", 8), newCol("异常值（未说明）", 8)}
	x.quality, err = (&stream{f: f, st: x.st, names: names, head: h, subject: "数据质量",
		note: "满分 100：未提交为 0；逾期扣 20；每退回一次扣 10（最多 30）；审核通过后每退回修改一次扣 10（最多 20）；" +
			"每个已说明的异常值扣 5、未说明的扣 15（合计最多 30）。按区县和学校代码排列。",
		title: sheetQuality, cols: cols, freeze: 2, expect: expected}).start()
	return err
}

// addQuality writes a school's score.
func (x *driveExport) addQuality(row *SchoolRow) error {
	facts := QualityFacts{}
	if sub := row.Submission; submitted(sub) {
		explained, unexplained := 0, 0
		for _, a := range sub.Anomalies {
			if a.Explanation != "" {
				explained++
			} else {
				unexplained++
			}
		}
		facts = QualityFacts{Submitted: true, Late: sub.Late, Returns: sub.Returns, AfterApproval: sub.AfterApproval,
			Explained: explained, Unexplained: unexplained}
	}
	cells := x.quality.row()
	s := row.School
	cells[0], cells[1], cells[2], cells[3] = x.code(s), clean(s.Name), district(s), QualityScore(facts)
	if facts.Submitted {
		late := "否"
		if facts.Late {
			late = "是"
		}
		cells[4], cells[5], cells[6], cells[7], cells[8] = late, facts.Returns, facts.AfterApproval, facts.Explained, facts.Unexplained
	}
	return x.quality.write(cells)
}
