package extract

import "testing"

func TestParseTarget(t *testing.T) {
	tests := []struct {
		in, metric, cmp string
		value           float64
		unit, per       string
	}{
		{"确保学生每日锻炼时间不少于2小时", "学生每日锻炼时间", AtLeast, 2, "小时", Daily},
		{"学生体质健康达标优良率不低于40%", "学生体质健康达标优良率", AtLeast, 40, "%", ""},
		{"送教上门比例控制在10%以内", "送教上门比例", AtMost, 10, "%", ""},
		{"单次作业时间不超过60分钟", "单次作业时间", AtMost, 60, "分钟", ""},
		{"公办园占比提升至58%以上", "公办园占比", AtLeast, 58, "%", ""},
		{"全市优质园占比提高到90%", "全市优质园占比", Reach, 90, "%", ""},
		{"学生体质健康达标优良率达到40%", "学生体质健康达标优良率", Reach, 40, "%", ""},
		{"实现教室照明达标率100%", "教室照明达标率", Reach, 100, "%", ""},
		{"近视检出率较上年度下降0.5%", "近视检出率", DecreaseBy, 0.5, "%", ""},
		{"近视率降低1个百分点", "近视率", DecreaseBy, 1, "百分点", ""},
		{"体质健康优良率提升15%", "体质健康优良率", IncreaseBy, 15, "%", ""},
		{"每学年实施1次以上心理普查", "每学年实施心理普查", AtLeast, 1, "次", ""},
		{"新建普特融合学校9所", "新建普特融合学校", Equal, 9, "所", ""},
		{"确保每位教师每年至少接受20学时的培训", "每位教师每年接受培训", AtLeast, 20, "学时", ""},
		{"每周素质拓展服务时间占比达到50%以上", "每周素质拓展服务时间占比", AtLeast, 50, "%", Weekly},
		{"校内安全责任事故为零", "校内安全责任事故", Zero, 0, "", ""},
		{"实现乡村学校网络全覆盖", "乡村学校网络覆盖率", Reach, 100, "%", ""},
		{"心理健康教育百分之百覆盖", "心理健康教育覆盖", Equal, 100, "%", ""},
	}
	for _, tt := range tests {
		got := ParseTarget(tt.in)
		if got == nil {
			t.Errorf("ParseTarget(%q) = nil", tt.in)
			continue
		}
		if got.Metric != tt.metric || got.Comparator != tt.cmp || got.Value != tt.value || got.Unit != tt.unit || got.Per != tt.per {
			t.Errorf("ParseTarget(%q) = %+v, want %s %s %v %s per %q", tt.in, *got, tt.metric, tt.cmp, tt.value, tt.unit, tt.per)
		}
	}
	for _, in := range []string{"对违反师德行为零容忍", "提高课后服务质量", "深入推进“两个全覆盖”", "2024年全市教育工作"} {
		if got := ParseTarget(in); got != nil {
			t.Errorf("ParseTarget(%q) = %+v, want nil", in, *got)
		}
	}
}

func TestRangeTarget(t *testing.T) {
	got := ParseTarget("确保每位学生系统掌握1-2项艺术技能")
	if got == nil || got.Value != 1 || got.Max != 2 || got.Comparator != AtLeast || got.Unit != "项" {
		t.Errorf("range target = %+v, want >= 1 (max 2) 项", got)
	}
}

func TestFrequency(t *testing.T) {
	tests := []struct{ in, want string }{
		{"每天开设1节体育课", Daily}, {"每日校内体育活动", Daily}, {"每周开展一次", Weekly},
		{"每月开展欺凌排查", Monthly}, {"每个月报送", Monthly}, {"每学期开展专题教育", Termly},
		{"每学年实施心理普查", Yearly}, {"每年至少接受培训", Yearly}, {"年内评选10处", WithinYear},
		{"力争三年内实现", ""}, {"定期开展", ""},
	}
	for _, tt := range tests {
		if got, _ := Frequency(tt.in); got != tt.want {
			t.Errorf("Frequency(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
