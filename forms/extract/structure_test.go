package extract

import (
	"slices"
	"testing"
)

func TestMarker(t *testing.T) {
	tests := []struct {
		in          string
		kind        int
		label, rest string
	}{
		{"七、维护教育稳定", markSection, "七", "维护教育稳定"},
		{"十二、其他", markSection, "十二", "其他"},
		{"第三部分 保障措施", markSection, "三", "保障措施"},
		{"(二)学生安全", markSub, "(二)", "学生安全"},
		{"25.加强校园安全管理。", markItem, "25", "加强校园安全管理。"},
		{"3、落实五育并举。", markItem, "3", "落实五育并举。"},
		{"(1)每月排查。", markSubItem, "(1)", "每月排查。"},
		{"①每月排查。", markSubItem, "①", "每月排查。"},
		{"2024年全市教育工作", 0, "", "2024年全市教育工作"},
		{"2.0行动方案", 0, "", "2.0行动方案"},
		{"一是加强管理", 0, "", "一是加强管理"},
	}
	for _, tt := range tests {
		kind, label, rest, _ := marker(tt.in)
		if kind != tt.kind || label != tt.label || rest != tt.rest {
			t.Errorf("marker(%q) = %d %q %q, want %d %q %q", tt.in, kind, label, rest, tt.kind, tt.label, tt.rest)
		}
	}
}

func TestClauses(t *testing.T) {
	text := "总体要求是:办好教育。\n1.目标一。\n一、强化党建\n1.深化领导。\n二、安全\n(一)校园安全\n3.排查隐患。\n(1)每月排查。\n" +
		"深化平安校园建设\n落实安全责任。开展排查。\n以办好教育为目标,加快构建保障体系\n完善经费机制。优化结构。"
	var got []string
	for _, p := range paragraphs(Normalize(text)) {
		got = append(got, p.clause)
	}
	want := []string{"", "1", "一、", "一、1", "二、", "二、(一)", "二、(一)3", "二、(一)3(1)",
		"深化平安校园建设", "深化平安校园建设/落实安全责任", "加快构建保障体系", "加快构建保障体系/完善经费机制"}
	if !slices.Equal(got, want) {
		t.Errorf("clauses\n got %q\nwant %q", got, want)
	}
}

func TestSentences(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"甲。乙!丙?丁;戊", []string{"甲", "乙", "丙", "丁", "戊"}},
		{"加强安全管理,一是每月排查隐患;二是每周开展教育;三是每学期演练。",
			[]string{"加强安全管理:每月排查隐患", "每周开展教育", "每学期演练"}},
		{"一是每月排查,二是每周教育", []string{"每月排查", "每周教育"}},
		{"坚持一是一、二是二的作风", []string{"坚持一是一、二是二的作风"}},
		{"只有一是不够的", []string{"只有一是不够的"}},
	}
	for _, tt := range tests {
		if got := sentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
