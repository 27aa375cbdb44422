package extract

import (
	"slices"
	"strings"
	"testing"
)

// codesOf lists the indicator codes and phrase of each school-level
// candidate of a sentence, "code:phrase".
func schoolCodes(sentence string) []string {
	var out []string
	for _, c := range candidates("", "", sentence) {
		if c.Level != LevelSchool {
			continue
		}
		for _, m := range c.Indicators {
			out = append(out, m.Code+":"+c.Phrase)
		}
	}
	return out
}

// TestWording: how plans write each topic, beyond the catalog's own words.
func TestWording(t *testing.T) {
	tests := []struct {
		sentence string
		want     []string // code:phrase of the school-level candidates
	}{
		{"确保学生营养餐供餐安全", []string{"canteen:确保学生营养餐供餐安全"}},
		{"规范实施农村义务教育学生营养改善计划", []string{"canteen:规范实施农村义务教育学生营养改善计划"}},
		{"加强学校食品卫生安全管理", []string{"canteen:加强学校食品卫生安全管理"}},
		{"加强师德师风建设", []string{"ethics_training:加强师德师风建设"}},
		{"每月开展一次校园安全大排查", []string{"hazards:每月开展一次校园安全大排查"}},
		{"扎实开展校园安全风险排查整治", []string{"hazards:扎实开展校园安全风险排查整治"}},
		{"巩固“双减”成果", []string{"after_school:巩固“双减”成果"}},
		{"每天上下午各安排一次眼保健操", []string{"myopia:每天上下午各安排一次眼保健操"}},
		{"幼儿每天户外活动时间不少于2小时", []string{"activity:幼儿每天户外活动时间不少于2小时"}},
		{"排查学校周边危险水域", []string{"drowning:排查学校周边危险水域"}},
		// Words that name a topic without a school duty.
		{"开展“双减”从我做起倡议活动", nil},
		{"严格执行《义务教育违反“双减”政策行为的处理办法》", nil},
		{"定期组织食堂从业人员进行专题培训", nil},
		{"选树一批师德典型", nil},
		{"常态化开展意识形态风险隐患排查", nil},
	}
	for _, tt := range tests {
		if got := schoolCodes(tt.sentence); !slices.Equal(got, tt.want) {
			t.Errorf("%q: %q, want %q", tt.sentence, got, tt.want)
		}
	}
}

// TestLists: a list of duties of different indicators gives a candidate per
// member; a list of one indicator's duties, of the places a duty is done
// to, or of one-character words stays whole.
func TestLists(t *testing.T) {
	tests := []struct {
		sentence string
		want     []string
	}{
		{"加强消防安全、交通安全、用电安全、防溺水、防欺凌、防性侵、防诈骗、心理危机干预、食品卫生安全、传染病防控、实验室危化品管理、校车安全、校园周边治安、网络安全等14项专项整治",
			[]string{"hazards:加强消防安全", "hazards:交通安全", "hazards:用电安全", "drowning:防溺水", "bullying:防欺凌",
				"mental_health:心理危机干预", "canteen:食品卫生安全", "hazards:实验室危化品管理", "hazards:校车安全"}},
		{"深入开展校园消防安全、校车安全、交通安全、预防溺水、网络安全、防电信网络诈骗、防校园欺凌、校园周边环境专项治理",
			[]string{"hazards:深入开展校园消防安全", "hazards:校车安全", "hazards:交通安全", "drowning:预防溺水", "bullying:防校园欺凌"}},
		{"开展防溺水、防欺凌、交通安全专题教育",
			[]string{"drowning:开展防溺水", "bullying_education:防欺凌", "hazards:交通安全专题教育"}},
		{"严格执行食品留样、进货查验和索证索票制度", []string{"canteen:严格执行食品留样、进货查验和索证索票制度"}},
		{"常态化开展消防、交通等专项排查整治", []string{"hazards:常态化开展消防、交通等专项排查整治"}},
		{"寄宿制学校早、中、晚三餐均须有学校负责人陪餐", []string{"canteen:寄宿制学校早、中、晚三餐均须有学校负责人陪餐"}},
		{"各校要对校舍、消防设施、用电线路、食堂、宿舍、实验室等开展一次全面安全检查",
			[]string{"hazards:各校要对校舍、消防设施、用电线路、食堂、宿舍、实验室等开展一次全面安全检查"}},
		{"开学前对校舍、消防、用电、食堂等进行全面排查", nil},
	}
	for _, tt := range tests {
		if got := schoolCodes(tt.sentence); !slices.Equal(got, tt.want) {
			t.Errorf("%q:\n got %q\nwant %q", tt.sentence, got, tt.want)
		}
	}
}

// TestEnumerations: items numbered inside a sentence are sentences of their own.
func TestEnumerations(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"近视防控:①每学期开展2次视力监测;②每天两次眼保健操", []string{"近视防控:每学期开展2次视力监测", "每天两次眼保健操"}},
		{"重点做好(1)每月排查隐患,(2)每周开展教育", []string{"重点做好:每月排查隐患", "每周开展教育"}},
		{"第(2)项", []string{"第(2)项"}},
	}
	for _, tt := range tests {
		if got := sentences(tt.in); !slices.Equal(got, tt.want) {
			t.Errorf("sentences(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestBureauTasks: building, renovating, spending, buying and hiring are
// the bureau's, whatever they name; what each school does on a schedule is
// the school's.
func TestBureauTasks(t *testing.T) {
	tests := []struct {
		sentence, level string
		unit            string // of the first candidate's target, when it has one
		value           float64
	}{
		{"全年计划投入教育项目资金4223万元", LevelBureau, "万元", 4223},
		{"新建、改扩建校舍18000平方米", LevelBureau, "平方米", 18000},
		{"为乡镇学校采购学生床铺250套", LevelBureau, "套", 250},
		{"更换教室黑板13块", LevelBureau, "块", 13},
		{"实施农村寄宿制学校食堂改造项目", LevelBureau, "", 0},
		{"完成13所学校食堂提质改造", LevelBureau, "所", 13},
		{"实施学校食堂建设工程", LevelBureau, "", 0},
		{"新建学生宿舍4栋、食堂2个", LevelBureau, "栋", 4},
		{"为30所学校配备护眼灯具", LevelBureau, "所", 30},
		{"公开招聘教师120名", LevelBureau, "名", 120},
		{"全年培训教师3000人次", LevelBureau, "人次", 3000},
		{"对全县1200间教室照明进行升级改造", LevelBureau, "间", 1200},
		{"改善学校食堂基本条件", LevelBureau, "", 0},
		{"每月开展一次食堂食品安全自查", LevelSchool, "次", 1},
		{"每学期开展一次学生体质健康监测", LevelSchool, "次", 1},
		{"心理健康筛查全覆盖", LevelSchool, "%", 100},
		{"改造后教室照明达标率达到100%", LevelSchool, "%", 100},
		{"各学校每月开展安全隐患排查", LevelSchool, "", 0},
	}
	for _, tt := range tests {
		cs := candidates("", "", tt.sentence)
		if len(cs) == 0 {
			t.Errorf("%q: no candidate", tt.sentence)
			continue
		}
		for _, c := range cs {
			if c.Level != tt.level {
				t.Errorf("%q: %q is %s, want %s", tt.sentence, c.Phrase, c.Level, tt.level)
			}
		}
		if tt.unit == "" {
			continue
		}
		if tg := cs[0].Target; tg == nil || tg.Unit != tt.unit || tg.Value != tt.value {
			t.Errorf("%q: target %+v, want %v %s", tt.sentence, tg, tt.value, tt.unit)
		}
	}
}

// TestUnits: the units plans count in.
func TestUnits(t *testing.T) {
	tests := []struct {
		in, unit string
		value    float64
	}{
		{"投入4223万元", "万元", 4223}, {"投资2.3亿元", "亿元", 2.3}, {"补助200元", "元", 200},
		{"建筑面积18000平方米", "平方米", 18000}, {"新增用地35亩", "亩", 35}, {"床铺250套", "套", 250},
		{"黑板13块", "块", 13}, {"新建学校2所", "所", 2}, {"培训3000人次", "人次", 3000},
		{"不少于2小时", "小时", 2}, {"不少于30分钟", "分钟", 30}, {"留样125克", "克", 125},
		{"达到100%", "%", 100}, {"下降0.5个百分点", "百分点", 0.5}, {"宿舍4栋", "栋", 4}, {"旱厕36座", "座", 36},
		{"学生1.2万人", "人", 12000},
	}
	for _, tt := range tests {
		qs := quantities(tt.in)
		if len(qs) != 1 || qs[0].unit != tt.unit || qs[0].value != tt.value {
			t.Errorf("quantities(%q) = %+v, want %v %s", tt.in, qs, tt.value, tt.unit)
		}
	}
	for _, in := range []string{"模块化", "张贴海报", "座谈会", "餐具消毒"} {
		if qs := quantities("一" + in); len(qs) != 0 {
			t.Errorf("quantities(%q) = %+v, want none", "一"+in, qs)
		}
	}
}

// TestTitleCandidates: an item's title counts when the sentences after it
// name something else, and is dropped when they name the same.
func TestTitleCandidates(t *testing.T) {
	res, err := Extract("四、深化改革\n14.巩固“双减”成果。优化学生作业管理。\n15.保障校园食品安全。每月开展食堂自查。")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range res.SchoolLevel() {
		got = append(got, c.Clause+" "+c.Indicators[0].Code+" "+c.Phrase)
	}
	want := []string{"四、14 after_school 巩固“双减”成果", "四、15 canteen 每月开展食堂自查"}
	if !slices.Equal(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
	if strings.Contains(strings.Join(got, ""), "保障校园食品安全") {
		t.Error("a title whose body names the same indicator was kept")
	}
}
