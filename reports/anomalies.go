package reports

import (
	"math"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// sheetAnomalies lists the values outside their usual range with the
// schools' explanations.
const sheetAnomalies = "异常值说明"

// anomalyCols are the columns of the anomalies sheet after the school's.
var anomalyCols = []col{newCol("指标", 20), wrapCol("填报项", 20), newCol("本期", 8), newCol("常见范围", 14),
	wrapCol("往期（由近及远）", 20), wrapCol("说明", 40)}

func (x *driveExport) startAnomalies(f *excelize.File, h heading, names sheetNames) (err error) {
	cols := append([]col{schoolCols[0], schoolCols[1], schoolCols[2]}, anomalyCols...)
	x.anomalies, err = (&stream{f: f, st: x.st, names: names, head: h, subject: "异常值及说明",
		note:  "本期数值超出本校往期常见范围（或教室检测行数少于登记教室数）的填报项，学校须填写说明方可提交。按区县和学校代码排列。",
		empty: "本期无异常值：没有须学校说明的填报项。", title: sheetAnomalies, cols: cols, freeze: 2}).start()
	return err
}

// addAnomalies writes a submission's values outside their usual range.
func (x *driveExport) addAnomalies(row *SchoolRow) error {
	sub := row.Submission
	for _, a := range sub.Anomalies {
		cells := x.anomalies.row()
		s := row.School
		indicator, _, _ := strings.Cut(a.Field, ".")
		cells[0], cells[1], cells[2] = x.code(s), clean(s.Name), district(s)
		cells[3], cells[4], cells[5] = clean(x.title(sub.FormVersion, indicator)), clean(a.Label.Zh), a.Value
		usual := num(a.Low) + "–" + num(a.High)
		if a.Kind == "rooms" {
			usual = "登记教室 " + num(a.Low) + " 间"
		}
		prev := make([]string, len(a.Previous))
		for i, v := range a.Previous {
			prev[i] = num(v)
		}
		cells[6], cells[7], cells[8] = usual, strings.Join(prev, "、"), clean(orNone(a.Explanation))
		if err := x.anomalies.write(cells); err != nil {
			return err
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "（未说明）"
	}
	return s
}

// num prints a number with at most two decimals.
func num(v float64) string { return strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64) }
