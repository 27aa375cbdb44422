package extract

import "testing"

func TestParseNumber(t *testing.T) {
	tests := []struct {
		in   string
		want float64
		ok   bool
	}{
		{"12", 12, true}, {"0.5", 0.5, true}, {"一", 1, true}, {"两", 2, true}, {"十", 10, true},
		{"十二", 12, true}, {"二十", 20, true}, {"二十五", 25, true}, {"一百零五", 105, true},
		{"三千", 3000, true}, {"一万", 10000, true}, {"1万", 10000, true}, {"1.2万", 12000, true},
		{"", 0, false}, {"学", 0, false}, {"12a", 0, false},
	}
	for _, tt := range tests {
		got, ok := ParseNumber(tt.in)
		if ok != tt.ok || ok && got != tt.want {
			t.Errorf("ParseNumber(%q) = %v, %v; want %v, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func TestQuantities(t *testing.T) {
	tests := []struct {
		name, in   string
		value, max float64
		unit       string
		none       bool
	}{
		{name: "percent", in: "达到100%", value: 100, unit: "%"},
		{name: "decimal percent", in: "下降0.5%", value: 0.5, unit: "%"},
		{name: "百分之百", in: "达到百分之百", value: 100, unit: "%"},
		{name: "百分之五十", in: "占比百分之五十", value: 50, unit: "%"},
		{name: "percentage points", in: "降低1个百分点", value: 1, unit: "百分点"},
		{name: "hours", in: "不少于2小时", value: 2, unit: "小时"},
		{name: "Chinese numeral hours", in: "不少于一小时", value: 1, unit: "小时"},
		{name: "两", in: "掌握两项运动技能", value: 2, unit: "项"},
		{name: "十二", in: "新建十二所学校", value: 12, unit: "所"},
		{name: "range with hyphen", in: "掌握1-2项", value: 1, max: 2, unit: "项"},
		{name: "range with wave", in: "开展1~2次", value: 1, max: 2, unit: "次"},
		{name: "range with 至", in: "建设3至5所", value: 3, max: 5, unit: "所"},
		{name: "万 multiplier", in: "增加学位1万个", value: 10000, unit: "个"},
		{name: "class hours", in: "接受20学时的培训", value: 20, unit: "学时"},
		{name: "grams", in: "留样125克", value: 125, unit: "克"},
		{name: "year is not a unit", in: "2024年全市", none: true},
		{name: "ordinal", in: "第40个教师节", none: true},
		{name: "ordinal congress", in: "省十二次党代会", none: true},
		{name: "quoted name", in: "推进“十个一”项目", none: true},
		{name: "bracketed aside", in: "工程(加强一个全面领导)", none: true},
		{name: "rank, not a share", in: "抓好学业质量后30%学生", none: true},
		{name: "age range", in: "6-15周岁", none: true},
		{name: "word with numeral", in: "一体化建设", none: true},
		{name: "version", in: "集团化办学2.0行动", none: true},
	}
	for _, tt := range tests {
		qs := quantities(tt.in)
		if tt.none {
			if len(qs) != 0 {
				t.Errorf("%s: quantities(%q) = %+v, want none", tt.name, tt.in, qs)
			}
			continue
		}
		if len(qs) == 0 {
			t.Errorf("%s: quantities(%q) found none", tt.name, tt.in)
			continue
		}
		if q := qs[0]; q.value != tt.value || q.max != tt.max || q.unit != tt.unit {
			t.Errorf("%s: quantities(%q) = %+v, want %v-%v %s", tt.name, tt.in, q, tt.value, tt.max, tt.unit)
		}
	}
}
