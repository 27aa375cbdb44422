package extract

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"full-width digits and punctuation", "陪餐率达到１００％，留样１２５克：", "陪餐率达到100%,留样125克:"},
		{"ideographic space", "教室\u3000照明", "教室照明"},
		{"space inside a word", "近 视检出率较上年度下降 0.5%", "近视检出率较上年度下降0.5%"},
		{"space inside a number", "达到 1 2 所", "达到12所"},
		{"space before percent", "达标率 100 %", "达标率100%"},
		{"latin words keep one space", "推广 AI  课堂 on  Grade 3", "推广AI课堂on Grade 3"},
		{"wave dash and en dash", "1〜2项 3–4项", "1~2项3-4项"},
		{"CRLF lines", "一、总则\r\n1.内容。", "一、总则\n1.内容。"},
		{"blank lines dropped", "甲。\n\n  \n乙。", "甲。\n乙。"},
		{"broken line joined", strings.Repeat("学", 41) + "\n校食堂。", strings.Repeat("学", 41) + "校食堂。"},
		{"numbered line not joined", strings.Repeat("学", 41) + "\n2.食堂。", strings.Repeat("学", 41) + "\n2.食堂。"},
		{"short heading not joined", "加强党的全面领导\n健全制度。", "加强党的全面领导\n健全制度。"},
	}
	for _, tt := range tests {
		if got := Normalize(tt.in); got != tt.want {
			t.Errorf("%s: Normalize(%q) = %q, want %q", tt.name, tt.in, got, tt.want)
		}
	}
}

func TestBoilerplate(t *testing.T) {
	body := "一、食品安全\n1.每月开展食堂自查。\n2.每学期开展满意度测评。\n3.每月排查安全隐患。\n"
	tests := []struct{ name, in string }{
		{"copyright and site code", body + "版权所有:某市教育局\n网站标识码:4202000001\n"},
		{"organiser and scan", body + "主办单位:某市教育局 承办单位:信息中心\n扫一扫在手机打开当前页\n"},
		{"page header", "今天是2024年2月23日\n首页 > 教育 > 青岛\n来源:平度教育 | 2024-02-23\n" + body},
		{"footer with prose after it", body + "Copyright © 2024\n请各位用户务必收藏好以上两个网站,终身可访问\n"},
		{"public account", body + "微信公众号:【公文堂】\n客服微信:abc\n"},
	}
	for _, tt := range tests {
		got := Normalize(tt.in)
		if got != strings.TrimSuffix(body, "\n") {
			t.Errorf("%s: Normalize = %q, want the plan body only", tt.name, got)
		}
	}
}

func TestExtractRejects(t *testing.T) {
	if _, err := Extract("每月\xff排查"); !errors.Is(err, ErrInvalidUTF8) {
		t.Errorf("invalid UTF-8: err = %v", err)
	}
	if _, err := Extract(strings.Repeat("a", MaxInput+1)); !errors.Is(err, ErrTooLarge) {
		t.Errorf("too large: err = %v", err)
	}
	res, err := Extract("")
	if err != nil || res == nil || len(res.Candidates) != 0 {
		t.Errorf("empty text: %v, %v", res, err)
	}
}

// TestLargeInputs runs Extract on texts of MaxInput bytes shaped to defeat
// the line joining, splitting and number scanning (a quadratic step would
// make this test time out).
func TestLargeInputs(t *testing.T) {
	shapes := []string{
		strings.Repeat("学生体质健康达标优良率达到40%的学校食堂每月排查安全隐患工作\n", 1<<20/85),
		strings.Repeat("每月排查隐患,达到100%,", 1<<20/31),
		strings.Repeat("“一", 1<<20/6),
		strings.Repeat("使", 1<<20/3) + "达到1%",
		strings.Repeat("一是", 1<<20/6),
		strings.Repeat("排查安全隐患,", 1<<20/19),
	}
	for i, s := range shapes {
		if len(s) > MaxInput {
			s = s[:MaxInput]
			s = strings.ToValidUTF8(s, "")
		}
		if _, err := Extract(s); err != nil {
			t.Errorf("shape %d: %v", i, err)
		}
	}
}
