package reports

import (
	"testing"

	"github.com/tianbao-edu/tianbao/forms"
)

// TestFieldCol: a count is as wide as the largest value its form allows
// or its header wrapped on at most four lines, the unit on a line of its
// own when the label wraps; a long text wraps in a column of capped width;
// a column title replaces the label and unit.
func TestFieldCol(t *testing.T) {
	for _, c := range []struct {
		name  string
		field forms.Field
		title string
		width float64
		wrap  bool
	}{
		{"a unit on the title's line", forms.Field{Type: forms.Decimal, Label: txt("评分"), Unit: "分", Precision: 2}, "评分（分）", 11, false},
		{"a unit on a line of its own", forms.Field{Type: forms.Integer, Label: txt("人数"), Unit: "人", Max: f64(99)}, "人数\n（人）", 7, false},
		{"a day count under a short header", forms.Field{Type: forms.Integer, Label: txt("供餐天数"), Max: f64(31)}, "供餐天数", 5, false},
		{"an unbounded count", forms.Field{Type: forms.Integer, Label: txt("人数")}, "人数", 8, false},
		{"a long header wraps", forms.Field{Type: forms.Integer, Label: txt("持有效健康证明人数"), Unit: "人", Max: f64(500)},
			"持有效健康证明人数\n（人）", 7, false},
		{"a column title", forms.Field{Type: forms.Integer, Label: txt("有陪餐记录的早餐餐数"), Unit: "餐", Max: f64(31),
			Column: &forms.Text{Zh: "早餐陪餐餐数"}}, "早餐陪餐餐数", 5, false},
		{"a yes or no", forms.Field{Type: forms.Boolean, Label: txt("证照齐全")}, "证照齐全", 5, false},
		{"a short text", forms.Field{Type: forms.String, Label: txt("编号"), MaxLength: 8}, "编号", 10, false},
		{"a long text wraps", forms.Field{Type: forms.String, Label: txt("备注"), MaxLength: 200}, "备注", textWidth + 2, true},
		{"a text of any length wraps", forms.Field{Type: forms.String, Label: txt("说明")}, "说明", textWidth + 2, true},
	} {
		got := fieldCol(&c.field)
		if got.title != c.title || got.width != c.width || got.wrap != c.wrap {
			t.Errorf("%s: %+v, want %q width %v wrap %v", c.name, got, c.title, c.width, c.wrap)
		}
		if lines := linesFor(got.title, got.width, cellSize); lines > maxHeadLines {
			t.Errorf("%s: the header takes %d lines", c.name, lines)
		}
	}
}
